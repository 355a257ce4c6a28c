"""Read-only queries for the invitation pages: the invitation behind a link, the sessions it offers, what
the organisation has booked already, and whether a campaign is still worth inviting anyone to."""

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Booking, CampaignStatus, Invitation
from events.models import Session, SessionStatus


def invitation_by_token(token, *, with_contact=True):
    """The invitation a link was made for, or None if the token is unknown or its organisation is gone."""
    if not token or len(token) > 64:
        return None
    related = ("campaign__authority", "organisation")
    if with_contact:
        related += ("contact",)
    try:
        return Invitation.objects.select_related(*related).get(token=token)
    except Invitation.DoesNotExist:
        return None


def campaign_session(campaign, session_pk):
    """One of a campaign's sessions of a published event, with its event and venue, or None if the campaign
    has no such session (or its event is unpublished)."""
    try:
        session = Session.objects.select_related("event__authority", "venue").get(
            pk=session_pk, event__campaigns=campaign, event__live=True
        )
    except Session.DoesNotExist:
        return None
    return session


def bookable_sessions(campaign, now=None):
    """A campaign's upcoming, scheduled sessions of published events with their venue and event, soonest first."""
    now = now or timezone.now()
    return (
        Session.objects.filter(
            event__campaigns=campaign, event__live=True, status=SessionStatus.SCHEDULED, starts_at__gt=now
        )
        .filter(Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now))
        .select_related("venue", "event")
        .order_by("starts_at")
    )


def finished_reason(campaign, now=None):
    """Why a campaign takes no more invitations or reminders, as a clause for staff; None while it runs.

    A campaign is finished when it is closed or archived, when its end date has passed, or when it has
    sessions and none of them can still be booked (an invitation would lead to a page with nothing open).
    A campaign whose sessions have not been added yet has not finished.
    """
    now = now or timezone.now()
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED):
        return f"the campaign is {campaign.get_status_display().lower()}"
    if campaign.ends_on < timezone.localdate(now):
        return f"the campaign ended on {campaign.ends_on:%-d %B %Y}"
    if campaign.sessions().exists() and not bookable_sessions(campaign, now).exists():
        return "none of its sessions can still be booked"
    return None


def organisation_bookings(campaign, organisation):
    return (
        Booking.objects.confirmed()
        .filter(campaign=campaign, organisation=organisation)
        .select_related("session__venue", "session__event")
        .order_by("session__starts_at")
    )
