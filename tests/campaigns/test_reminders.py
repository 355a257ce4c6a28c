"""Reminders go out at the set offsets before a session, once per booking per offset, with the calendar entry."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.bookings import reconciliation, reminders
from campaigns.bookings import services as bookings
from campaigns.bookings.tasks import reconcile_places, send_booking_reminders
from campaigns.models import CapacityDrift, OutboundMessage
from events.models import Session
from tests.campaigns.factories_bookings import campaign_with_session, school_booking

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_per_offset_however_often_the_job_runs():
    campaign, session = campaign_with_session(days_ahead=20)
    booking = bookings.book_places(**school_booking(session, campaign))
    assert reminders.send_due_reminders() == 0  # 20 days ahead: nothing due yet
    week_before = session.starts_at - datetime.timedelta(days=6, hours=23)
    assert reminders.send_due_reminders(now=week_before) == 1
    assert reminders.send_due_reminders(now=week_before) == 0
    assert reminders.send_due_reminders(now=week_before + datetime.timedelta(hours=5)) == 0
    day_before = session.starts_at - datetime.timedelta(hours=20)
    assert reminders.send_due_reminders(now=day_before) == 1
    sent = OutboundMessage.objects.filter(template="reminder_session", related_id=booking.pk)
    assert sorted(sent.values_list("dedupe_key", flat=True)) == [
        f"reminder:{booking.pk}:1d",
        f"reminder:{booking.pk}:7d",
    ]
    assert set(sent.values_list("calendar_method", flat=True)) == {"REQUEST"}


def test_a_booking_made_inside_the_window_gets_no_late_week_reminder_and_cancelled_ones_get_none():
    campaign, session = campaign_with_session(days_ahead=3)
    booking = bookings.book_places(**school_booking(session, campaign))
    cancelled = bookings.book_places(**school_booking(session, campaign))
    bookings.cancel_booking(cancelled)
    assert reminders.send_due_reminders() == 0
    assert reminders.send_due_reminders(now=session.starts_at - datetime.timedelta(hours=12)) == 1
    assert OutboundMessage.objects.get(template="reminder_session").related_id == booking.pk


def test_the_beat_task_sends_due_reminders():
    campaign, session = campaign_with_session(days_ahead=20)
    bookings.book_places(**school_booking(session, campaign))
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=5),
        ends_at=timezone.now() + datetime.timedelta(days=5, hours=2),
    )
    from campaigns.models import Booking

    Booking.objects.update(created_at=timezone.now() - datetime.timedelta(days=10))
    assert send_booking_reminders() == 1


def test_reconciliation_reports_a_counter_that_differs_from_the_bookings():
    campaign, session = campaign_with_session()
    bookings.book_places(**school_booking(session, campaign, pupils=30, staff=2))
    assert reconcile_places() == 0
    Session.objects.filter(pk=session.pk).update(places_taken=40)
    assert reconcile_places() == 1
    drift = CapacityDrift.objects.get()
    assert (drift.places_taken, drift.places_booked, drift.difference) == (40, 32, 8)
    with pytest.raises(SystemExit):
        call_command("reconcile_places")
    assert CapacityDrift.objects.count() == 2
    assert reconciliation.sessions_with_drift().count() == 1
