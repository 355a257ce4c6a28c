"""Each booking's calendar entry is its own: its own UID, a SEQUENCE that rises with every change to the
booking or its session, and an attachment and headers that email and calendar programs read as meant."""

import datetime
import email
import email.policy

import icalendar
import pytest
from django.core.cache import cache

from campaigns.bookings import services as bookings
from campaigns.mail.sending import build_email
from campaigns.models import OutboundMessage
from events import services as event_services
from tests.campaigns.factories_bookings import another_session, campaign_with_session, school_booking

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def entries(booking):
    found = []
    for message in OutboundMessage.objects.filter(related_id=booking.pk).exclude(calendar="").order_by("pk"):
        (event,) = icalendar.Calendar.from_ical(message.calendar).walk("VEVENT")
        found.append((message.template, str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])))
    return found


def test_a_bookings_entry_has_its_own_uid_and_a_sequence_that_rises_with_each_change():
    campaign, session = campaign_with_session(capacity=90)
    first = bookings.book_places(**school_booking(session, campaign))
    second = bookings.book_places(**school_booking(session, campaign))
    bookings.change_booking(first, pupils=20)
    bookings.cancel_booking(first)

    found = entries(first)
    assert [template for template, *_ in found] == [
        "booking_confirmed",
        "booking_changed",
        "booking_cancelled",
    ]
    assert {uid for _, uid, _, _ in found} == {f"booking-{first.pk}@testserver"}
    assert [sequence for _, _, sequence, _ in found] == [0, 1, 2]
    assert found[-1][3] == "CANCELLED"
    assert entries(second)[0][1] == f"booking-{second.pk}@testserver"  # not shared with another booking
    assert entries(second)[0][1] != f"session-{session.pk}@testserver"  # nor with the public feed


def test_a_session_change_and_a_move_keep_raising_the_same_entrys_sequence(
    django_capture_on_commit_callbacks,
):
    campaign, session = campaign_with_session(capacity=90)
    later = another_session(campaign)
    booking = bookings.book_places(**school_booking(session, campaign))
    with django_capture_on_commit_callbacks(execute=True):
        event_services.update_session(session, starts_at=session.starts_at + datetime.timedelta(hours=1))
    bookings.change_booking(booking, session=later)
    found = entries(booking)
    assert [template for template, *_ in found] == [
        "booking_confirmed",
        "booking_session_changed",
        "booking_moved_from",
        "booking_changed",
    ]
    assert {uid for _, uid, _, _ in found} == {f"booking-{booking.pk}@testserver"}
    assert [sequence for _, _, sequence, _ in found] == [0, 1, 2, 3]


def test_the_calendar_attachment_and_message_id_are_as_mail_programs_expect(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://safe.example.gov.uk"
    campaign, session = campaign_with_session(capacity=90)
    booking = bookings.book_places(**school_booking(session, campaign))
    message = OutboundMessage.objects.get(related_id=booking.pk, template="booking_confirmed")
    parsed = email.message_from_bytes(build_email(message).message().as_bytes(), policy=email.policy.default)
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    content_type = part["Content-Type"]
    assert content_type.count("charset") == 1
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert parsed["Message-ID"].endswith("@safe.example.gov.uk>")
