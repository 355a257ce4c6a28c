"""Booking places at a session: book, change, move and cancel, with capacity that cannot be broken.

Places are taken and released only by `take_places` / `release_places`: one conditional UPDATE of
`Session.places_taken` each, inside the caller's transaction, guarded by the session's CHECK
constraint. No lock is held across Python code, so hundreds of bookers can arrive at once and the
counter never passes the capacity, on PostgreSQL and on SQLite (WAL, IMMEDIATE transactions).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Invitation,
    InvitationState,
    MessageKind,
    Organisation,
    OrganisationKind,
)
from campaigns.models.bookings import new_reference_suffix
from cms.errors import ServiceError
from cms.links import absolute_url
from events.models import BookingMode, EventKind, Session, SessionStatus
from resources.taxonomy import YearGroup

logger = logging.getLogger(__name__)

# No single count on one booking is ever larger than this: a whole year group of a very large school.
MAX_COUNT = 1000
REFERENCE_ATTEMPTS = 8
DEFAULT_PREFIX = "ST"


class NotEnoughPlaces(ServiceError):
    """Fewer places are left than were asked for. `places_left` says how many there are."""

    def __init__(self, places_left):
        self.places_left = places_left
        if places_left <= 0:
            message = "Sorry, this session is now full."
        elif places_left == 1:
            message = "Sorry, only 1 place is left at this session."
        else:
            message = f"Sorry, only {places_left} places are left at this session."
        super().__init__(message, code="not_enough_places")


# --- capacity: the only two statements that move Session.places_taken ---------------------------


def take_places(session_id, places):
    """Take `places` at a session in one conditional statement, or raise NotEnoughPlaces."""
    if places <= 0:
        raise ServiceError("A booking must hold at least one place.")
    try:
        taken = (
            Session.objects.filter(
                pk=session_id, status=SessionStatus.SCHEDULED, places_taken__lte=F("capacity") - places
            ).update(places_taken=F("places_taken") + places)
            == 1
        )
    except IntegrityError:
        # The CHECK constraint is the last line of defence; the WHERE clause should have stopped this.
        logger.error("Capacity check constraint refused %s places at session %s", places, session_id)
        raise ServiceError("Sorry, there are not enough places left at this session.", code="capacity")
    if not taken:
        left = (
            Session.objects.filter(pk=session_id)
            .values_list(F("capacity") - F("places_taken"), flat=True)
            .first()
        )
        raise NotEnoughPlaces(max(left or 0, 0))


def release_places(session_id, places):
    """Give `places` back to a session: the mirror of take_places."""
    if places <= 0:
        return
    released = (
        Session.objects.filter(pk=session_id, places_taken__gte=places).update(
            places_taken=F("places_taken") - places
        )
        == 1
    )
    if not released:
        # The counter is lower than the bookings it should hold: never go below zero, and say so loudly.
        logger.error("Session %s held fewer places than the %s being released", session_id, places)
        Session.objects.filter(pk=session_id).update(places_taken=Greatest(F("places_taken") - places, 0))


# --- rules ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Numbers:
    year_group: str = ""
    pupils: int = 0
    staff: int = 0
    adults: int = 0
    guests: int = 0

    @property
    def places(self):
        return self.pupils + self.staff + self.adults + self.guests


def cutoff_days(campaign):
    if campaign is not None:
        return campaign.booking_cutoff_days
    return getattr(settings, "BOOKING_DEFAULT_CUTOFF_DAYS", 0)


def change_deadline(session, campaign):
    """Until when a booker may book, change or cancel online."""
    return session.starts_at - timedelta(days=cutoff_days(campaign))


def can_manage_online(booking, now=None):
    now = now or timezone.now()
    return (
        booking.is_confirmed
        and booking.session.status == SessionStatus.SCHEDULED
        and now < change_deadline(booking.session, booking.campaign)
    )


def check_session_bookable(session, campaign, *, user=None, now=None):
    """Raise ServiceError unless new places may be booked at this session now."""
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError("This session has been cancelled, so it cannot be booked.")
    if session.starts_at <= now:
        raise ServiceError("This session has already taken place.")
    if campaign is not None and not session_in_campaign(session, campaign):
        raise ServiceError("This session is not part of the campaign.")
    if user is not None:
        # Staff taking a booking by phone may do so until the session starts.
        return
    if session.booking_opens_at and now < session.booking_opens_at:
        opens = timezone.localtime(session.booking_opens_at)
        raise ServiceError(f"Booking for this session opens on {opens:%-d %B %Y at %H:%M}.")
    if (session.booking_closes_at and now >= session.booking_closes_at) or now >= change_deadline(
        session, campaign
    ):
        raise ServiceError(
            "Booking for this session has closed. " + contact_sentence(campaign), code="closed"
        )


def session_in_campaign(session, campaign):
    """Whether the session belongs to one of the campaign's events.

    A session loaded through `selectors.campaign_session` was found through the campaign, so it is known
    to belong without asking the database again.
    """
    if getattr(session, "found_in_campaign_id", None) == campaign.pk:
        return True
    return campaign.events.filter(pk=session.event_id).exists()


def with_event_and_venue(session):
    """The session with its event and venue loaded: as given when they already are, else read afresh."""
    if session.pk is not None and {"event", "venue"} <= session._state.fields_cache.keys():
        return session
    return Session.objects.select_related("event", "venue").get(pk=session.pk)


def contact_sentence(campaign):
    parts = []
    if campaign is not None and campaign.contact_email:
        parts.append(campaign.contact_email)
    if campaign is not None and campaign.contact_phone:
        parts.append(campaign.contact_phone)
    if not parts:
        return "Please contact the campaign team."
    return "Please contact the campaign team: " + " or ".join(parts) + "."


def _count(value, label):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(f"The number of {label} must be a whole number.")
    if value < 0:
        raise ServiceError(f"The number of {label} cannot be negative.")
    if value > MAX_COUNT:
        raise ServiceError(f"{value} {label} is more than one booking can hold; please call the team.")
    return value


def check_numbers(session, campaign, *, organisation, year_group="", pupils=0, staff=0, adults=0, guests=0):
    """Validate the counts for the session's booking mode and return Numbers."""
    event = session.event
    pupils, staff, adults, guests = (
        _count(pupils, "pupils"),
        _count(staff, "staff"),
        _count(adults, "adults"),
        _count(guests, "guests"),
    )
    if event.booking_mode == BookingMode.INDIVIDUAL:
        if organisation is not None or pupils or staff:
            raise ServiceError("This session is booked by individuals, not by organisations.")
        if guests > event.max_guests_per_booking:
            if event.max_guests_per_booking == 0:
                raise ServiceError("Guests cannot be booked for this session.")
            raise ServiceError(f"You can bring at most {event.max_guests_per_booking} guests.")
        return Numbers(adults=1, guests=guests)
    if organisation is None:
        raise ServiceError("Please choose the school or group you are booking for.")
    if guests:
        raise ServiceError("Guests are booked only for sessions for individuals.")
    if pupils:
        covered = list(campaign.year_groups) if campaign is not None and campaign.year_groups else None
        if not year_group:
            raise ServiceError("Please choose the year group the pupils are in.")
        if year_group not in YearGroup.values or (covered is not None and year_group not in covered):
            names = ", ".join(YearGroup(value).label for value in covered or [] if value in YearGroup.values)
            raise ServiceError(
                f"This campaign is for {names or 'other year groups'}; please choose one of those."
            )
    else:
        year_group = ""
    numbers = Numbers(year_group=year_group, pupils=pupils, staff=staff, adults=adults)
    if numbers.places == 0:
        raise ServiceError("Please book at least one place.")
    if numbers.places > session.capacity:
        raise ServiceError(f"This session holds {session.capacity} people; please book fewer places.")
    return numbers


