"""Taking the register: counts per booking, no-shows, walk-ins, named attendees; every change logged.

A register can be changed from the day of the session until REGISTER_EDIT_DAYS after it ends; after that
only staff with CORRECT_CLOSED_REGISTERS may correct it (and the log says the change came after it closed).
Ticking someone off at professional training issues their certificate only once the session has ended and
only when the person ticking may issue certificates (ISSUE_CERTIFICATES). A tick before the end waits for
the scheduled `training.issue_due_certificates`, or for such staff to confirm completion of a session that
has started (`issue_waiting_certificates`); a register taker's tick waits for such staff.
`user` None is the system itself (the demo, management commands), which is trusted.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.log_actions import log_change
from campaigns.models import Attendance, Booking, BookingKind, BookingStatus, NamedAttendee
from campaigns.register import follow_up
from campaigns.roles import CORRECT_CLOSED_REGISTERS
from campaigns.signals import announce_reach_inputs_changed
from campaigns.training import services as training
from cms.errors import ServiceError
from events.models import SessionStatus

# No register line is ever this big: a larger number is a slip of the keyboard, and is refused.
MAX_COUNT = 1_000
# A count more than this much above the booking (or above the session's capacity) is asked about first.
UNUSUAL_OVER_BOOKED = 0.5


class NeedsConfirmation(ServiceError):
    """The counts are possible but unusual: the person taking the register must say they are right."""

    def __init__(self, message):
        super().__init__(message, code="needs_confirmation")


def register_edit_days():
    return int(getattr(settings, "REGISTER_EDIT_DAYS", 14))


def register_closes_at(session):
    """When a session's register closes for everyone without CORRECT_CLOSED_REGISTERS."""
    return session.ends_at + timedelta(days=register_edit_days())


def _check_session(session, now=None, user=None):
    """Raise ServiceError unless `user` may change the session's register now. Returns whether the
    register has closed (a correction by staff allowed to make one)."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError("This session was cancelled, so it has no register.")
    if timezone.localdate(session.starts_at) > timezone.localdate(now):
        raise ServiceError("The register opens on the day of the session.")
    closes = register_closes_at(session)
    if now < closes:
        return False
    if user is not None and not user.has_perm(CORRECT_CLOSED_REGISTERS):
        raise ServiceError(
            f"This register closed on {timezone.localtime(closes):%-d %B %Y}, {register_edit_days()} days "
            "after the session. Ask a manager who may correct closed registers.",
            code="register_closed",
        )
    return True


def _closed(late):
    """What the audit log adds for a change made after the register closed."""
    return {"after_register_closed": True} if late else {}


def _check_counts(pupils, staff, adults):
    for label, value in (("pupils", pupils), ("staff", staff), ("adults", adults)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > MAX_COUNT:
            raise ServiceError(f"Enter a number of {label} between 0 and {MAX_COUNT:,}.")


def unusual_counts(total, *, session, booked=None):
    """Why a register line of `total` people looks wrong (far above the booking, or more people than the
    session holds), or "" when it looks right."""
    if booked is not None and total > booked * (1 + UNUSUAL_OVER_BOOKED):
        return (
            f"That is {total:,} people for a booking of {booked:,}, far more than booked. "
            "Check the numbers; if they are right, tick “Yes, this is right” and save again."
        )
    if total > session.capacity:
        return (
            f"That is {total:,} people, more than the {session.capacity:,} places this session holds. "
            "Check the numbers; if they are right, tick “Yes, this is right” and save again."
        )
    return ""


def _check_unusual(total, *, session, booked=None, confirmed=False, user=None):
    """Raise NeedsConfirmation for unusual counts from a person who has not confirmed them (the system
    itself, `user` None, is trusted). Returns whether the counts were unusual."""
    confirmed = confirmed or user is None
    warning = unusual_counts(total, session=session, booked=booked)
    if warning and not confirmed:
        raise NeedsConfirmation(warning)
    return bool(warning)


def _organisation_name(organisation):
    return organisation.name if organisation is not None else ""


def _snapshot(attendance):
    return {
        "pupils": attendance.pupils,
        "staff": attendance.staff,
        "adults": attendance.adults,
        "no_show": attendance.no_show,
        "notes": attendance.notes,
    }


@transaction.atomic
def record_attendance(
    booking, *, pupils=0, staff=0, adults=0, no_show=False, notes="", confirmed=False, user=None, now=None
):
    """Record (or correct) who came for a booking. A school that came gets its follow-up pack once.

    Counts far above the booking, or above the session's capacity, raise NeedsConfirmation unless
    `confirmed` (the register taker said they are right)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session", "campaign", "organisation")
        .get(pk=booking.pk)
    )
    if booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(f"Booking {booking.reference} was cancelled, so it has no attendance.")
    late = _check_session(booking.session, now, user)
    if no_show:
        pupils = staff = adults = 0
    _check_counts(pupils, staff, adults)
    if not no_show and pupils + staff + adults == 0:
        raise ServiceError(f"Enter who came for {booking.reference}, or mark it as a no-show.")
    unusual = _check_unusual(
        pupils + staff + adults,
        session=booking.session,
        booked=booking.places,
        confirmed=confirmed,
        user=user,
    )
    existing = Attendance.objects.filter(booking=booking).first()
    before = _snapshot(existing) if existing else None
    attendance = existing or Attendance(booking=booking, session=booking.session)
    attendance.campaign_id = booking.campaign_id
    attendance.organisation_id = booking.organisation_id
    attendance.year_group = booking.year_group
    attendance.pupils, attendance.staff, attendance.adults = pupils, staff, adults
    attendance.no_show = no_show
    attendance.notes = notes.strip()
    attendance.recorded_by = user
    attendance.recorded_at = now or timezone.now()
    after = _snapshot(attendance)
    if before == after:
        return attendance
    attendance.save()
    announce_reach_inputs_changed()
    log_change(
        attendance,
        "campaigns.attendance.corrected" if existing else "campaigns.attendance.recorded",
        user,
        booking=booking.reference,
        organisation=_organisation_name(booking.organisation),
        before=before,
        after=after,
        **({"confirmed_unusual": True} if unusual else {}),
        **_closed(late),
    )
    if not no_show and booking.kind == BookingKind.ORGANISATION:
        follow_up.send_follow_up_pack(booking)
    return attendance


