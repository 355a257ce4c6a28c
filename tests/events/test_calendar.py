"""The one calendar builder: valid iCalendar that two independent parsers read the same way."""

import datetime

import pytest
from django.test import override_settings

from events import services
from events.calendar import build_calendar, session_event, session_ics
from events.models import SessionStatus
from tests.factories import EventPageFactory, SessionFactory, VenueFactory

from .helpers import london, parse_both, vevents

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_a_session_download_has_every_property_calendar_programs_need():
    session = SessionFactory(
        event__title="Walk Online roadshow",
        venue__name="Stanford Community Hall",
        starts_at=london(2027, 2, 1, 9, 30),
        ends_at=london(2027, 2, 1, 12),
    )
    calendar, vcal = parse_both(session_ics(session))

    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    (event,) = vevents(calendar)
    assert event["UID"] == f"session-{session.pk}@testserver"
    assert event["SUMMARY"] == "Walk Online roadshow"
    assert event["LOCATION"].startswith("Stanford Community Hall, 1 High Street, Grays, RM17 6SL")
    assert event["URL"] == f"http://testserver/events/{session.event.slug}/"
    assert f"http://testserver/events/{session.event.slug}/" in event["DESCRIPTION"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert "DTSTAMP" in event
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.start == session.starts_at
    assert event.end == session.ends_at
    assert str(event["ORGANIZER"]).startswith("mailto:")  # a published entry names who publishes it too

    vevent = vcal.vevent
    assert vevent.uid.value == f"session-{session.pk}@testserver"
    assert vevent.dtstart.value == session.starts_at
    assert vevent.dtend.value == session.ends_at
    assert vevent.location.value == event["LOCATION"]


@pytest.mark.parametrize(
    ("local_start", "expected_offset_hours"),
    [
        # The spring change: clocks go forward at 01:00 GMT on the last Sunday of March.
        (london(2027, 3, 27, 18, 30), 0),  # Saturday before: GMT
        (london(2027, 3, 28, 18, 30), 1),  # the Sunday itself, evening: BST
        (london(2027, 3, 29, 9, 30), 1),
        # The autumn change: clocks go back at 01:00 GMT on the last Sunday of October.
        (london(2027, 10, 30, 18, 30), 1),
        (london(2027, 10, 31, 18, 30), 0),
        (london(2027, 11, 1, 9, 30), 0),
    ],
)
def test_local_times_stay_right_across_the_clock_changes(local_start, expected_offset_hours):
    session = SessionFactory(starts_at=local_start, ends_at=local_start + datetime.timedelta(hours=2))
    calendar, vcal = parse_both(session_ics(session))
    (event,) = vevents(calendar)

    wall_clock = local_start.strftime("%Y%m%dT%H%M%S")
    assert event["DTSTART"].to_ical().decode() == wall_clock
    assert event.start.utcoffset() == datetime.timedelta(hours=expected_offset_hours)
    # vobject resolves the wall-clock time through the VTIMEZONE we sent, not through its own tz data.
    vstart = vcal.vevent.dtstart.value
    assert vstart.replace(tzinfo=None) == local_start.replace(tzinfo=None)
    assert vstart.utcoffset() == datetime.timedelta(hours=expected_offset_hours)
    assert vstart == session.starts_at


def test_a_session_spanning_the_autumn_change_keeps_its_real_length():
    # 00:30 to 03:30 local on the night the clocks go back is four hours long.
    start = london(2027, 10, 31, 0, 30)
    end = datetime.datetime(2027, 10, 31, 3, 30, tzinfo=start.tzinfo)
    session = SessionFactory(starts_at=start, ends_at=end)
    calendar, vcal = parse_both(session_ics(session))
    utc = datetime.UTC
    four_hours = datetime.timedelta(hours=4)
    assert vcal.vevent.dtend.value.astimezone(utc) - vcal.vevent.dtstart.value.astimezone(utc) == four_hours
    (event,) = vevents(calendar)
    assert event.end.astimezone(utc) - event.start.astimezone(utc) == four_hours
    assert event.start.utcoffset() == datetime.timedelta(hours=1)
    assert event.end.utcoffset() == datetime.timedelta(0)


def test_uid_is_stable_and_sequence_rises_when_time_venue_or_status_change():
    session = SessionFactory()
    uid = vevents(parse_both(session_ics(session))[0])[0]["UID"]

    session = services.update_session(session, capacity=120)
    first = vevents(parse_both(session_ics(session))[0])[0]
    assert (first["UID"], first["SEQUENCE"]) == (uid, 0)

    session = services.update_session(
        session,
        starts_at=session.starts_at + datetime.timedelta(hours=1),
        ends_at=session.ends_at + datetime.timedelta(hours=1),
    )
    moved = vevents(parse_both(session_ics(session))[0])[0]
    assert (moved["UID"], moved["SEQUENCE"]) == (uid, 1)

    session = services.update_session(session, venue=VenueFactory())
    assert vevents(parse_both(session_ics(session))[0])[0]["SEQUENCE"] == 2

    session = services.cancel_session(session)
    cancelled = vevents(parse_both(session_ics(session))[0])[0]
    assert (cancelled["UID"], cancelled["SEQUENCE"], cancelled["STATUS"]) == (uid, 3, "CANCELLED")


def test_a_cancelled_session_is_marked_cancelled_in_every_method():
    session = SessionFactory(status=SessionStatus.CANCELLED)
    for method in ("PUBLISH", "REQUEST", "CANCEL"):
        calendar, vcal = parse_both(session_ics(session, method=method, attendee_email="a@example.org"))
        assert calendar["METHOD"] == method
        assert vevents(calendar)[0]["STATUS"] == "CANCELLED"
        assert vcal.vevent.status.value == "CANCELLED"


def test_method_cancel_marks_a_scheduled_session_cancelled_for_that_attendee():
    session = SessionFactory()
    calendar, _ = parse_both(session_ics(session, method="CANCEL", attendee_email="parent@example.org"))
    assert calendar["METHOD"] == "CANCEL"
    assert vevents(calendar)[0]["STATUS"] == "CANCELLED"


@override_settings(DEFAULT_FROM_EMAIL="Safe Together <events@safe-together.example>")
def test_request_carries_organiser_and_attendee_as_rfc_5546_expects():
    session = SessionFactory()
    body = session_ics(
        session,
        method="REQUEST",
        attendee_email="head@school.example.org",
        attendee_name="Mrs Head, Riverside",
    )
    calendar, vcal = parse_both(body)
    assert calendar["METHOD"] == "REQUEST"
    event = vevents(calendar)[0]
    assert str(event["ORGANIZER"]) == "mailto:events@safe-together.example"
    assert event["ORGANIZER"].params["CN"] == "Safe Together"
    assert str(event["ATTENDEE"]) == "mailto:head@school.example.org"
    assert event["ATTENDEE"].params["CN"] == "Mrs Head, Riverside"
    assert vcal.vevent.attendee.value == "mailto:head@school.example.org"
    assert vcal.vevent.organizer.value == "mailto:events@safe-together.example"


def test_publish_has_no_attendee_even_when_one_is_given():
    session = SessionFactory()
    calendar, _ = parse_both(session_ics(session, attendee_email="someone@example.org"))
    assert "ATTENDEE" not in vevents(calendar)[0]


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="PUBLISH"):
        session_ics(SessionFactory(), method="REFRESH")