def _check_booker(session, campaign, booker, *, organisation, user):
    if not (booker.get("booker_name") or "").strip():
        raise ServiceError("Please give the name of the person booking.")
    if not (booker.get("booker_email") or "").strip():
        raise ServiceError("Please give an email address for the confirmation.")
    event = session.event
    if (
        event.booking_mode == BookingMode.INDIVIDUAL
        and (event.kind == EventKind.PROFESSIONAL_TRAINING or event.attendees_named)
        and not (booker.get("booker_organisation_name") or booker.get("licence_number"))
    ):
        raise ServiceError(
            "Please give your organisation or your licence number; your certificate will carry it."
        )
    if campaign is not None and organisation is not None and user is None:
        if campaign.safeguarding_statement and not booker.get("safeguarding_confirmed"):
            raise ServiceError("Please confirm the safeguarding statement.")
        if campaign.photo_consent_statement and not booker.get("photo_consent_confirmed"):
            raise ServiceError("Please confirm the photo consent statement.")


BOOKER_FIELDS = (
    "booker_name",
    "booker_role",
    "booker_email",
    "booker_phone",
    "booker_organisation_name",
    "licence_number",
    "access_needs",
    "safeguarding_confirmed",
    "photo_consent_confirmed",
)


def campaign_for_session(session):
    """The open campaign a session is booked under when there is no invitation, or None."""
    from campaigns.models import CampaignStatus

    campaign = session.event.campaigns.filter(status=CampaignStatus.OPEN).order_by("-starts_on").first()
    if campaign is not None:
        session.found_in_campaign_id = campaign.pk  # found through the session's own event
    return campaign


