"""Reconciliation: does each session's counter equal its bookings holding places (confirmed, and unconfirmed
ones not yet released) plus the places held for waiting-list offers?"""

import logging

from django.db.models import F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from campaigns.models import Booking, CapacityDrift, WaitingListEntry, WaitingListStatus
from events.models import Session

logger = logging.getLogger(__name__)


def _sum(queryset, field):
    return Coalesce(
        Subquery(
            queryset.values("session_id").annotate(total=Sum(field)).values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def sessions_with_drift(sessions=None):
    """Sessions whose counter differs from their bookings, read in one statement (one snapshot)."""
    sessions = Session.objects.all() if sessions is None else sessions
    booked = Booking.objects.holding_places().filter(session_id=OuterRef("pk"))
    held = WaitingListEntry.objects.filter(session_id=OuterRef("pk"), status=WaitingListStatus.OFFERED)
    return (
        sessions.annotate(booked=_sum(booked, "places"), held=_sum(held, "places_wanted"))
        .annotate(expected=F("booked") + F("held"))
        .exclude(places_taken=F("expected"))
        .order_by("pk")
    )


def reconcile(sessions=None):
    """Record and log every drift found. Returns the CapacityDrift rows created."""
    found = []
    for session in sessions_with_drift(sessions):
        logger.error(
            "Capacity drift at session %s: counter %s, bookings %s + held offers %s",
            session.pk,
            session.places_taken,
            session.booked,
            session.held,
        )
        found.append(
            CapacityDrift.objects.create(
                session=session, places_taken=session.places_taken, places_booked=session.expected
            )
        )
    return found
