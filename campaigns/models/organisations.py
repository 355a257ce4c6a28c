"""Schools (from the national register), places of worship, youth and community groups, and their contacts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from wagtail.search import index


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", "School"
    FAITH = "faith", "Place of worship or faith group"
    COMMUNITY = "community", "Youth or community group"
    OTHER = "other", "Other"


class OrganisationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PROPOSED_TO_CLOSE = "proposed-to-close", "Open, but proposed to close"
    PROPOSED_TO_OPEN = "proposed-to-open", "Proposed to open"


class Organisation(index.Indexed, models.Model):
    kind = models.CharField(max_length=16, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(max_length=255)
    urn = models.PositiveIntegerField(
        "URN",
        null=True,
        blank=True,
        unique=True,
        help_text="Unique reference number in the schools register.",
    )
    street = models.CharField(max_length=255, blank=True)
    locality = models.CharField(max_length=255, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    local_authority_code = models.CharField(max_length=8, blank=True)
    local_authority = models.CharField(max_length=100, blank=True, db_index=True)
    district = models.CharField(max_length=100, blank=True, db_index=True)
    authority = models.ForeignKey(
        "cms.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name="partner council",
        help_text="The council whose area the organisation is in: for schools, from their local-authority code. "
        "Empty means outside the partnership.",
    )
    ward = models.CharField(max_length=100, blank=True, db_index=True)
    phase = models.CharField(max_length=64, blank=True, db_index=True)
    establishment_type = models.CharField(max_length=100, blank=True)
    statutory_low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    religious_character = models.CharField(max_length=100, blank=True)
    number_of_pupils = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.OPEN, db_index=True
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    denomination = models.CharField(max_length=100, blank=True)
    has_youth_champion = models.BooleanField(default=False)
    confirmed = models.BooleanField(
        default=True, help_text="Groups that registered themselves wait for staff to confirm them."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("postcode"),
        index.SearchField("town"),
        index.FilterField("kind"),
        index.FilterField("local_authority"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statutory_low_age__isnull=True)
                | Q(statutory_high_age__isnull=True)
                | Q(statutory_low_age__lte=models.F("statutory_high_age")),
                name="organisation_age_range_in_order",
                violation_error_message="The lowest age cannot be above the highest age.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "local_authority"])]

    def __str__(self):
        return self.name

    @property
    def is_school(self):
        return self.kind == OrganisationKind.SCHOOL


class ContactRole(models.TextChoices):
    HEAD_TEACHER = "head-teacher", "Head teacher"
    DSL = "dsl", "Designated safeguarding lead"
    YEAR_5_LEAD = "year-5-lead", "Year 5 lead"
    TEACHER = "teacher", "Teacher"
    YOUTH_CHAMPION = "youth-champion", "Youth champion"
    FAITH_LEADER = "faith-leader", "Faith leader"
    GROUP_LEADER = "group-leader", "Group leader"
    OFFICE = "office", "School or group office"
    OTHER = "other", "Other"


class Contact(index.Indexed, models.Model):
    """An adult at an organisation whom campaigns may write to."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=32, choices=ContactRole.choices, default=ContactRole.OFFICE)
    email = models.EmailField()
    phone = models.CharField(max_length=32, blank=True)
    agreed_to_emails = models.BooleanField(
        default=True, help_text="Agreed to receive campaign emails (invitations and reminders)."
    )
    opted_out = models.BooleanField(default=False, help_text="Unsubscribed from campaign emails.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("name"), index.SearchField("email")]

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="contact_unique_email_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name or self.email} ({self.organisation})"

    @property
    def can_receive_campaign_email(self):
        return self.agreed_to_emails and not self.opted_out


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class SchoolImport(models.Model):
    """One upload of the schools register, imported in the background; its progress and summary."""

    file = models.FileField(upload_to="imports/schools/%Y/%m/")
    local_authorities = models.JSONField(
        default=list, blank=True, help_text="Only import schools in these local authorities (names or codes)."
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING, db_index=True
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField("created", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0)
    closed_count = models.PositiveIntegerField("closed", default=0)
    skipped_count = models.PositiveIntegerField("skipped", default=0)
    problems = models.JSONField(
        default=list, blank=True, help_text="Lines that were skipped: [{line, reason}], the first 1,000."
    )
    error = models.TextField(blank=True, help_text="Why the whole import failed, if it did.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "schools register import"

    def __str__(self):
        return f"Schools register import of {self.created_at:%d %b %Y %H:%M}"

    @property
    def is_finished(self):
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent_done(self):
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.processed_rows / self.total_rows))