@transaction.atomic
def record_all_as_booked(session, *, user=None, now=None):
    """Quick entry: every confirmed booking without a register line came as booked. Returns how many."""
    _check_session(session, now, user)
    bookings = (
        Booking.objects.confirmed()
        .filter(session=session, attendance__isnull=True)
        .select_related("session", "campaign", "organisation")
        .order_by("pk")
    )
    recorded = 0
    for booking in bookings:
        if booking.kind == BookingKind.INDIVIDUAL and session.event.specific.attendees_named:
            tick_named_attendee(booking, attended=True, user=user, now=now)
        else:
            record_attendance(
                booking,
                pupils=booking.pupils,
                staff=booking.staff,
                adults=booking.adults + booking.guests,
                confirmed=True,  # the numbers booked
                user=user,
                now=now,
            )
        recorded += 1
    return recorded


@transaction.atomic
def record_walk_in(
    session,
    *,
    organisation=None,
    year_group="",
    pupils=0,
    staff=0,
    adults=0,
    notes="",
    user=None,
    attendance=None,
    confirmed=False,
    now=None,
):
    """Record people who came without booking (a new line, or a correction to `attendance`). More people
    than the session holds raise NeedsConfirmation unless `confirmed`."""
    late = _check_session(session, now, user)
    _check_counts(pupils, staff, adults)
    if pupils + staff + adults == 0:
        raise ServiceError("Enter how many people walked in.")
    if attendance is not None and (attendance.session_id != session.pk or not attendance.is_walk_in):
        raise ServiceError("That line is not a walk-in at this session.")
    unusual = _check_unusual(pupils + staff + adults, session=session, confirmed=confirmed, user=user)
    before = _snapshot(attendance) if attendance else None
    line = attendance or Attendance(session=session)
    campaign = session.event.campaigns.order_by("-starts_on").first()
    line.campaign = campaign
    line.organisation = organisation
    line.year_group = year_group
    line.pupils, line.staff, line.adults = pupils, staff, adults
    line.notes = notes.strip()
    line.recorded_by = user
    line.recorded_at = now or timezone.now()
    after = _snapshot(line)
    line.save()
    announce_reach_inputs_changed()
    log_change(
        line,
        "campaigns.attendance.corrected" if attendance else "campaigns.attendance.walk_in",
        user,
        walk_in=True,
        organisation=_organisation_name(organisation),
        before=before,
        after=after,
        **({"confirmed_unusual": True} if unusual else {}),
        **_closed(late),
    )
    return line


@transaction.atomic
def remove_walk_in(line, *, user=None, now=None):
    """Take a walk-in line off the register (entered by mistake, or twice). Logged with what it held."""
    line = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("session", "organisation")
        .get(pk=line.pk)
    )
    if not line.is_walk_in:
        raise ServiceError("Only walk-in lines can be removed; mark a booking as a no-show instead.")
    late = _check_session(line.session, now, user)
    log_change(
        line,
        "campaigns.attendance.walk_in_removed",
        user,
        walk_in=True,
        organisation=_organisation_name(line.organisation),
        before=_snapshot(line),
        after=None,
        **_closed(late),
    )
    line.delete()
    announce_reach_inputs_changed()


