"""The waiting list: joining, offers that hold freed places for a set time, accepting, leaving, expiry.

An offer takes its places with the same conditional statement as a booking (`take_places`), so a held
offer counts as taken everywhere: the public page, the next booker and the reconciliation.
Accepting turns the held places into a booking without touching the counter again; an offer that
expires or is declined gives them back and passes them on to the next in line.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns.bookings import emails as booking_emails
from campaigns.bookings import places as booking_places
from campaigns.bookings import rules as booking_rules
from campaigns.bookings import services as bookings
from campaigns.log_actions import log_change
from campaigns.mail.services import queue_email
from campaigns.models import MessageKind, WaitingListEntry, WaitingListStatus
from cms.councils import council_email_context
from cms.errors import ServiceError
from cms.links import absolute_url
from events.models import Session, SessionStatus

logger = logging.getLogger(__name__)

# What a waiting-list entry keeps of the booking form, to make the booking when an offer is accepted.
DETAIL_FIELDS = (
    "year_group",
    "age_from",
    "age_to",
    "pupils",
    "staff",
    "adults",
    "guests",
    *booking_rules.BOOKER_FIELDS,
)


def offer_hours():
    return getattr(settings, "WAITING_LIST_OFFER_HOURS", 48)


def join_waiting_list(
    *,
    session,
    campaign=None,
    organisation=None,
    invitation=None,
    new_group=None,
    user=None,
    now=None,
    known_in_campaign=False,
    language=None,
    **details,
):
    """Put a booker on a session's waiting list for the places their booking form asked for.

    `language` (the booker's, as for `book_places`) is kept with the entry, so the booking an accepted offer
    makes is written in it.
    """
    now = now or timezone.now()
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown waiting-list fields: {sorted(unknown)}")
    if invitation is not None:
        campaign, organisation = invitation.campaign, invitation.organisation
    if new_group is not None:
        organisation = booking_rules.unconfirmed_group(**new_group)
    session = Session.objects.select_related("event", "venue").get(pk=session.pk)
    booking_rules.check_session_bookable(
        session, campaign, user=user, now=now, known_in_campaign=known_in_campaign
    )
    numbers = booking_rules.check_numbers(
        session,
        campaign,
        organisation=organisation,
        **{
            key: details.get(key, {"year_group": "", "age_from": None, "age_to": None}.get(key, 0))
            for key in booking_rules.Numbers.__annotations__
        },
    )
    booker = {
        key: details.get(key, False if key.endswith("_confirmed") else "")
        for key in booking_rules.BOOKER_FIELDS
    }
    booking_rules.check_booker(session, campaign, booker, organisation=organisation, user=user)
    booked = bookings.existing_booking(
        session,
        organisation=organisation,
        booker_email=booker["booker_email"],
        licence_number=booker.get("licence_number", ""),
    )
    # An invitation outranks an unconfirmed open booking for its school (booking replaces it), so only a
    # booking that would refuse the invitation's own booking refuses its place on the list.
    outranks = invitation is not None or user is not None
    if booked is not None and not (outranks and booked.is_unconfirmed):
        bookings.refuse_duplicate(booked, now=now)
    if organisation is None:
        same = Q(organisation__isnull=True, booker_email__iexact=booker["booker_email"].strip())
    elif organisation.pk is None:
        same = None  # a group new to the register cannot be on the list yet
    elif invitation is not None:
        # Whoever typed the school's name in open booking does not keep its invitation off the list.
        same = Q(organisation_id=organisation.pk, invitation__isnull=False)
    else:
        same = Q(organisation_id=organisation.pk)
    with transaction.atomic():
        existing = (
            WaitingListEntry.objects.filter(same, session=session)
            .filter(status__in=[WaitingListStatus.WAITING, WaitingListStatus.OFFERED])
            .select_related("session__event", "session__venue", "campaign", "organisation")
            .first()
            if same is not None
            else None
        )
        if existing is None:
            entry = _add_entry(
                session,
                campaign,
                organisation,
                invitation,
                numbers,
                booker,
                user=user,
                now=now,
                language=language,
            )
    if existing is not None:
        # Never hand the entry's link to whoever sent the form: email it again to the address stored with it.
        _send(
            existing,
            "waiting_link_again",
            gettext_noop("Your place on the waiting list: %(event)s"),
            dedupe_key=f"waiting-link-again:{existing.pk}:{booking_rules.link_hour(now)}",
        )
        if existing.organisation_id:
            message = _(
                "%(name)s is already on the waiting list for this session; we have emailed the link again to "
                "the address we have."
            ) % {"name": existing.organisation.name}
        else:
            message = _(
                "You are already on the waiting list for this session; we have emailed the link again to the "
                "address we have."
            )
        raise booking_rules.AlreadyWaiting(message)
    entry.refresh_from_db()
    return entry


def _add_entry(session, campaign, organisation, invitation, numbers, booker, *, user, now, language=None):
    if organisation is not None and organisation.pk is None:
        organisation.save()
    last = WaitingListEntry.objects.filter(session=session).aggregate(last=Max("position"))["last"] or 0
    entry = WaitingListEntry.objects.create(
        session=session,
        campaign=campaign,
        organisation=organisation,
        invitation=invitation,
        places_wanted=numbers.places,
        details={
            "year_group": numbers.year_group,
            "age_from": numbers.age_from,
            "age_to": numbers.age_to,
            "pupils": numbers.pupils,
            "staff": numbers.staff,
            "adults": numbers.adults if organisation is not None else 0,
            "guests": numbers.guests,
            **{key: booking_rules.clean_text(value) for key, value in booker.items()},
            **({"language": language} if language else {}),
        },
        booker_name=booker["booker_name"].strip(),
        booker_email=booker["booker_email"].strip(),
        position=last + 1,
    )
    _log(entry, "campaigns.waiting.joined", user)
    _send(entry, "waiting_joined", gettext_noop("You are on the waiting list: %(event)s"))
    # Places may have been freed since the booker saw the session full.
    offer_freed_places(session.pk, now=now)
    return entry


def offer_freed_places(session_id, *, now=None):
    """Offer a session's free places to the waiting entries that fit, in order. Returns the entries offered."""
    now = now or timezone.now()
    session = Session.objects.select_related("event", "venue").get(pk=session_id)
    if session.status != SessionStatus.SCHEDULED or session.starts_at <= now or not session.event.live:
        return []
    offered = []
    left = session.capacity - session.places_taken
    waiting = WaitingListEntry.objects.filter(
        session_id=session_id, status=WaitingListStatus.WAITING
    ).order_by("position", "pk")
    for entry in waiting:
        if left <= 0:
            break
        if entry.places_wanted > left:
            continue
        try:
            with transaction.atomic():
                claimed = WaitingListEntry.objects.filter(
                    pk=entry.pk, status=WaitingListStatus.WAITING
                ).update(
                    status=WaitingListStatus.OFFERED,
                    offered_at=now,
                    offer_expires_at=now + timedelta(hours=offer_hours()),
                    updated_at=now,
                )
                if not claimed:
                    continue
                booking_places.take_places(session_id, entry.places_wanted)
                entry.refresh_from_db()
                _log(entry, "campaigns.waiting.offered", None)
                _send(
                    entry,
                    "waiting_offer",
                    gettext_noop("Places are free for you: %(event)s"),
                    dedupe_key=f"waiting-offer:{entry.pk}:{entry.offered_at.isoformat()}",
                )
        except booking_places.NotEnoughPlaces as exc:
            left = exc.places_left
            continue
        offered.append(entry)
        left -= entry.places_wanted
    return offered


def _lock(entry):
    return (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("session__event", "session__venue")
        .get(pk=entry.pk)
    )


def accept_offer(entry, *, now=None):
    """Turn an open offer into a confirmed booking; the places are already held for it."""
    now = now or timezone.now()
    expired = False
    duplicate = None
    with transaction.atomic():
        current = _lock(entry)
        if current.status != WaitingListStatus.OFFERED:
            raise ServiceError(_not_open_message(current))
        session = current.session
        if session.status != SessionStatus.SCHEDULED or session.starts_at <= now or not session.event.live:
            raise ServiceError(_("This session is no longer running, so the offer cannot be accepted."))
        if current.offer_expires_at <= now:
            _expire(current, now)
            expired = True
        else:
            details = {key: value for key, value in current.details.items() if key in DETAIL_FIELDS}
            details.setdefault("booker_name", current.booker_name)
            details.setdefault("booker_email", current.booker_email)
            try:
                booking = bookings.book_places(
                    session=session,
                    campaign=current.campaign,
                    organisation=current.organisation,
                    invitation=current.invitation,
                    places_already_held=True,
                    now=now,
                    language=current.details.get("language"),
                    **details,
                )
            except booking_rules.AlreadyBooked as exc:
                # They (or their school) booked the session meanwhile: the existing booking's link has been
                # emailed again, and the held places go to the next in line.
                duplicate = exc
                _leave(current, reason="already booked")
            else:
                if booking.places != current.places_wanted:
                    # The held places and the booking must match, or the counter would drift.
                    raise ServiceError(
                        _("The offer could not be turned into a booking. Please contact the team.")
                    )
                current.status = WaitingListStatus.ACCEPTED
                current.booking = booking
                current.save(update_fields=["status", "booking", "updated_at"])
                _log(current, "campaigns.waiting.accepted", None, booking=booking.reference)
    if duplicate is not None:
        offer_freed_places(entry.session_id, now=now)
        raise duplicate
    if expired:
        offer_freed_places(entry.session_id, now=now)
        raise ServiceError(
            _("Sorry, this offer has expired and the places have been offered to the next in line.")
        )
    return booking


def _not_open_message(entry):
    if entry.status == WaitingListStatus.ACCEPTED:
        return _("You have already accepted this offer; your booking confirmation has been emailed.")
    if entry.status == WaitingListStatus.EXPIRED:
        return _("Sorry, this offer has expired.")
    if entry.status == WaitingListStatus.LEFT:
        return _("You have left this waiting list.")
    return _("No places have been offered to you yet; we will email you when they are.")


def leave_waiting_list(entry, *, user=None, now=None):
    """Leave the list (or decline an offer, which passes the held places on)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(entry)
        if not current.is_open:
            raise ServiceError(_not_open_message(current))
        was_offered = _leave(current, user=user)
        if was_offered:
            offer_freed_places(current.session_id, now=now)
    return current


def _leave(entry, *, user=None, reason=""):
    """Mark a locked open entry as left, giving back the places an offer held. Returns whether it held any."""
    was_offered = entry.status == WaitingListStatus.OFFERED
    entry.status = WaitingListStatus.LEFT
    entry.save(update_fields=["status", "updated_at"])
    if was_offered:
        booking_places.release_places(entry.session_id, entry.places_wanted)
    data = {"reason": reason} if reason else {}
    _log(entry, "campaigns.waiting.left", user, declined_offer=was_offered, **data)
    return was_offered


def _expire(entry, now):
    claimed = WaitingListEntry.objects.filter(
        pk=entry.pk, status=WaitingListStatus.OFFERED, offer_expires_at__lte=now
    ).update(status=WaitingListStatus.EXPIRED, updated_at=now)
    if not claimed:
        return False
    booking_places.release_places(entry.session_id, entry.places_wanted)
    entry.status = WaitingListStatus.EXPIRED
    _log(entry, "campaigns.waiting.expired", None)
    _send(
        entry,
        "waiting_expired",
        gettext_noop("Your offer of places has expired: %(event)s"),
        dedupe_key=f"waiting-expired:{entry.pk}",
    )
    return True


def expire_offers(*, now=None):
    """Release the places of offers not accepted in time and pass them on. Returns how many expired."""
    now = now or timezone.now()
    due = WaitingListEntry.objects.filter(
        status=WaitingListStatus.OFFERED, offer_expires_at__lte=now
    ).select_related("session__event")
    expired = 0
    for entry in due:
        with transaction.atomic():
            if _expire(entry, now):
                expired += 1
                offer_freed_places(entry.session_id, now=now)
    return expired


def offer_places_everywhere(*, now=None):
    """Offer free places at any upcoming session with people waiting (e.g. after its capacity was raised)."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            places_taken__lt=F("capacity"),
            waiting_list__status=WaitingListStatus.WAITING,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    offered = 0
    for session_id in list(sessions):
        with transaction.atomic():
            offered += len(offer_freed_places(session_id, now=now))
    return offered


def move_entry(entry, *, up, user=None):
    """Staff reorder the list: swap an entry with the open entry just before (or after) it."""
    with transaction.atomic():
        current = _lock(entry)
        open_entries = WaitingListEntry.objects.select_for_update().filter(
            session_id=current.session_id, status__in=[WaitingListStatus.WAITING, WaitingListStatus.OFFERED]
        )
        if up:
            neighbour = (
                open_entries.filter(
                    Q(position__lt=current.position) | Q(position=current.position, pk__lt=current.pk)
                )
                .order_by("-position", "-pk")
                .first()
            )
        else:
            neighbour = (
                open_entries.filter(
                    Q(position__gt=current.position) | Q(position=current.position, pk__gt=current.pk)
                )
                .order_by("position", "pk")
                .first()
            )
        if neighbour is None:
            return current
        if neighbour.position == current.position:
            # Two entries that joined at once share a position: make room first.
            WaitingListEntry.objects.filter(
                session_id=current.session_id, position__gt=current.position
            ).update(position=F("position") + 1)
            if up:
                neighbour.position += 1
                neighbour.save(update_fields=["position"])
            else:
                current.position += 1
                current.save(update_fields=["position"])
        else:
            current.position, neighbour.position = neighbour.position, current.position
            current.save(update_fields=["position"])
            neighbour.save(update_fields=["position"])
        _log(current, "campaigns.waiting.reordered", user, position=current.position)
    return current


def waiting_url(entry):
    return absolute_url(reverse("campaigns:waiting_entry", args=[entry.token]))


def _log(entry, action, user, **data):
    log_change(entry, action, user, session=entry.session_id, places_wanted=entry.places_wanted, **data)


def entry_context(entry):
    expires = timezone.localtime(entry.offer_expires_at) if entry.offer_expires_at else None
    return {
        "places": entry.places_wanted,
        "organisation": entry.organisation.name if entry.organisation_id else "",
        "session": booking_emails.session_context(entry.session),
        "campaign": entry.campaign.name if entry.campaign_id else "",
        "waiting_url": waiting_url(entry),
        "expires": booking_emails.when(expires) if expires else "",
        "hours": offer_hours(),
        "contact": booking_rules.contact_sentence(entry.campaign),
        **council_email_context(
            booking_rules.running_council(entry.session, entry.campaign),
            fallback_reply_to=entry.campaign.contact_email if entry.campaign_id else "",
        ),
    }


def entry_language(entry):
    """The language the booker joined the list in: their emails and the booking an offer becomes use it."""
    language = (entry.details or {}).get("language") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send(entry, template, subject, *, dedupe_key=None):
    """Queue one of the waiting list's emails in the booker's language; `subject` is a msgid with %(event)s."""
    language = entry_language(entry)
    with translation.override(language):
        return queue_email(
            to=entry.booker_email,
            to_name=entry.booker_name,
            subject=_(subject) % {"event": entry.session.event.title},
            template=template,
            context=entry_context(entry),
            kind=MessageKind.TRANSACTIONAL,
            campaign=entry.campaign,
            related=entry,
            dedupe_key=dedupe_key,
            language=language,
        )
