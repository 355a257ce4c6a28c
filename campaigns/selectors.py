"""Read-only queries for campaign pages, reports and the API."""

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Invitation
from events.models import Session, SessionStatus


def invitation_by_token(token):
    """The invitation a link was made for, or None if the token is unknown or its organisation is gone."""
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("campaign", "organisation", "contact").filter(token=token).first()
    )


def bookable_sessions(campaign, now=None):
    """A campaign's upcoming, scheduled sessions with their venue and event, soonest first."""
    now = now or timezone.now()
    return (
        Session.objects.filter(event__campaigns=campaign, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .filter(Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now))
        .select_related("venue", "event")
        .order_by("starts_at")
    )
