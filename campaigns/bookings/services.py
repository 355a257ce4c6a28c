"""Booking places at a session: book, change, move and cancel, with capacity that cannot be broken.

Places move only through `campaigns.bookings.places`, inside each use case's transaction. Freed places
are announced with `signals.places_freed`, which the waiting list answers by making offers.

Open booking for schools and groups: a booking made without an invitation (and not by staff) for an
organisation the register holds an address for is *unconfirmed*. It holds its places for
OPEN_BOOKING_HOLD_HOURS while a link goes to that address; someone there confirms it (or says it was not
them), and otherwise the periodic job releases it. An invited or staff booking outranks unconfirmed ones:
it replaces the organisation's own, and when the session is full it releases the newest others until it
fits. So nobody can hold a school's place, or fill a session, by typing its name into a form.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.bookings.emails import (
    send_cancelled,
    send_changed,
    send_confirmation,
    send_confirmation_request,
    send_link_again,
    send_moved,
    send_request_released,
)
from campaigns.bookings.places import NotEnoughPlaces, release_places, take_places
from campaigns.bookings.rules import (
    BOOKER_FIELDS,
    RELEASE_DECLINED,
    RELEASE_EXPIRED,
    RELEASE_OUTRANKED,
    RELEASE_REPLACED,
    RELEASE_WITHDRAWN,
    AlreadyBooked,
    change_deadline,
    check_booker,
    check_numbers,
    check_session_bookable,
    clean_text,
    contact_sentence,
    hold_hours,
    unconfirmed_group,
    with_event_and_venue,
)
from campaigns.bookings.selectors import organisation_addresses
from campaigns.bookings.signals import places_freed
from campaigns.log_actions import log_change
from campaigns.models import (
    Booking,
    BookingKind,
    BookingStatus,
    Invitation,
    InvitationState,
)
from campaigns.models.bookings import new_reference_suffix
from cms.errors import ServiceError
from events.models import Session, SessionStatus

logger = logging.getLogger(__name__)

REFERENCE_ATTEMPTS = 8
DEFAULT_PREFIX = "ST"
RELATED = ("session__event__authority", "session__venue", "campaign__authority", "organisation")


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
    age_from=None,
    age_to=None,
    submission_key=None,
    user=None,
    now=None,
    places_already_held=False,
    new_group=None,
    known_in_campaign=False,
    language=None,
    **booker,
):
    """Book places at a session and send the confirmation (or, for an unconfirmed open booking, the request
    to confirm it). Returns the Booking.

    `booker` holds the BOOKER_FIELDS. A repeated `submission_key` returns the booking the first
    submission made (flagged `already_made`) and changes nothing. A booking the organisation (or the
    same person) already holds is never returned: AlreadyBooked is raised and its link emailed again to
    its own address. `language` is the language the booker booked in (the site's own when not given or not
    offered): the booking's emails are written in it. `places_already_held` is for accepting a waiting-list offer, whose places were taken
    when the offer was made; `known_in_campaign` is for callers that found the session through the
    campaign (see `rules.check_session_bookable`).
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
        check_session_bookable(session, campaign, user=user, now=now, known_in_campaign=known_in_campaign)
    numbers = check_numbers(
        session,
        campaign,
        organisation=organisation,
        year_group=year_group,
        pupils=pupils,
        staff=staff,
        adults=adults,
        guests=guests,
        age_from=age_from,
        age_to=age_to,
    )
    check_booker(session, campaign, booker, organisation=organisation, user=user)
    # An invitation or a member of staff vouches for the organisation; anyone else must be confirmed by it.
    outranks = invitation is not None or user is not None
    confirm_to = [] if outranks else organisation_addresses(organisation)
    left = session.capacity - session.places_taken
    if not places_already_held and left < numbers.places:
        # Already too few places when the session was read in this request: say so without writing
        # anything. (Places freed since then are no different from a request that came a moment sooner;
        # whether places are really taken is decided only by take_places below.) A repeated submission
        # of a form that did book shows that booking instead. An invited booking may still fit in the
        # places unconfirmed bookings hold.
        existing = _existing_submission(submission_key, session) if submission_key else None
        if existing is not None:
            return existing
        if not outranks or _unconfirmed_places(session.pk) < numbers.places - left:
            raise NotEnoughPlaces(max(left, 0))
    booking = Booking(
        session=session,
        campaign=campaign,
        kind=BookingKind.ORGANISATION if organisation is not None else BookingKind.INDIVIDUAL,
        organisation=organisation,
        invitation=invitation,
        year_group=numbers.year_group,
        age_from=numbers.age_from,
        age_to=numbers.age_to,
        pupils=numbers.pupils,
        staff=numbers.staff,
        adults=numbers.adults,
        guests=numbers.guests,
        places=numbers.places,
        submission_key=submission_key or None,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        status=BookingStatus.UNCONFIRMED if confirm_to else BookingStatus.CONFIRMED,
        hold_expires_at=now + timedelta(hours=hold_hours()) if confirm_to else None,
        **{field: clean_text(value) for field, value in booker.items()},
    )
    new_organisation = organisation is not None and organisation.pk is None
    replace = None  # the organisation's own unconfirmed booking, which an invited booking replaces
    make_room = False  # whether an invited booking releases other unconfirmed bookings to fit
    for _attempt in range(REFERENCE_ATTEMPTS):
        booking.reference = new_reference(campaign)
        try:
            # The INSERT comes first: a clash on one of its unique constraints (reference, one booking per
            # organisation and session, one per person and session, one per form submission) rolls the
            # whole attempt back before anything else was written, so no savepoint is needed.
            with transaction.atomic():
                released = 0
                if replace is not None:
                    released += release_unconfirmed(replace, now=now, reason=RELEASE_REPLACED, announce=False)
                if new_organisation:
                    organisation.save(force_insert=True)
                    booking.organisation = organisation
                booking.save(force_insert=True)
                if invitation is not None:
                    mark_invitation_booked(invitation, now)
                awaiting = {"awaiting_confirmation": True} if confirm_to else {}
                _log(booking, "campaigns.booking.created", user, places=booking.places, **awaiting)
                if confirm_to:
                    send_confirmation_request(booking, confirm_to, now=now)
                else:
                    send_confirmation(booking)
                if not places_already_held:
                    if make_room:
                        released += _make_room(session.pk, booking.places, now=now)
                    # The last statement before COMMIT (but for the waiting list's offers of places left
                    # over), so the session row is locked for as short a time as possible. If it finds too
                    # few places, everything above (and the queued email) rolls back.
                    take_places(session.pk, booking.places)
                if released:
                    places_freed.send(sender=Booking, session_id=session.pk, now=now)
        except IntegrityError:
            _forget_insert(booking, organisation if new_organisation else None)
            if booking.submission_key:
                existing = _existing_submission(booking.submission_key, booking.session)
                if existing is not None:
                    return existing
            existing = existing_booking(
                booking.session,
                organisation=booking.organisation,
                booker_email=booking.booker_email,
                licence_number=booking.licence_number,
            )
            if existing is not None:
                if outranks and existing.is_unconfirmed and replace is None:
                    replace = existing
                    continue
                refuse_duplicate(existing, now=now)
            if Booking.objects.filter(reference=booking.reference).exists():
                continue  # another booking already has this reference: draw a new one
            logger.exception("A booking at session %s could not be saved", session.pk)
            raise ServiceError(_("Sorry, the booking could not be saved. Please try again."))
        except NotEnoughPlaces:
            _forget_insert(booking, organisation if new_organisation else None)
            if outranks and not make_room and _unconfirmed_places(session.pk):
                make_room = True
                continue
            raise
        booking.already_made = False
        return booking
    raise ServiceError(_("Sorry, the booking could not be saved. Please try again."))


