"""The demo site, as `manage.py seed_demo` builds it, with every queued email sent to an outbox folder.

The conformance checkers (the Nu Html Checker, axe-core, calendar and email parsers) look at what a
visitor or an email recipient of the demo would get.
"""

import datetime
import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.bookings import services as bookings
from campaigns.mail import sending
from campaigns.mail.unsubscribe import unsubscribe_token
from campaigns.models import (
    Booking,
    BookingStatus,
    Invitation,
    MessageState,
    OutboundMessage,
    TrainingRecord,
    WaitingListEntry,
    WaitingListStatus,
)
from campaigns.training import services as training
from events.models import EventPage
from resources.models import ResourcePage

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]


def needed(reason):
    """A missing checker skips the test on a laptop, and fails it under CI=true."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(reason)


def send_queued():
    for message_id in OutboundMessage.objects.filter(state=MessageState.QUEUED).values_list("pk", flat=True):
        sending.deliver(message_id)


@pytest.fixture
def demo_site(settings, tmp_path, monkeypatch):
    """Seed the demo, cancel one booking, send every queued email; return the pages worth checking."""
    settings.EMAIL_BACKEND = "cms.mail.OutboxEmailBackend"
    settings.OUTBOX_DIR = tmp_path / "outbox"
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-conformance")
    call_command("seed_demo", stdout=StringIO())

    confirmed = Booking.objects.filter(
        status=BookingStatus.CONFIRMED, session__starts_at__gt=timezone.now() + datetime.timedelta(days=3)
    ).order_by("pk")
    kept, cancelled = confirmed[0], confirmed[1]
    bookings.cancel_booking(cancelled, reason="The class has a school trip that day.")
    send_queued()

    event = EventPage.objects.live().filter(sessions__isnull=False).order_by("pk").first()
    session = event.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    invitation = Invitation.objects.filter(campaign__events=event).order_by("pk").first()
    record = TrainingRecord.objects.filter(revoked=False).order_by("pk").first()
    pages = {
        "home": "/",
        "library": "/resources/",
        "library-filtered": "/resources/?age=8-10&topic=online-safety",
        "library-unknown-filter": "/resources/?age=nine&audience=aliens",
        "search": "/search/?query=online",
        "search-empty": "/search/",
        "whats-on": "/events/",
        "whats-on-area": "/events/?area=eastmouth",
        "help": "/help/",
        "help-postcode": "/help/?postcode=RM17+6SL",
        "event": event.url,
        "invitation": f"/invitation/{invitation.token}/",
        "booking-form": f"/invitation/{invitation.token}/sessions/{session.pk}/book/",
        "open-booking-form": f"/sessions/{session.pk}/book/",
        "booking-confirmed": f"/bookings/{kept.manage_token}/confirmed/",
        "manage-booking": f"/bookings/{kept.manage_token}/",
        "manage-cancelled-booking": f"/bookings/{cancelled.manage_token}/",
        "certificate": f"/certificates/{training.certificate_token(record)}/",
        "verify": "/certificates/verify/",
        "verify-result": f"/certificates/verify/?code={record.verification_code}",
        "verify-unknown": "/certificates/verify/?code=NOPE-NOPE",
        "unsubscribe": f"/unsubscribe/{unsubscribe_token(kept.booker_email)}/",
        "not-found": "/no-such-page/",
    }
    for status in (WaitingListStatus.WAITING, WaitingListStatus.OFFERED):
        entry = WaitingListEntry.objects.filter(status=status).order_by("pk").first()
        if entry:
            pages[f"waiting-{status}"] = f"/waiting/{entry.token}/"

    for resource in ResourcePage.objects.live().public().order_by("path"):
        pages[f"resource-{resource.slug}"] = resource.url
    return {
        "pages": pages,
        "outbox": Path(settings.OUTBOX_DIR),
        "session": session,
        "invitation": invitation,
        "booking": kept,
    }


@pytest.fixture
def vnu_jar():
    java = shutil.which("java")
    jar = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not java:
        needed("the Nu Html Checker needs Java (apt-get install default-jre-headless)")
    if not jar.exists():
        needed("the Nu Html Checker is not installed (run `npm ci --ignore-scripts` at the repository root)")
    return java, jar
