"""Use cases that change sessions: create, change, cancel, delete and create from a repeating rule.

Every change goes through here (the admin included) so that it is logged and, when a session's time,
venue or status changes, its calendar SEQUENCE goes up and `events.signals.session_changed` is sent
inside the same transaction: the booking side listens and emails updated calendar entries.

`places_taken` is never written here: it belongs to the booking side's conditional UPDATEs. Changes
are applied with queryset updates of the changed columns only, so a stale copy of the counter in
memory can never be written back.
"""

import datetime

from dateutil import rrule
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from wagtail.log_actions import log

from cms.errors import ServiceError
from events.models import Session, SessionStatus
from events.signals import session_changed

# A change to any of these reaches people's calendars: SEQUENCE goes up and the signal is sent.
CALENDAR_FIELDS = ("starts_at", "ends_at", "venue", "status")
EDITABLE_FIELDS = (
    "event",
    "starts_at",
    "ends_at",
    "venue",
    "capacity",
    "booking_opens_at",
    "booking_closes_at",
    "status",
)
MAX_OCCURRENCES = 200


def _check_times(starts_at, ends_at, booking_opens_at=None, booking_closes_at=None):
    if starts_at is None or ends_at is None:
        raise ServiceError("A session needs a start and an end time.")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ServiceError("Session times must include a time zone.")
    if ends_at <= starts_at:
        raise ServiceError("A session must end after it starts.")
    if booking_opens_at and booking_closes_at and booking_closes_at <= booking_opens_at:
        raise ServiceError("Booking must close after it opens.")


def _log_data(session):
    return {
        "event": session.event.title,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "venue": session.venue.name,
        "capacity": session.capacity,
        "status": session.status,
        "sequence": session.sequence,
    }


@transaction.atomic
def create_session(
    *,
    event,
    starts_at,
    ends_at,
    venue,
    capacity,
    booking_opens_at=None,
    booking_closes_at=None,
    status=SessionStatus.SCHEDULED,
    user=None,
):
    _check_times(starts_at, ends_at, booking_opens_at, booking_closes_at)
    if capacity is None or capacity < 1:
        raise ServiceError("A session needs a capacity of at least one place.")
    session = Session.objects.create(
        event=event,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        capacity=capacity,
        booking_opens_at=booking_opens_at,
        booking_closes_at=booking_closes_at,
        status=status,
    )
    log(instance=session, action="events.session.created", user=user, data=_log_data(session))
    return session


def _value(session, field):
    return getattr(session, f"{field}_id") if field in ("event", "venue") else getattr(session, field)


def _normalise(field, value):
    return value.pk if field in ("event", "venue") and value is not None else value


