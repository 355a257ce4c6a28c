"""The events demo: a believable programme, relative to today, that a second run leaves alone."""

import io

import pytest
from django.db.models import Sum
from django.utils import timezone

from events import demo
from events.models import BookingMode, EventKind, EventPage, Session, Venue

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Venue.objects.count(),
        EventPage.objects.count(),
        list(Session.objects.order_by("pk").values_list("pk", "starts_at", "capacity", "sequence")),
    )


def test_demo_programme_is_complete_and_idempotent():
    demo.seed(io.StringIO())
    first = snapshot()
    demo.seed(io.StringIO())
    assert snapshot() == first

    now = timezone.now()
    roadshow = EventPage.objects.get(slug="walk-online")
    upcoming = roadshow.sessions.filter(starts_at__gte=now)
    assert upcoming.count() == roadshow.sessions.count() == 20
    assert upcoming.aggregate(total=Sum("capacity"))["total"] >= 3000
    assert upcoming.values("venue").distinct().count() == 2
    local_days = {timezone.localtime(s.starts_at).weekday() for s in upcoming}
    assert local_days == {0, 1, 2, 3, 4}
    assert {timezone.localtime(s.starts_at).hour < 12 for s in upcoming} == {True, False}
    assert roadshow.booking_mode == BookingMode.ORGANISATION
    assert roadshow.audience == "8-10"

    past = EventPage.objects.get(title="Walk Online 2026")
    assert past.sessions.exists()
    assert not past.sessions.filter(starts_at__gte=now).exists()

    parents = EventPage.objects.get(kind=EventKind.PARENT_SESSION)
    assert parents.booking_mode == BookingMode.INDIVIDUAL
    assert parents.max_guests_per_booking > 0
    assert 3 <= parents.sessions.count() <= 5
    assert all(timezone.localtime(s.starts_at).weekday() == 1 for s in parents.sessions.all())

    training = EventPage.objects.filter(kind=EventKind.PROFESSIONAL_TRAINING)
    assert {e.slug for e in training} == {"taxi-and-private-hire-cse-training", "foster-carer-cse-training"}
    assert all(e.attendees_named and e.booking_mode == BookingMode.INDIVIDUAL for e in training)
    assert EventPage.objects.filter(kind=EventKind.DSL_BRIEFING).exists()
    adult_sessions = Session.objects.filter(
        event__kind__in=[EventKind.PROFESSIONAL_TRAINING, EventKind.DSL_BRIEFING]
    )
    assert all(timezone.localtime(s.starts_at).weekday() < 5 for s in adult_sessions)

    assert not Session.objects.filter(places_taken__gt=0).exists()
    for venue in Venue.objects.filter(sessions__event=roadshow).distinct():
        assert venue.accessibility_notes and venue.directions
    for event in EventPage.objects.all():
        assert "0808 800 5000" in event.description
