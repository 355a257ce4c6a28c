"""A campaign: what it offers, to whom, where, and the reach it aims for."""

from django.db import models
from wagtail.search import index

from events.models import Session
from resources.taxonomy import Audience


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for booking"
    CLOSED = "closed", "Closed"
    ARCHIVED = "archived", "Archived"


class Campaign(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    code = models.CharField(
        max_length=8, unique=True, help_text="Short prefix for booking references, for example WO27."
    )
    series = models.SlugField(
        blank=True, help_text="Campaigns that recur share a series (e.g. walk-online) for year-on-year reach."
    )
    authority = models.ForeignKey(
        "cms.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name="run by",
        help_text="The partner council that runs the campaign. Leave empty for a joint campaign of the whole "
        "partnership.",
    )
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=32, choices=Audience.choices)
    year_groups = models.JSONField(
        default=list, blank=True, help_text='Year groups the campaign covers, e.g. ["Y5"].'
    )
    target_reach = models.PositiveIntegerField(
        default=0, help_text="People the campaign aims to reach (pupils for a schools campaign)."
    )
    local_authorities = models.JSONField(
        default=list, blank=True, help_text="Local authority names the campaign covers."
    )
    districts = models.JSONField(default=list, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    events = models.ManyToManyField("events.EventPage", blank=True, related_name="campaigns")
    pre_session_materials = models.ManyToManyField(
        "wagtailcore.Page", blank=True, related_name="+", help_text="Resource pages to read before a session."
    )
    post_session_materials = models.ManyToManyField(
        "wagtailcore.Page", blank=True, related_name="+", help_text="Resource pages for the follow-up pack."
    )
    open_booking = models.BooleanField(
        default=False, help_text="Anyone may book without an invitation (find their school or group)."
    )
    pupils_per_adult = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="At least one member of staff or other adult for every this many children, for example 15. "
        "Leave empty for no rule.",
    )
    booking_cutoff_days = models.PositiveSmallIntegerField(
        default=2,
        help_text="Bookings can be changed or cancelled online until this many days before the session.",
    )
    safeguarding_statement = models.TextField(blank=True)
    photo_consent_statement = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True, help_text="Whom bookers contact after the cut-off.")
    contact_phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.FilterField("status")]

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message="The campaign must end on or after the day it starts.",
            )
        ]

    def __str__(self):
        return self.name

    def sessions(self):
        return Session.objects.filter(event__in=self.events.all())
