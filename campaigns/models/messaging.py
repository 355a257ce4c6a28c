"""The outbound-email pipeline's records: every email is a row before it is sent.

State machine: queued → sending → sent | retrying → … | failed | suppressed. Provider webhooks then
move a sent message to delivered, opened, clicked, bounced or complained (see `EmailEvent`).
"""

import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class MessageKind(models.TextChoices):
    TRANSACTIONAL = "transactional", "Transactional (confirmations, changes)"
    CAMPAIGN = "campaign", "Campaign (invitations, reminders to book)"


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SUPPRESSED = "suppressed", "Suppressed"


class DeliveryState(models.TextChoices):
    UNKNOWN = "", "Not reported"
    DELIVERED = "delivered", "Delivered"
    OPENED = "opened", "Opened"
    CLICKED = "clicked", "Clicked"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"
    REJECTED = "rejected", "Rejected by provider"


class OutboundMessage(models.Model):
    # High-volume rows that no page or snippet links to: keep them out of Wagtail's reference index, which
    # would otherwise be rewritten (several queries) on every save.
    wagtail_reference_index_ignore = True

    to_email = models.EmailField(db_index=True)
    to_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=255)
    template = models.CharField(
        max_length=100, help_text="Template name under templates/emails/, without extension."
    )
    context = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.TRANSACTIONAL)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    # A key that makes "send this at most once" a database rule (e.g. "reminder:7d:booking:42").
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    calendar = models.TextField(blank=True, help_text="An iCalendar attachment (text/calendar), if any.")
    calendar_method = models.CharField(max_length=16, blank=True)
    # The language its templates are rendered in (a code of settings.LANGUAGES); empty for the site's own.
    language = models.CharField(max_length=16, blank=True)
    state = models.CharField(
        max_length=16, choices=MessageState.choices, default=MessageState.QUEUED, db_index=True
    )
    delivery = models.CharField(max_length=16, choices=DeliveryState.choices, blank=True, default="")
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a message waiting to be retried is due to be tried again."
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["related_type", "related_id"]),
            models.Index(fields=["campaign", "state"]),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_email} ({self.get_state_display()})"


class EmailEvent(models.Model):
    """A provider tracking event, stored once by its event id so repeats change nothing."""

    # High-volume rows that no page or snippet links to: keep them out of Wagtail's reference index, which
    # would otherwise be rewritten (several queries) on every save.
    wagtail_reference_index_ignore = True

    event_id = models.CharField(max_length=255, unique=True)
    message = models.ForeignKey(
        OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    event_type = models.CharField(max_length=32)
    recipient = models.EmailField(blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-occurred_at"]


class SuppressionReason(models.TextChoices):
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"


def new_unsubscribe_key():
    return secrets.token_urlsafe(18)


class UnsubscribeLink(models.Model):
    """The address an unsubscribe link stands for. The link carries only the random key (signed), so the
    address cannot be read from it; one row per address, kept so links in emails already sent keep working."""

    key = models.CharField(max_length=32, unique=True, default=new_unsubscribe_key, editable=False)
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.email


class SuppressedAddress(models.Model):
    """Addresses that get no more campaign email."""

    email = models.EmailField(unique=True)
    reason = models.CharField(max_length=16, choices=SuppressionReason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "suppressed addresses"

    def __str__(self):
        return f"{self.email} ({self.get_reason_display()})"