def test_a_calendar_of_many_sessions_has_one_timezone_and_one_event_each():
    event = EventPageFactory()
    sessions = [
        SessionFactory(event=event, starts_at=london(2027, 1, 5, 18, 30), ends_at=london(2027, 1, 5, 20)),
        SessionFactory(event=event, starts_at=london(2027, 7, 6, 18, 30), ends_at=london(2027, 7, 6, 20)),
    ]
    calendar, vcal = parse_both(build_calendar(sessions, name="Parents and carers"))
    assert calendar.calendar_name == "Parents and carers"
    assert len(calendar.walk("VTIMEZONE")) == 1
    assert [e.start for e in vevents(calendar)] == [s.starts_at for s in sessions]
    assert len(vcal.vevent_list) == 2
    assert {e["UID"] for e in vevents(calendar)} == {f"session-{s.pk}@testserver" for s in sessions}


def test_an_empty_calendar_is_still_valid():
    calendar, vcal = parse_both(build_calendar([], name="Nothing on"))
    assert vevents(calendar) == []
    assert calendar.walk("VTIMEZONE")


def test_session_event_is_an_icalendar_event_for_callers_building_their_own_calendar():
    session = SessionFactory()
    event = session_event(session, method="REQUEST", attendee_email="x@example.org")
    assert event.name == "VEVENT"
    assert event["SEQUENCE"] == session.sequence
