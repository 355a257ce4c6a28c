"""Reminders before a session: one email per booking per offset, however often or concurrently the job runs."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.bookings import emails as booking_emails
from campaigns.models import Booking, OutboundMessage
from events.models import SessionStatus

logger = logging.getLogger(__name__)


def reminder_offsets():
    return sorted(set(getattr(settings, "BOOKING_REMINDER_OFFSETS_DAYS", [7, 1])), reverse=True)


def due_reminders(now=None):
    """(booking, offset) pairs whose reminder is due now: the session is within `offset` days but not
    yet within the next smaller offset, and the booking was made before the reminder time."""
    now = now or timezone.now()
    offsets = reminder_offsets()
    for index, days in enumerate(offsets):
        nearer = offsets[index + 1] if index + 1 < len(offsets) else 0
        window = Booking.objects.confirmed().filter(
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now + timedelta(days=nearer),
            session__starts_at__lte=now + timedelta(days=days),
            created_at__lte=F("session__starts_at") - timedelta(days=days),
        )
        for booking in window.select_related(
            "session__event__authority", "session__venue", "campaign__authority", "organisation"
        ).iterator(chunk_size=500):
            yield booking, days


def send_due_reminders(now=None):
    """Queue the reminders that are due. Returns how many were queued by this run."""
    queued = 0
    for booking, days in due_reminders(now):
        key = reminder_key(booking, days)
        if OutboundMessage.objects.filter(dedupe_key=key).exists():
            continue
        # queue_email's unique dedupe_key settles a race with an overlapping run: one row, one email.
        with transaction.atomic():
            send_reminder(booking, days)
        queued += 1
    return queued


def reminder_key(booking, days):
    return f"reminder:{booking.pk}:{days}d"


@booking_emails.in_booker_language
def send_reminder(booking, days):
    when = (
        _("tomorrow") if days == 1 else ngettext("in %(days)d day", "in %(days)d days", days) % {"days": days}
    )
    return booking_emails.send(
        booking,
        "reminder_session",
        _("Reminder: %(event)s %(when)s (%(reference)s)")
        % {**booking_emails.subject_values(booking), "when": when},
        method="REQUEST",
        dedupe_key=reminder_key(booking, days),
        extra={"days": days, "when": when},
    )
