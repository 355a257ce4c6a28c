"""The one calendar builder: iCalendar (RFC 5545 / RFC 5546) for feeds, downloads and email attachments.

Every session becomes one VEVENT with a stable UID, so calendar programs update the same entry when
the session moves or is cancelled; SEQUENCE is the session's revision counter. Times are written in
Europe/London with the matching VTIMEZONE, so they stay right across the clock changes.
"""

import datetime
import functools
import html
from email.utils import parseaddr
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from cms.links import absolute_url

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Safe Together//Events and sessions//EN"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")


def session_uid(session):
    host = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "safe-together.invalid"
    return f"session-{session.pk}@{host}"


def event_url(event):
    """The event page's public address (absolute)."""
    url = event.get_url() or ""
    if url.startswith(("http://", "https://")):
        return url
    return absolute_url(url or "/events/")


def _organiser():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organiser = vCalAddress(f"mailto:{address}")
    if name:
        organiser.params["CN"] = vText(name)
    return organiser


def _attendee(email, name):
    attendee = vCalAddress(f"mailto:{email}")
    if name:
        attendee.params["CN"] = vText(name)
    attendee.params["CUTYPE"] = vText("INDIVIDUAL")
    attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("ACCEPTED")
    attendee.params["RSVP"] = vText("FALSE")
    return attendee


def _description(session, url):
    event = session.event
    summary = html.unescape(strip_tags(event.search_description or event.description or "")).strip()
    parts = []
    if session.is_cancelled:
        parts.append(_("This session has been cancelled."))
    if summary:
        parts.append(Truncator(" ".join(summary.split())).chars(600))
    parts.append(_("Venue: %(address)s") % {"address": session.venue.one_line_address})
    if session.venue.directions:
        parts.append(_("Getting there: %(directions)s") % {"directions": session.venue.directions.strip()})
    parts.append(_("Details, directions and accessibility: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def _check_method(method):
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}: use one of {', '.join(METHODS)}.")


def session_event(
    session, *, method="PUBLISH", attendee_email=None, attendee_name=None, uid=None, sequence=None
):
    """One VEVENT for a session. `session.event` and `session.venue` should be loaded (select_related).

    A booking's own entry passes its own `uid` and `sequence`, so one person's calendar entry is never the
    public feed's entry or another booker's, and each change to it supersedes the last.
    """
    _check_method(method)
    url = event_url(session.event)
    cancelled = session.is_cancelled or method == "CANCEL"
    vevent = Event()
    vevent.add("uid", uid or session_uid(session))
    # A published feed carries the time of the session's last revision (stable, so it caches); an iTIP
    # message carries the time it was made (RFC 5546 §2.1.5).
    stamp = session.updated_at if method == "PUBLISH" and session.updated_at else timezone.now()
    vevent.add("dtstamp", stamp.astimezone(datetime.UTC))
    vevent.add("dtstart", session.starts_at.astimezone(LONDON))
    vevent.add("dtend", session.ends_at.astimezone(LONDON))
    title = session.event.title
    vevent.add("summary", _("Cancelled: %(title)s") % {"title": title} if cancelled else title)
    vevent.add("location", session.venue.one_line_address)
    vevent.add("description", _description(session, url))
    vevent.add("url", url)
    vevent.add("sequence", session.sequence if sequence is None else sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if session.created_at:
        vevent.add("created", session.created_at.astimezone(datetime.UTC))
    if session.updated_at:
        vevent.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    vevent.add("organizer", _organiser())
    if method in ("REQUEST", "CANCEL") and attendee_email:
        vevent.add("attendee", _attendee(attendee_email, attendee_name))
    return vevent


def build_calendar(
    sessions, *, method="PUBLISH", name=None, attendee_email=None, attendee_name=None, uid=None, sequence=None
):
    """A whole VCALENDAR (bytes) holding one VEVENT per session, with the VTIMEZONE they use."""
    _check_method(method)
    sessions = list(sessions)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.calendar_name = name  # NAME and X-WR-CALNAME
        calendar.add("x-wr-timezone", "Europe/London")
        calendar.refresh_interval = datetime.timedelta(hours=1)
        calendar.add("x-published-ttl", "PT1H")
    for session in sessions:
        calendar.add_component(
            session_event(
                session,
                method=method,
                attendee_email=attendee_email,
                attendee_name=attendee_name,
                uid=uid,
                sequence=sequence,
            )
        )
    # The VTIMEZONE covers a year either side of the sessions (or of today for an empty feed). Every time
    # is written in Europe/London, so it is the only zone; it goes before the first event.
    moments = [s.starts_at for s in sessions] + [s.ends_at for s in sessions] or [timezone.now()]
    first = min(moments).astimezone(LONDON).date().replace(month=1, day=1) - datetime.timedelta(days=366)
    last = max(moments).astimezone(LONDON).date().replace(month=12, day=31) + datetime.timedelta(days=366)
    body = calendar.to_ical()
    at = body.find(b"BEGIN:VEVENT")
    at = at if at >= 0 else body.rindex(b"END:VCALENDAR")
    return body[:at] + london_vtimezone(first, last) + body[at:]


@functools.lru_cache(maxsize=32)
def london_vtimezone(first, last):
    """Europe/London's VTIMEZONE (bytes) with the clock changes from `first` to `last`.

    It is the same for every calendar covering the same years, so each process builds it once: it was
    over a third of the work of a booking's confirmation calendar.
    """
    return Timezone.from_tzid("Europe/London", first_date=first, last_date=last).to_ical()


def session_ics(
    session, *, method="PUBLISH", attendee_email=None, attendee_name=None, uid=None, sequence=None
):
    """A VCALENDAR (bytes) for one session: a download, or an email attachment (REQUEST / CANCEL)."""
    return build_calendar(
        [session],
        method=method,
        attendee_email=attendee_email,
        attendee_name=attendee_name,
        uid=uid,
        sequence=sequence,
    )