def _forget_insert(booking, new_organisation):
    """After an attempt rolled back: the rows it inserted are gone, so are their primary keys."""
    booking.pk = None
    if new_organisation is not None:
        new_organisation.pk = None


def new_reference(campaign):
    """A short reference for people to quote, e.g. WO27-4KD9 (campaign code, then random characters)."""
    prefix = campaign.code if campaign is not None and campaign.code else DEFAULT_PREFIX
    return f"{prefix}-{new_reference_suffix()}"


def existing_booking(session, *, organisation=None, booker_email="", licence_number=""):
    """The booking already holding places at the session for the organisation (confirmed or not), or
    (without one) for an individual with the same email address or licence number, whatever their case;
    None if there is none."""
    if organisation is not None:
        if organisation.pk is None:
            return None
        same = Q(organisation_id=organisation.pk)
    else:
        email, licence = (booker_email or "").strip(), (licence_number or "").strip()
        if not email and not licence:
            return None
        same = Q(pk__in=[])
        if email:
            same |= Q(booker_email__iexact=email)
        if licence:
            same |= Q(licence_number__iexact=licence)
        same &= Q(kind=BookingKind.INDIVIDUAL)
    return (
        Booking.objects.holding_places()
        .filter(same, session_id=session.pk)
        .select_related(*RELATED)
        .order_by("pk")
        .first()
    )