@transaction.atomic
def update_session(session, *, user=None, **changes):
    """Apply `changes` to a session. Returns the session as stored, with `changed_fields` set on it."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ServiceError(f"These session details cannot be changed here: {', '.join(sorted(unknown))}.")
    current = Session.objects.select_for_update().select_related("venue", "event").get(pk=session.pk)
    changed = [f for f in EDITABLE_FIELDS if f in changes and _normalise(f, changes[f]) != _value(current, f)]
    if not changed:
        current.changed_fields = []
        return current

    after = {f: changes.get(f, getattr(current, f)) for f in EDITABLE_FIELDS}
    _check_times(after["starts_at"], after["ends_at"], after["booking_opens_at"], after["booking_closes_at"])
    if after["status"] not in SessionStatus.values:
        raise ServiceError("Unknown session status.")
    capacity = after["capacity"]
    if capacity is None or capacity < 1:
        raise ServiceError("A session needs a capacity of at least one place.")

    calendar_changed = [f for f in changed if f in CALENDAR_FIELDS]
    updates = {f: changes[f] for f in changed}
    updates["updated_at"] = timezone.now()
    if calendar_changed:
        updates["sequence"] = F("sequence") + 1
    # The capacity rule is checked in the same statement as the write, against the live counter.
    try:
        rows = Session.objects.filter(pk=current.pk, places_taken__lte=capacity).update(**updates)
    except IntegrityError:
        rows = 0
    if rows == 0:
        taken = Session.objects.values_list("places_taken", flat=True).get(pk=current.pk)
        raise ServiceError(
            f"The capacity cannot go below the {taken} places already booked. "
            "Cancel or move bookings first, or choose a larger number."
        )

    session = Session.objects.select_related("venue", "event").get(pk=current.pk)
    session.changed_fields = changed
    cancelled = "status" in changed and session.status == SessionStatus.CANCELLED
    action = "events.session.cancelled" if cancelled else "events.session.changed"
    data = _log_data(session)
    data["changed"] = changed
    data["before"] = {f: str(_value(current, f)) for f in changed}
    log(instance=session, action=action, user=user, data=data)
    if calendar_changed:
        session_changed.send(
            sender=Session, session=session, changed_fields=calendar_changed, cancelled=cancelled, user=user
        )
    return session


def cancel_session(session, *, user=None):
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError("This session is already cancelled.")
    return update_session(session, user=user, status=SessionStatus.CANCELLED)


def session_has_bookings(session):
    # Bookings belong to the campaigns app: reached through the reverse relation, never imported.
    bookings = getattr(session, "bookings", None)
    return bookings is not None and bookings.exists()


@transaction.atomic
def delete_session(session, *, user=None):
    if session_has_bookings(session):
        raise ServiceError(
            "This session has bookings, so it cannot be deleted. Cancel the session instead: everyone "
            "booked is told and their calendars are updated."
        )
    data = _log_data(session)
    log(instance=session, action="events.session.deleted", user=user, data=data)
    try:
        with transaction.atomic():
            session.delete()
    except ProtectedError:
        raise ServiceError(
            "This session has bookings, so it cannot be deleted. Cancel the session instead."
        ) from None


def event_has_bookings(page):
    """True when any session of this event page (or of event pages below it) has bookings."""
    sessions = Session.objects.filter(event__path__startswith=page.path, event__depth__gte=page.depth)
    bookings = getattr(Session, "bookings", None)
    if bookings is None:
        return False
    return sessions.filter(bookings__isnull=False).exists()


# Repeating sessions -----------------------------------------------------------------------------

FREQUENCIES = {"weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY, "quarterly": rrule.MONTHLY}
WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


def repeating_rule(*, frequency, weekday, first_date, until, week_of_month=None, interval=1):
    """A dateutil rrule for common patterns.

    `frequency` is weekly, monthly or quarterly (calendar quarters: January, April, July, October);
    `weekday` 0 (Monday) … 6 (Sunday); `week_of_month` 1–4 or -1 (last) for monthly and quarterly.
    Example: the first Tuesday of each quarter is frequency="quarterly", weekday=1, week_of_month=1.
    """
    if frequency not in FREQUENCIES:
        raise ServiceError("Choose weekly, monthly or quarterly.")
    if until < first_date:
        raise ServiceError("The last date must be on or after the first date.")
    day = WEEKDAYS[int(weekday)]
    kwargs = {"dtstart": first_date, "until": until, "interval": max(int(interval or 1), 1)}
    if frequency == "weekly":
        kwargs["byweekday"] = day
    else:
        kwargs["byweekday"] = day(int(week_of_month or 1))
        if frequency == "quarterly":
            kwargs["bymonth"] = (1, 4, 7, 10)
    return rrule.rrule(FREQUENCIES[frequency], **kwargs)


def _local(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_default_timezone())


@transaction.atomic
def create_recurring_sessions(
    event,
    rule,
    *,
    start_time,
    end_time,
    venue,
    capacity,
    booking_opens_at=None,
    user=None,
):
    """Create one Session per occurrence of `rule` (a dateutil rrule or any iterable of dates).

    Times are local (Europe/London) wall-clock times, so a 6:30pm session stays at 6:30pm on either
    side of a clock change. An occurrence that already exists (same event, start and venue) is
    skipped, so running the same rule twice creates nothing new.
    """
    if end_time <= start_time:
        raise ServiceError("A session must end after it starts.")
    days = []
    for occurrence in rule:
        days.append(occurrence.date() if isinstance(occurrence, datetime.datetime) else occurrence)
        if len(days) > MAX_OCCURRENCES:
            raise ServiceError(
                f"That rule makes more than {MAX_OCCURRENCES} sessions: choose a shorter range."
            )
    if not days:
        raise ServiceError("That rule gives no dates between the first and last date.")
    existing = set(Session.objects.filter(event=event, venue=venue).values_list("starts_at", flat=True))
    created = []
    for day in days:
        starts_at = _local(day, start_time)
        if starts_at in existing:
            continue
        created.append(
            create_session(
                event=event,
                starts_at=starts_at,
                ends_at=_local(day, end_time),
                venue=venue,
                capacity=capacity,
                booking_opens_at=booking_opens_at,
                user=user,
            )
        )
    if created:
        log(
            instance=event,
            action="events.sessions.repeating_created",
            user=user,
            data={"count": len(created), "first": created[0].starts_at.isoformat(), "venue": venue.name},
        )
    return created