# --- use cases -------------------------------------------------------------------------------------


def book_places(
    *,
    session,
    campaign=None,
    organisation=None,
    invitation=None,
    year_group="",
    pupils=0,
    staff=0,
    adults=0,
    guests=0,
    submission_key=None,
    user=None,
    now=None,
    places_already_held=False,
    new_group=None,
    **booker,
):
    """Book places at a session and send the confirmation. Returns the Booking.

    `booker` holds the BOOKER_FIELDS. A repeated `submission_key` returns the booking the first
    submission made (flagged `already_made`) and changes nothing. `places_already_held` is for
    accepting a waiting-list offer, whose places were taken when the offer was made.
    """
    unknown = set(booker) - set(BOOKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown booking fields: {sorted(unknown)}")
    now = now or timezone.now()
    if invitation is not None:
        campaign, organisation = invitation.campaign, invitation.organisation
    if new_group is not None:
        organisation = unconfirmed_group(**new_group)
    # Capacity, status and a repeated submission are all settled by the statements inside the
    # transaction below, so the session as the caller loaded it in this request is enough here.
    session = with_event_and_venue(session)
    if not places_already_held:
        check_session_bookable(session, campaign, user=user, now=now)
    numbers = check_numbers(
        session,
        campaign,
        organisation=organisation,
        year_group=year_group,
        pupils=pupils,
        staff=staff,
        adults=adults,
        guests=guests,
    )
    _check_booker(session, campaign, booker, organisation=organisation, user=user)
    if not places_already_held and session.capacity - session.places_taken < numbers.places:
        # Already too few places when the session was read in this request: say so without writing
        # anything. (Places freed since then are no different from a request that came a moment sooner;
        # whether places are really taken is decided only by take_places below.) A repeated submission
        # of a form that did book shows that booking instead.
        existing = _existing_submission(submission_key, session) if submission_key else None
        if existing is not None:
            return existing
        raise NotEnoughPlaces(max(session.capacity - session.places_taken, 0))
    booking = Booking(
        session=session,
        campaign=campaign,
        kind=BookingKind.ORGANISATION if organisation is not None else BookingKind.INDIVIDUAL,
        organisation=organisation,
        invitation=invitation,
        year_group=numbers.year_group,
        pupils=numbers.pupils,
        staff=numbers.staff,
        adults=numbers.adults,
        guests=numbers.guests,
        places=numbers.places,
        submission_key=submission_key or None,
        **{field: _clean(value) for field, value in booker.items()},
    )
    new_organisation = organisation is not None and organisation.pk is None
    for _ in range(REFERENCE_ATTEMPTS):
        booking.reference = new_reference(campaign)
        try:
            # The INSERT comes first: a clash on one of its unique constraints (reference, one booking per
            # organisation and session, one booking per form submission) rolls the whole attempt back
            # before anything else was written, so no savepoint is needed.
            with transaction.atomic():
                if new_organisation:
                    organisation.save(force_insert=True)
                    booking.organisation = organisation
                booking.save(force_insert=True)
                if invitation is not None:
                    mark_invitation_booked(invitation, now)
                _log(booking, "campaigns.booking.created", user, places=booking.places)
                send_confirmation(booking)
                if not places_already_held:
                    # The last statement before COMMIT, so the session row is locked for as short a time
                    # as possible. If it finds too few places, everything above (and the queued email)
                    # rolls back.
                    take_places(session.pk, booking.places)
        except IntegrityError:
            booking.pk = None
            if new_organisation:
                organisation.pk = None
            existing = _conflicting_booking(booking)
            if existing is not None:
                return existing
            if Booking.objects.filter(reference=booking.reference).exists():
                continue  # another booking already has this reference: draw a new one
            logger.exception("A booking at session %s could not be saved", session.pk)
            raise ServiceError("Sorry, the booking could not be saved. Please try again.")
        booking.already_made = False
        return booking
    raise ServiceError("Sorry, the booking could not be saved. Please try again.")


def new_reference(campaign):
    """A short reference for people to quote, e.g. WO27-4KD9 (campaign code, then random characters)."""
    prefix = campaign.code if campaign is not None and campaign.code else DEFAULT_PREFIX
    return f"{prefix}-{new_reference_suffix()}"


def _conflicting_booking(booking):
    """After a unique-constraint clash: the booking this same form submission already made (returned), or
    ServiceError when the organisation already has a booking at the session; None if neither."""
    if booking.submission_key:
        existing = _existing_submission(booking.submission_key, booking.session)
        if existing is not None:
            return existing
    if booking.organisation_id and (
        duplicate := Booking.objects.confirmed()
        .filter(organisation_id=booking.organisation_id, session_id=booking.session_id)
        .first()
    ):
        raise ServiceError(
            f"{booking.organisation.name} already has a booking at this session "
            f"(reference {duplicate.reference}). Use its manage link to change the numbers.",
            code="already_booked",
        )
    return None


def unconfirmed_group(*, name, kind, postcode):
    """A school or group not in the register, named by the booker; staff confirm it later."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Please give the name of your school or group.")
    if kind not in OrganisationKind.values:
        raise ServiceError("Please choose what kind of group it is.")
    return Organisation(
        kind=kind, name=name[:255], postcode=(postcode or "").strip().upper()[:10], confirmed=False
    )


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _existing_submission(submission_key, session):
    booking = Booking.objects.filter(submission_key=submission_key).select_related("session").first()
    if booking is None:
        return None
    if booking.session_id != session.pk:
        raise ServiceError("This form has already been used. Please start again from the session list.")
    booking.already_made = True
    return booking


def insert_with_reference(booking, campaign):
    """Insert a booking row with a fresh reference, drawing again on a clash (for callers that build the
    row themselves, such as the demo's past bookings)."""
    for _ in range(REFERENCE_ATTEMPTS):
        booking.reference = new_reference(campaign)
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
            return booking
        except IntegrityError:
            booking.pk = None
            if not Booking.objects.filter(reference=booking.reference).exists():
                raise
    raise ServiceError("Sorry, the booking could not be saved. Please try again.")


def mark_invitation_booked(invitation, now=None):
    """An invitation that led to a booking is booked, whatever it was before (even declined)."""
    now = now or timezone.now()
    Invitation.objects.filter(pk=invitation.pk).exclude(state=InvitationState.BOOKED).update(
        state=InvitationState.BOOKED, booked_at=Coalesce(F("booked_at"), now)
    )


def _lock(booking):
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__event", "session__venue", "campaign")
        .get(pk=booking.pk)
    )


def _check_manageable(booking, user, now):
    if not booking.is_confirmed:
        raise ServiceError("This booking has been cancelled.")
    session = booking.session
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError("This session has been cancelled.")
    if session.starts_at <= now:
        raise ServiceError("This session has already taken place.")
    if user is None and now >= change_deadline(session, booking.campaign):
        raise ServiceError(
            "Bookings for this session can no longer be changed online. "
            + contact_sentence(booking.campaign),
            code="cutoff",
        )


def change_booking(
    booking,
    *,
    session=None,
    year_group=None,
    pupils=None,
    staff=None,
    adults=None,
    guests=None,
    user=None,
    now=None,
    **booker,
):
    """Change the numbers (within the places left) or move to another session, in one transaction."""
    from campaigns.services import waiting_list

    unknown = set(booker) - set(BOOKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown booking fields: {sorted(unknown)}")
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(booking)
        _check_manageable(current, user, now)
        old_session = current.session
        new_session = (
            Session.objects.select_related("event", "venue").get(pk=session.pk)
            if session is not None
            else old_session
        )
        moving = new_session.pk != old_session.pk
        if moving:
            if new_session.event.booking_mode != old_session.event.booking_mode:
                raise ServiceError("A booking can only move to a session booked the same way.")
            check_session_bookable(new_session, current.campaign, user=user, now=now)
        numbers = check_numbers(
            new_session,
            current.campaign,
            organisation=current.organisation,
            year_group=current.year_group if year_group is None else year_group,
            pupils=current.pupils if pupils is None else pupils,
            staff=current.staff if staff is None else staff,
            adults=(current.adults if adults is None else adults) if current.organisation_id else 0,
            guests=current.guests if guests is None else guests,
        )
        before = {
            "session": old_session.pk,
            "pupils": current.pupils,
            "staff": current.staff,
            "adults": current.adults,
            "guests": current.guests,
            "places": current.places,
        }
        if moving:
            take_places(new_session.pk, numbers.places)
            release_places(old_session.pk, current.places)
        elif numbers.places > current.places:
            take_places(old_session.pk, numbers.places - current.places)
        elif numbers.places < current.places:
            release_places(old_session.pk, current.places - numbers.places)
        current.session = new_session
        current.year_group = numbers.year_group
        current.pupils, current.staff = numbers.pupils, numbers.staff
        current.adults, current.guests = numbers.adults, numbers.guests
        current.places = numbers.places
        for field, value in booker.items():
            setattr(current, field, _clean(value))
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise ServiceError(
                "Your organisation already has a booking at that session; change that booking instead.",
                code="already_booked",
            )
        if before["places"] == current.places and not moving and not booker and year_group is None:
            return current
        _log(current, "campaigns.booking.changed", user, before=before, places=current.places)
        if moving:
            send_moved(current, old_session)
            waiting_list.offer_freed_places(old_session.pk, now=now)
        else:
            send_changed(current)
            if current.places < before["places"]:
                waiting_list.offer_freed_places(old_session.pk, now=now)
    return current


def cancel_booking(booking, *, user=None, reason="", now=None):
    """Cancel a booking, free its places and offer them to the waiting list."""
    from campaigns.services import waiting_list

    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(booking)
        if not current.is_confirmed:
            raise ServiceError("This booking is already cancelled.", code="already_cancelled")
        _check_manageable(current, user, now)
        current.status = BookingStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        release_places(current.session_id, current.places)
        _log(current, "campaigns.booking.cancelled", user, places=current.places, reason=reason[:500])
        send_cancelled(current)
        waiting_list.offer_freed_places(current.session_id, now=now)
    return current


# --- audit and emails ------------------------------------------------------------------------------


def _log(booking, action, user, **data):
    log(
        instance=booking,
        action=action,
        user=user,
        data={
            "reference": booking.reference,
            "session": booking.session_id,
            "by": user.get_username() if user is not None else "booker via link",
            **data,
        },
    )


def manage_url(booking):
    return absolute_url(reverse("campaigns:manage_booking", args=[booking.manage_token]))


def session_calendar(session, method, *, email, name=""):
    """The session's calendar entry for one attendee, from the one calendar builder (events.calendar)."""
    try:
        from events.calendar import session_ics
    except ImportError:  # pragma: no cover - events.calendar is merged from the events branch
        logger.warning("events.calendar is not installed: sending without a calendar entry")
        return ""
    ics = session_ics(session, method=method, attendee_email=email, attendee_name=name or None)
    return ics.decode() if isinstance(ics, bytes) else ics


def session_context(session):
    local_start = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    return {
        "event": session.event.title,
        "when": f"{local_start:%A %-d %B %Y, %H:%M}–{local_end:%H:%M}",
        "venue": session.venue.one_line_address,
        "what_to_bring": session.event.what_to_bring,
        "accessibility": session.venue.accessibility_notes,
        "directions": session.venue.directions,
    }


def booking_context(booking):
    campaign = booking.campaign
    return {
        "reference": booking.reference,
        "organisation": booking.organisation.name if booking.organisation_id else "",
        "year_group": booking.get_year_group_display() if booking.year_group else "",
        "pupils": booking.pupils,
        "staff": booking.staff,
        "adults": booking.adults,
        "guests": booking.guests,
        "places": booking.places,
        "is_individual": booking.kind == BookingKind.INDIVIDUAL,
        "session": session_context(booking.session),
        "campaign": campaign.name if campaign else "",
        "manage_url": manage_url(booking),
        "deadline": f"{timezone.localtime(change_deadline(booking.session, campaign)):%A %-d %B %Y, %H:%M}",
        "contact": contact_sentence(campaign),
    }


def _send(booking, template, subject, *, method, session=None, dedupe_key=None, extra=None):
    from campaigns.services.messaging import queue_email

    session = session or booking.session
    return queue_email(
        to=booking.booker_email,
        to_name=booking.booker_name,
        subject=subject,
        template=template,
        context={**booking_context(booking), **(extra or {})},
        kind=MessageKind.TRANSACTIONAL,
        campaign=booking.campaign,
        related=booking,
        dedupe_key=dedupe_key,
        calendar=session_calendar(session, method, email=booking.booker_email, name=booking.booker_name),
        calendar_method=method,
    )


def send_confirmation(booking):
    return _send(
        booking,
        "booking_confirmed",
        f"Booking confirmed: {booking.session.event.title} ({booking.reference})",
        method="REQUEST",  # no dedupe key: it is queued in the transaction that creates the booking
    )


def send_changed(booking):
    return _send(
        booking,
        "booking_changed",
        f"Booking changed: {booking.session.event.title} ({booking.reference})",
        method="REQUEST",
    )


def send_moved(booking, old_session):
    # Calendar programs key entries by UID (one per session): withdraw the old one, add the new one.
    _send(
        booking,
        "booking_moved_from",
        f"Your booking {booking.reference} has moved from this session",
        method="CANCEL",
        session=old_session,
        extra={"old_session": session_context(old_session)},
    )
    return _send(
        booking,
        "booking_changed",
        f"Booking moved: {booking.session.event.title} ({booking.reference})",
        method="REQUEST",
        extra={"moved": True},
    )


def send_cancelled(booking):
    return _send(
        booking,
        "booking_cancelled",
        f"Booking cancelled: {booking.session.event.title} ({booking.reference})",
        method="CANCEL",
        dedupe_key=f"booking-cancelled:{booking.pk}",
    )