def refuse_duplicate(existing, *, now=None):
    """Someone asked for a booking that `existing` already is: email its link again to the address stored
    with it (never to whoever asked) and raise AlreadyBooked. For an unconfirmed booking, the request to
    confirm it goes again to the organisation's own addresses. The email is queued in the caller's
    transaction, so callers raise this outside any block that rolls back."""
    now = now or timezone.now()
    if existing.is_unconfirmed:
        name = existing.organisation.name
        send_confirmation_request(
            existing, organisation_addresses(existing.organisation), now=now, again=True
        )
        raise AlreadyBooked(
            _(
                "%(name)s already has a booking for this session waiting for the school or group to confirm "
                "it; we have emailed %(name)s again at the address we have, to ask them to confirm it."
            )
            % {"name": name}
        )
    send_link_again(existing, now=now)
    if existing.organisation_id:
        raise AlreadyBooked(
            _(
                "%(name)s already has a booking for this session; we have emailed its link again to the "
                "address we have."
            )
            % {"name": existing.organisation.name}
        )
    raise AlreadyBooked(
        _(
            "You already have a booking for this session; we have emailed its link again to the address we have."
        )
    )


# --- unconfirmed open bookings ---------------------------------------------------------------------


def _unconfirmed_places(session_id):
    held = Booking.objects.unconfirmed().filter(session_id=session_id).aggregate(total=Sum("places"))
    return held["total"] or 0


def release_unconfirmed(booking, *, now, reason, user=None, announce=True):
    """Cancel an unconfirmed booking and give its places back, exactly once however many callers race for
    it (a conditional UPDATE claims it). Returns the places released: 0 if it was no longer unconfirmed."""
    claimed = Booking.objects.filter(pk=booking.pk, status=BookingStatus.UNCONFIRMED).update(
        status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
    )
    if not claimed:
        return 0
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
    release_places(booking.session_id, booking.places)
    _log(booking, "campaigns.booking.released", user, places=booking.places, reason=reason)
    send_request_released(booking, reason)
    if announce:
        places_freed.send(sender=Booking, session_id=booking.session_id, now=now)
    return booking.places


def _make_room(session_id, places, *, now):
    """Release the newest unconfirmed bookings at a session until `places` more fit. Returns places freed."""
    left = (
        Session.objects.filter(pk=session_id)
        .values_list(F("capacity") - F("places_taken"), flat=True)
        .first()
    ) or 0
    short = places - left
    released = 0
    if short <= 0:
        return 0
    holds = Booking.objects.unconfirmed().filter(session_id=session_id).select_related(*RELATED)
    for hold in holds.order_by("-created_at", "-pk"):
        if released >= short:
            break
        released += release_unconfirmed(hold, now=now, reason=RELEASE_OUTRANKED, announce=False)
    return released


