"""Email provider tracking events (through anymail's webhooks): each applied once, never backwards.

anymail checks the webhook secret and turns each provider's payload into an AnymailTrackingEvent; this
module records it as an EmailEvent (unique event id, so a repeated delivery changes nothing), moves the
message's delivery state forward only (announcing it, so its invitation follows), and suppresses
bounced or complaining addresses.
"""

import hashlib
import logging

from anymail.signals import EventType, tracking
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from campaigns.mail.signals import tracking_event_applied
from campaigns.models import (
    Contact,
    DeliveryState,
    EmailEvent,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)

logger = logging.getLogger(__name__)

# Provider event → the message's delivery state.
DELIVERY_FOR_EVENT = {
    EventType.DELIVERED: DeliveryState.DELIVERED,
    EventType.OPENED: DeliveryState.OPENED,
    EventType.CLICKED: DeliveryState.CLICKED,
    EventType.BOUNCED: DeliveryState.BOUNCED,
    EventType.REJECTED: DeliveryState.REJECTED,
    EventType.COMPLAINED: DeliveryState.COMPLAINED,
}
DELIVERY_RANK = {
    DeliveryState.UNKNOWN: 0,
    DeliveryState.DELIVERED: 1,
    DeliveryState.REJECTED: 2,
    DeliveryState.BOUNCED: 2,
    DeliveryState.OPENED: 3,
    DeliveryState.CLICKED: 4,
    DeliveryState.COMPLAINED: 5,
}
SUPPRESS_FOR_EVENT = {
    EventType.BOUNCED: SuppressionReason.BOUNCED,
    EventType.REJECTED: SuppressionReason.BOUNCED,
    EventType.COMPLAINED: SuppressionReason.COMPLAINED,
    EventType.UNSUBSCRIBED: SuppressionReason.UNSUBSCRIBED,
}
# Events that tell us nothing we keep (e.g. the provider queued or deferred it): recorded, no change.
INFORMATIONAL = {
    EventType.QUEUED,
    EventType.SENT,
    EventType.DEFERRED,
    EventType.AUTORESPONDED,
    EventType.SUBSCRIBED,
    EventType.FAILED,
}


def event_id_for(event, esp_name):
    """The provider's event id, or a stable one made from what identifies the event."""
    if event.event_id:
        return f"{esp_name}:{event.event_id}"[:255]
    stamp = event.timestamp.isoformat() if event.timestamp else ""
    raw = f"{esp_name}|{event.message_id}|{event.event_type}|{stamp}|{(event.recipient or '').lower()}"
    return f"{esp_name}:derived:{hashlib.sha256(raw.encode()).hexdigest()}"


def find_message(event):
    """Our message for an event: by the id we put in the metadata, else by the provider's message id."""
    ours = (event.metadata or {}).get("message_id")
    if ours and str(ours).isascii() and str(ours).isdigit() and len(str(ours)) <= 18:
        found = OutboundMessage.objects.filter(pk=int(ours)).first()
        if found is not None:
            return found
    if event.message_id:
        return OutboundMessage.objects.filter(provider_message_id=str(event.message_id)).first()
    return None


def _is_text(value):
    return value is None or (isinstance(value, str) and "\x00" not in value)


def check_event(event):
    """Refuse (BadRequest) an event whose fields are not of the kinds a provider sends: text where text is
    expected, a mapping of metadata, a date for its time."""
    text_fields = (event.event_id, event.message_id, event.recipient, event.description, event.mta_response)
    if not all(_is_text(value) for value in text_fields):
        raise BadRequest("The tracking event has a field of the wrong kind.")
    if event.metadata is not None and not isinstance(event.metadata, dict):
        raise BadRequest("The tracking event's metadata is not a mapping.")
    if event.timestamp is not None and not hasattr(event.timestamp, "isoformat"):
        raise BadRequest("The tracking event's time is not a date.")


def apply_event(event, esp_name):
    """Apply one tracking event. Returns the EmailEvent, or None if this event was applied before."""
    check_event(event)
    if event.event_type == EventType.UNKNOWN or (
        event.event_type not in DELIVERY_FOR_EVENT
        and event.event_type not in SUPPRESS_FOR_EVENT
        and event.event_type not in INFORMATIONAL
    ):
        raise BadRequest("Unrecognised tracking event.")
    if not event.message_id and not (event.metadata or {}).get("message_id") and not event.recipient:
        raise BadRequest("The tracking event names no message and no recipient.")
    when = event.timestamp or timezone.now()
    with transaction.atomic():
        message = find_message(event)
        recipient = (event.recipient or (message.to_email if message else "")).strip()
        try:
            with transaction.atomic():
                recorded = EmailEvent.objects.create(
                    event_id=event_id_for(event, esp_name),
                    message=message,
                    event_type=str(event.event_type)[:32],
                    recipient=recipient[:254],
                    occurred_at=when,
                    description=(event.description or event.mta_response or "")[:2000],
                )
        except IntegrityError:
            return None
        if message is not None:
            _advance_delivery(message, event.event_type)
            tracking_event_applied.send(
                sender=OutboundMessage, message=message, event_type=event.event_type, when=when
            )
        reason = SUPPRESS_FOR_EVENT.get(event.event_type)
        if reason and recipient:
            suppress(recipient, reason)
    if message is None:
        logger.info("Tracking event %s for a message we do not know (%s)", event.event_type, event.message_id)
    return recorded


def _advance_delivery(message, event_type):
    delivery = DELIVERY_FOR_EVENT.get(event_type)
    if delivery is None:
        return
    lower = [state for state, rank in DELIVERY_RANK.items() if rank < DELIVERY_RANK[delivery]]
    OutboundMessage.objects.filter(pk=message.pk, delivery__in=lower).update(
        delivery=delivery, updated_at=timezone.now()
    )


def suppress(email, reason):
    """No more campaign email to this address; a complaint or unsubscribe also opts its contacts out."""
    email = email.strip().lower()
    if not SuppressedAddress.objects.filter(email__iexact=email).exists():
        SuppressedAddress.objects.get_or_create(email=email, defaults={"reason": reason})
    if reason != SuppressionReason.BOUNCED:
        Contact.objects.filter(Q(email__iexact=email), opted_out=False).update(opted_out=True)


@receiver(tracking, dispatch_uid="campaigns.tracking")
def handle_tracking(sender, event, esp_name, **kwargs):
    apply_event(event, esp_name)
