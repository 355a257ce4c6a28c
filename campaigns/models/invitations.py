"""Invitations: one per organisation per campaign, with a personal booking link and a tracked state."""

from django.db import models

from .tokens import new_token


class InvitationState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    DELIVERED = "delivered", "Delivered"
    OPENED = "opened", "Opened"
    CLICKED = "clicked", "Clicked"
    BOUNCED = "bounced", "Bounced"
    FAILED = "failed", "Failed"
    BOOKED = "booked", "Booked"
    DECLINED = "declined", "Declined"


class Invitation(models.Model):
    # High-volume rows that no page or snippet links to: keep them out of Wagtail's reference index, which
    # would otherwise be rewritten (several queries) on every save.
    wagtail_reference_index_ignore = True

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "campaigns.Organisation", on_delete=models.CASCADE, related_name="invitations"
    )
    contact = models.ForeignKey(
        "campaigns.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(
        max_length=16, choices=InvitationState.choices, default=InvitationState.QUEUED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="invitation_one_per_organisation_per_campaign"
            )
        ]

    def __str__(self):
        return f"{self.campaign} → {self.organisation}"

    @property
    def has_answered(self):
        return self.booked_at is not None or self.declined_at is not None