def confirm_booking_request(booking, *, now=None):
    """Someone at the organisation's own address confirms an open booking made in its name: it becomes a
    confirmed booking and its booker gets the confirmation (with the manage link). Returns the booking."""
    now = now or timezone.now()
    released = False
    with transaction.atomic():
        current = _lock(booking)
        if current.is_confirmed:
            raise ServiceError(_("This booking is already confirmed. Thank you."), code="already_confirmed")
        if not current.is_unconfirmed:
            raise ServiceError(
                _("This booking is no longer waiting to be confirmed, so there is nothing to do."),
                code="not_waiting",
            )
        session = current.session
        open_session = (
            session.status == SessionStatus.SCHEDULED and session.starts_at > now and session.event.live
        )
        if current.hold_expires_at <= now or not open_session:
            release_unconfirmed(current, now=now, reason=RELEASE_EXPIRED)
            released = True
        else:
            current.status = BookingStatus.CONFIRMED
            current.save(update_fields=["status", "updated_at"])
            _log(current, "campaigns.booking.confirmed", None, by="the organisation, via its link")
            send_confirmation(current)
    if released:
        raise ServiceError(
            _("Sorry, this booking was not confirmed in time, so its places have been given back.")
            + " "
            + contact_sentence(booking.campaign),
            code="expired",
        )
    return current


def decline_booking_request(booking, *, now=None):
    """The organisation says it did not ask for this booking: release it and tell the booker."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(booking)
        if not current.is_unconfirmed:
            raise ServiceError(
                _("This booking is no longer waiting to be confirmed, so there is nothing to do."),
                code="not_waiting",
            )
        release_unconfirmed(current, now=now, reason=RELEASE_DECLINED, user=None)
    return current


def expire_unconfirmed_bookings(*, now=None):
    """Release the places of unconfirmed bookings whose hold has run out. Returns how many were released."""
    now = now or timezone.now()
    due = (
        Booking.objects.unconfirmed().filter(hold_expires_at__lte=now).select_related(*RELATED).order_by("pk")
    )
    expired = 0
    for booking in due:
        with transaction.atomic():
            if release_unconfirmed(booking, now=now, reason=RELEASE_EXPIRED):
                expired += 1
    return expired


# --- other use cases -------------------------------------------------------------------------------


def _existing_submission(submission_key, session):
    booking = Booking.objects.filter(submission_key=submission_key).select_related("session").first()
    if booking is None:
        return None
    if booking.session_id != session.pk:
        raise ServiceError(_("This form has already been used. Please start again from the session list."))
    booking.already_made = True
    return booking


def insert_with_reference(booking, campaign):
    """Insert a booking row with a fresh reference, drawing again on a clash (for callers that build the
    row themselves, such as the demo's past bookings)."""
    for _attempt in range(REFERENCE_ATTEMPTS):
        booking.reference = new_reference(campaign)
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
            return booking
        except IntegrityError:
            booking.pk = None
            if not Booking.objects.filter(reference=booking.reference).exists():
                raise
    raise ServiceError(_("Sorry, the booking could not be saved. Please try again."))


def mark_invitation_booked(invitation, now=None):
    """An invitation that led to a booking is booked, whatever it was before (even declined)."""
    now = now or timezone.now()
    Invitation.objects.filter(pk=invitation.pk).exclude(state=InvitationState.BOOKED).update(
        state=InvitationState.BOOKED, booked_at=Coalesce(F("booked_at"), now)
    )


def _lock(booking):
    return Booking.objects.select_for_update(of=("self",)).select_related(*RELATED).get(pk=booking.pk)


def _check_manageable(booking, user, now):
    if booking.is_unconfirmed:
        raise ServiceError(
            _(
                "This booking is waiting for the school or group to confirm it; it can be changed once it is "
                "confirmed."
            ),
            code="unconfirmed",
        )
    if not booking.is_confirmed:
        raise ServiceError(_("This booking has been cancelled."))
    session = booking.session
    if session.status == SessionStatus.CANCELLED:
        if user is None:
            raise ServiceError(_("This session has been cancelled."))
        return  # staff may still cancel such a booking, or move it to another session
    if session.starts_at <= now:
        raise ServiceError(_("This session has already taken place."))
    if user is None and now >= change_deadline(session, booking.campaign):
        raise ServiceError(
            _("Bookings for this session can no longer be changed online.")
            + " "
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
    age_from=None,
    age_to=None,
    user=None,
    now=None,
    **booker,
):
    """Change the numbers (within the places left) or move to another session, in one transaction."""
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
        if old_session.status == SessionStatus.CANCELLED and not moving:
            raise ServiceError(
                _("This session has been cancelled: move the booking to another session, or cancel it."),
                code="session_cancelled",
            )
        if moving:
            if new_session.event.booking_mode != old_session.event.booking_mode:
                raise ServiceError(_("A booking can only move to a session booked the same way."))
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
            age_from=current.age_from if age_from is None else age_from,
            age_to=current.age_to if age_to is None else age_to,
        )
        before = _numbers(current)
        if moving:
            take_places(new_session.pk, numbers.places)
            release_places(old_session.pk, current.places)
        elif numbers.places > current.places:
            take_places(old_session.pk, numbers.places - current.places)
        elif numbers.places < current.places:
            release_places(old_session.pk, current.places - numbers.places)
        current.session = new_session
        current.year_group = numbers.year_group
        current.age_from, current.age_to = numbers.age_from, numbers.age_to
        current.pupils, current.staff = numbers.pupils, numbers.staff
        current.adults, current.guests = numbers.adults, numbers.guests
        current.places = numbers.places
        for field, value in booker.items():
            setattr(current, field, clean_text(value))
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            if current.organisation_id:
                message = _(
                    "Your organisation already has a booking at that session; change that booking instead."
                )
            else:
                message = _("You already have a booking at that session; change that booking instead.")
            raise ServiceError(message, code="already_booked")
        if before["places"] == current.places and not moving and not booker and year_group is None:
            return current
        _log(
            current,
            "campaigns.booking.changed",
            user,
            before=before,
            after=_numbers(current),
            places=current.places,
        )
        if moving:
            send_moved(current, old_session)
            places_freed.send(sender=Booking, session_id=old_session.pk, now=now)
        else:
            send_changed(current)
            if current.places < before["places"]:
                places_freed.send(sender=Booking, session_id=old_session.pk, now=now)
    return current


