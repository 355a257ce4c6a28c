"""Read-only queries for the register: today's sessions, one session's register lines, walk-in choices."""

import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from campaigns.models import Attendance, Booking, BookingStatus, NamedAttendee, Organisation, TrainingRecord
from events.models import Session, SessionStatus

REGISTER_DAYS_BACK = 60


# Per session: confirmed bookings, and how many of them have a register line yet.
REGISTER_COUNTS = {
    "booking_count": Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED), distinct=True),
    "recorded_count": Count(
        "bookings",
        filter=Q(bookings__status=BookingStatus.CONFIRMED, bookings__attendance__isnull=False),
        distinct=True,
    ),
}


def register_sessions(now=None):
    """Sessions whose register can be taken: today's, then recent ones, with how many lines are recorded."""
    now = now or timezone.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    return (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__lte=end_of_today,
            starts_at__gte=now - datetime.timedelta(days=REGISTER_DAYS_BACK),
        )
        .select_related("event", "venue")
        .annotate(**REGISTER_COUNTS)
        .order_by("-starts_at")
    )


def register(session):
    """Everything the register page shows for a session, in a fixed number of queries."""
    bookings = list(
        Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
        .select_related("organisation", "attendance")
        .prefetch_related(
            Prefetch("named_attendees", queryset=NamedAttendee.objects.select_related("training_record"))
        )
        .order_by("organisation__name", "booker_name", "pk")
    )
    walk_ins = list(
        Attendance.objects.filter(session=session, booking__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    )
    named_walk_ins = list(
        NamedAttendee.objects.filter(session=session, booking__isnull=True)
        .select_related("training_record")
        .order_by("name")
    )
    for booking in bookings:
        booking.line = getattr(booking, "attendance", None) if _has_attendance(booking) else None
        named = list(booking.named_attendees.all())
        booking.named = named[0] if named else None
    named_people = [b.named for b in bookings if b.named] + named_walk_ins
    for attendee in named_people:
        attendee.certificate_waiting = attendee.attended and _record(attendee) is None
    counted = [b.line for b in bookings if b.line] + walk_ins
    present = [line for line in counted if not line.no_show]
    totals = {
        "booked_pupils": sum(b.pupils for b in bookings),
        "booked_people": sum(b.places for b in bookings),
        "pupils": sum(line.pupils for line in present),
        "staff": sum(line.staff for line in present),
        "adults": sum(line.adults for line in present) + sum(1 for n in named_walk_ins if n.attended),
        "recorded": sum(1 for b in bookings if b.line),
        "no_shows": sum(1 for line in counted if line.no_show),
    }
    return {
        "bookings": bookings,
        "walk_ins": walk_ins,
        "named_walk_ins": named_walk_ins,
        "totals": totals,
        "certificates_waiting": sum(1 for attendee in named_people if attendee.certificate_waiting),
    }


def _record(attendee):
    try:
        return attendee.training_record
    except TrainingRecord.DoesNotExist:
        return None


def _has_attendance(booking):
    try:
        return booking.attendance is not None
    except Attendance.DoesNotExist:
        return False


def walk_in_organisations(session):
    """Organisations a walk-in is likely to come from: those invited to the session's campaigns."""
    return (
        Organisation.objects.filter(invitations__campaign__events=session.event_id)
        .distinct()
        .order_by("name")
    )


def campaign_register_sessions(campaign, now=None):
    """A campaign's sessions up to today with bookings and register lines recorded (one query)."""
    now = now or timezone.now()
    return (
        Session.objects.filter(event__campaigns=campaign, starts_at__lte=now, status=SessionStatus.SCHEDULED)
        .select_related("venue", "event")
        .annotate(**REGISTER_COUNTS)
        .order_by("-starts_at")[:20]
    )
