"""Every email the demo sends, and every calendar it offers, reads cleanly in outside parsers.

Emails: Python's own `email` package (strict policy, header registry). Calendars: `icalendar`, `vobject`
and `ics`, on every attachment and on the public feed.
"""

import email
import email.policy
import email.utils
import importlib
import os
from collections import Counter
from email.headerregistry import Address

import icalendar
import pytest
import vobject
from django.test import Client

from campaigns.mail.sending import site_host
from campaigns.models import MessageState, OutboundMessage

pytestmark = pytest.mark.django_db

IN_CI = os.environ.get("CI", "").lower() == "true"
FEEDS = ("/events/calendar.ics", "/events/{slug}/calendar.ics", "/events/sessions/{session}.ics")


def outbox_messages(outbox):
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(outbox.glob("*.eml"))
    }


def calendars(demo_site):
    """(where, bytes, iTIP method) for every calendar attachment in the outbox and every public feed."""
    found = []
    for name, message in outbox_messages(demo_site["outbox"]).items():
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                method = (part.get_param("method") or "").upper()
                found.append((name, part.get_payload(decode=True), method))
    client = Client()
    session = demo_site["session"]
    for feed in FEEDS:
        url = feed.format(slug=session.event.slug, session=session.pk)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/calendar"), url
        found.append((url, response.content, "PUBLISH"))
    return found


def calendar_problems(name, raw, method=None):
    """What icalendar and vobject object to in one calendar (bytes)."""
    problems = []
    calendar = icalendar.Calendar.from_ical(raw)
    for key in ("VERSION", "PRODID", "METHOD"):
        if key not in calendar:
            problems.append(f"{name}: no {key}")
    if method and str(calendar.get("METHOD")) != method:
        problems.append(f"{name}: METHOD {calendar.get('METHOD')} but the email says method={method}")
    events = calendar.walk("VEVENT")
    if not events:
        problems.append(f"{name}: no VEVENT")
    for event in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "SEQUENCE"):
            if key not in event:
                problems.append(f"{name}: a VEVENT without {key}")
        if str(calendar.get("METHOD")) in ("PUBLISH", "REQUEST") and "ORGANIZER" not in event:
            problems.append(f"{name}: a {calendar.get('METHOD')} VEVENT without ORGANIZER")
    text = raw.decode("utf-8")
    parsed = vobject.readOne(text)
    if len(parsed.contents.get("vevent", [])) != len(events):
        problems.append(f"{name}: vobject reads a different number of events")
    return problems


def test_every_demo_email_is_well_formed(demo_site):
    messages = outbox_messages(demo_site["outbox"])
    subjects = Counter(str(message["Subject"]) for message in messages.values())
    domain = site_host()
    problems = []
    for name, message in messages.items():
        for header in ("Message-ID", "Date", "From", "To", "Subject"):
            if not message[header]:
                problems.append(f"{name}: no {header}")
        for header, value in message.items():
            if getattr(value, "defects", ()):
                problems.append(f"{name}: {header} has defects {value.defects}")
        if message.defects:
            problems.append(f"{name}: {message.defects}")
        message_id = str(message["Message-ID"])
        if not (message_id.startswith("<") and message_id.endswith(f"@{domain}>")):
            problems.append(f"{name}: Message-ID {message_id} is not on {domain}")
        if email.utils.parsedate_to_datetime(str(message["Date"])) is None:
            problems.append(f"{name}: Date does not parse")
        for header in ("From", "To"):
            addresses = message[header].addresses
            if not addresses or not all(isinstance(a, Address) and "@" in a.addr_spec for a in addresses):
                problems.append(f"{name}: {header} {message[header]} does not parse as addresses")
        for part in message.walk():
            if part.get_content_maintype() == "multipart":
                continue
            if part.defects:
                problems.append(f"{name}: {part.get_content_type()} part has {part.defects}")
            charsets = [key for key, _ in part.get_params() or [] if key.lower() == "charset"]
            if len(charsets) != 1:
                problems.append(f"{name}: {part.get_content_type()} has {len(charsets)} charset parameters")
            if part.get_content_type() == "text/calendar" and not part.get_param("method"):
                problems.append(f"{name}: a calendar part without method=")
    assert problems == []
    # The demo's outbox has the kinds of email this check is meant for.
    calendars = sum(1 for m in messages.values() for p in m.walk() if p.get_content_type() == "text/calendar")
    assert calendars >= 3, subjects
    sent = OutboundMessage.objects.filter(state=MessageState.SENT)
    assert len(messages) == sent.count()
    kinds = set(sent.values_list("template", flat=True))
    assert {"booking_confirmed", "booking_cancelled", "reminder_session", "invitation"} <= kinds, kinds


def test_every_calendar_reads_cleanly_in_icalendar_and_vobject(demo_site):
    found = calendars(demo_site)
    methods = Counter(method for _, _, method in found)
    assert {"PUBLISH", "REQUEST", "CANCEL"} <= set(methods), methods
    problems = [problem for name, raw, method in found for problem in calendar_problems(name, raw, method)]
    assert problems == []


@pytest.fixture
def ics():
    """The `ics` package (requirements-dev.txt), a third reader; under CI=true it must be installed."""
    if IN_CI:
        return importlib.import_module("ics")
    return pytest.importorskip(
        "ics", reason="the ics package is not installed: pip install -r requirements-dev.txt"
    )


def test_every_calendar_reads_cleanly_in_ics(ics, demo_site):
    problems = []
    for name, raw, _ in calendars(demo_site):
        expected = len(icalendar.Calendar.from_ical(raw).walk("VEVENT"))
        try:
            read = len(ics.Calendar(raw.decode("utf-8")).events)
        except Exception as exc:  # noqa: BLE001 - any parser complaint is a finding
            problems.append(f"{name}: ics cannot read it: {type(exc).__name__}: {exc}")
            continue
        if read != expected:
            problems.append(f"{name}: ics reads {read} events, icalendar {expected}")
    assert problems == []