def cancel_booking(booking, *, user=None, reason="", now=None):
    """Cancel a booking (or withdraw an unconfirmed one), free its places and offer them to the waiting list."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(booking)
        if current.is_unconfirmed:
            release_unconfirmed(current, now=now, reason=RELEASE_WITHDRAWN, user=user)
            return current
        if not current.is_confirmed:
            raise ServiceError(_("This booking is already cancelled."), code="already_cancelled")
        _check_manageable(current, user, now)
        current.status = BookingStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at", "updated_at"])
        release_places(current.session_id, current.places)
        _log(current, "campaigns.booking.cancelled", user, places=current.places, reason=reason[:500])
        send_cancelled(current)
        places_freed.send(sender=Booking, session_id=current.session_id, now=now)
    return current


# --- audit and emails ------------------------------------------------------------------------------


def _numbers(booking):
    """A booking's session and numbers, as the audit log shows them before and after a change."""
    fields = ("pupils", "staff", "adults", "guests", "places")
    return {"session": booking.session_id, **{field: getattr(booking, field) for field in fields}}


def _log(booking, action, user, **data):
    """Booking entries name the school or group (never the individual: retention would have to find it)."""
    organisation = booking.organisation.name if booking.organisation_id else ""
    log_change(
        booking,
        action,
        user,
        title=f"{booking.reference} · {organisation}" if organisation else booking.reference,
        reference=booking.reference,
        session=booking.session_id,
        **({"organisation": organisation} if organisation else {}),
        **data,
    )