@transaction.atomic
def tick_named_attendee(booking, *, attended, user=None, now=None):
    """Tick a named adult (professional training) as attended or not; attending issues their training record
    when `user` may issue certificates."""
    booking = Booking.objects.select_for_update(of=("self",)).select_related("session").get(pk=booking.pk)
    if booking.status != BookingStatus.CONFIRMED:
        raise ServiceError(f"Booking {booking.reference} was cancelled.")
    _check_session(booking.session, now, user)
    attendee, _ = NamedAttendee.objects.get_or_create(
        booking=booking,
        defaults={
            "session": booking.session,
            "name": booking.booker_name,
            "email": booking.booker_email.lower(),
            "licence_number": booking.licence_number,
            "organisation_name": booking.booker_organisation_name,
            "sector": _sector_for(booking),
        },
    )
    return _set_attended(attendee, attended, user=user, now=now, booking=booking)


@transaction.atomic
def add_named_walk_in(
    session, *, name, email="", licence_number="", organisation_name="", sector="", user=None, now=None
):
    """Someone came to professional training without booking: add them by name, attended."""
    _check_session(session, now, user)
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter the person's name.")
    attendee = NamedAttendee.objects.create(
        session=session,
        name=name[:200],
        email=(email or "").strip().lower(),
        licence_number=(licence_number or "").strip().upper(),
        organisation_name=(organisation_name or "").strip(),
        sector=sector,
    )
    return _set_attended(attendee, True, user=user, now=now)


def _sector_for(booking):
    course = training.course_for_session(booking.session)
    return course.sector if course else ""


def _set_attended(attendee, attended, *, user, now, booking=None):
    late = _check_session(attendee.session, now, user)
    changed = attendee.attended != attended or attendee.recorded_at is None
    if changed:
        attendee.attended = attended
        attendee.recorded_by = user
        attendee.recorded_at = now or timezone.now()
        attendee.save(update_fields=["attended", "recorded_by", "recorded_at"])
        announce_reach_inputs_changed()
        log(
            instance=attendee,
            action="campaigns.attendance.named",
            user=user,
            data={
                "attendee_id": attendee.pk,
                "attended": attended,
                "booking": getattr(booking, "reference", ""),
                **_closed(late),
            },
        )
        if booking is not None:
            # The counts side of the register, so reach adds named attendees like any other adults.
            record_attendance(
                booking,
                adults=0 if not attended else 1,
                no_show=not attended,
                confirmed=True,
                user=user,
                now=now,
            )
    if not attended:
        if changed:
            # Withdrawing a certificate already issued needs the same right as issuing one.
            training.revoke_for_attendee(attendee, user=user)
    elif training.may_issue_certificates(user) and training.session_has_ended(attendee.session, now):
        # The training is over: the certificate goes now (or one withdrawn by a correction comes back).
        if changed or not _has_record(attendee):
            training.issue_training_record(attendee, user=user)
    elif changed:
        trusted = training.may_issue_certificates(user)
        log(
            instance=attendee,
            action="campaigns.training_record.held",
            user=user,
            data={
                "attendee_id": attendee.pk,
                "name": attendee.name,
                "until": "the session ends" if trusted else "staff who manage training issue it",
            },
        )
    return attendee


def _has_record(attendee):
    """Whether the attendee has a training record at all (current, or withdrawn)."""
    return NamedAttendee.objects.filter(pk=attendee.pk, training_record__isnull=False).exists()


@transaction.atomic
def issue_waiting_certificates(session, *, user=None, now=None):
    """Staff who manage training confirm that the people ticked off at a session that has started (or
    ended) completed it: their certificates are issued now. Needs ISSUE_CERTIFICATES, and the register
    still open to `user`. Returns how many were issued."""
    if not training.may_issue_certificates(user):
        raise ServiceError("Only staff who manage training can issue certificates.", code="forbidden")
    _check_session(session, now, user)
    if session.starts_at > (now or timezone.now()):
        raise ServiceError("Certificates can be issued once the session has started.", code="not_started")
    waiting = NamedAttendee.objects.filter(
        session=session, attended=True, training_record__isnull=True
    ).select_related("session")
    issued = 0
    for attendee in waiting.order_by("pk"):
        if training.issue_training_record(attendee, user=user) is not None:
            issued += 1
    return issued
