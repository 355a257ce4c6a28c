"""The bookings demo: a waiting list with an open offer, bookings through the services, and reminders due."""

from datetime import timedelta
from io import StringIO

import pytest

from campaigns.demo import bookings as demo_bookings
from campaigns.demo import organisations as demo
from campaigns.models import Booking, OutboundMessage, WaitingListEntry, WaitingListStatus
from events import demo as events_demo

# Both databases: on PostgreSQL, sessions that start together come back in no fixed order unless asked.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def seed():
    out = StringIO()
    events_demo.seed(out)
    demo.seed(out)
    demo_bookings.seed(out)
    return out.getvalue()


def test_demo_has_an_open_waiting_list_offer_and_queues_reminders_once():
    output = seed()
    offer = WaitingListEntry.objects.get(status=WaitingListStatus.OFFERED)
    assert offer.offer_expires_at is not None
    assert OutboundMessage.objects.filter(
        template__startswith="waiting", to_email=offer.booker_email
    ).exists()
    assert WaitingListEntry.objects.filter(status=WaitingListStatus.WAITING).exists()
    reminders = OutboundMessage.objects.filter(template="reminder_session")
    assert reminders.exists()
    assert "reminders queued" in output
    for booking in Booking.objects.filter(pk__in=reminders.values("related_id")):
        # Booked weeks ahead, as real bookings are, so the 7-day reminder fell due after booking.
        assert booking.created_at <= booking.session.starts_at - timedelta(days=7)

    counts = (Booking.objects.count(), WaitingListEntry.objects.count(), OutboundMessage.objects.count())
    seed()
    assert (
        Booking.objects.count(),
        WaitingListEntry.objects.count(),
        OutboundMessage.objects.count(),
    ) == counts
