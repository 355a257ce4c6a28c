"""Helpers for the events tests: parse calendars with two independent parsers, fill sessions."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import vobject

from events.models import Session

LONDON = ZoneInfo("Europe/London")


def london(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def parse_both(body):
    """Parse with icalendar and with vobject; return (icalendar.Calendar, vobject component)."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    calendar = icalendar.Calendar.from_ical(text)
    vcal = vobject.readOne(text)
    return calendar, vcal


def vevents(calendar):
    return list(calendar.walk("VEVENT"))


def take_places(session, n):
    """Stand in for the booking side's conditional UPDATE of the counter."""
    Session.objects.filter(pk=session.pk).update(places_taken=n)
    session.refresh_from_db()
    return session
