"""When the events side changes or cancels a session, tell everyone booked or waiting, once per revision.

A cancelled session keeps nobody on it: `settle_cancelled_session` cancels every booking still holding
places there (giving the places back, so figures, exports and the API stop counting them) and closes the
waiting list, emailing each person once. Staff may first move all the bookings to another session of the
same event with `move_session_bookings`, in the same transaction as the cancellation.
"""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaigns.bookings import emails as booking_emails
from campaigns.bookings import waiting_list
from campaigns.bookings.places import release_places, take_places
from campaigns.bookings.rules import RELEASE_SESSION_CANCELLED, contact_sentence, running_council
from campaigns.bookings.services import RELATED, release_unconfirmed
from campaigns.log_actions import log_change
from campaigns.mail.services import queue_email
from campaigns.models import (
    Booking,
    BookingStatus,
    MessageKind,
    OutboundMessage,
    WaitingListEntry,
    WaitingListStatus,
)
from campaigns.models.tokens import new_token
from campaigns.signals import announce_reach_inputs_changed
from cms.councils import council_email_context
from cms.errors import ServiceError
from events.models import Session, SessionStatus

OPEN_WAITING = (WaitingListStatus.WAITING, WaitingListStatus.OFFERED)
MESSAGE_SUBJECT_MAX = 150
MESSAGE_BODY_MAX = 5000


def notify_session_changed(session, *, changed_fields=(), cancelled=False, user=None):
    """Email each booker the updated (REQUEST) calendar entry, and each person waiting a notice. Dedupe keys
    carry the session's sequence, so each revision is announced at most once. A cancellation settles the
    session instead (see `settle_cancelled_session`)."""
    if cancelled:
        settle_cancelled_session(session, user=user)
        return
    title = session.event.title
    confirmed = Booking.objects.confirmed().filter(session=session).select_related("campaign", "organisation")
    for booking in confirmed:
        booking.session = session
        with booking_emails.booker_language(booking):
            subject = _("Changed: %(event)s (%(reference)s)") % {
                "event": title,
                "reference": booking.reference,
            }
        booking_emails.send(
            booking,
            "booking_session_changed",
            subject,
            method="REQUEST",
            dedupe_key=f"session-change:{session.pk}:{session.sequence}:booking:{booking.pk}",
            extra={"changed_fields": list(changed_fields), "cancelled": False},
        )
    for entry in _open_entries(session):
        _tell_waiting(entry, session, gettext_noop("Changed: %(event)s"), cancelled=False)


def _open_entries(session, *, lock=False):
    entries = WaitingListEntry.objects.select_for_update(of=("self",)) if lock else WaitingListEntry.objects
    return (
        entries.filter(session=session, status__in=OPEN_WAITING)
        .select_related("campaign", "organisation")
        .order_by("position", "pk")
    )


def _tell_waiting(entry, session, subject, *, cancelled):
    """Tell someone waiting, in the language they joined the list in; `subject` is a msgid with %(event)s."""
    entry.session = session
    language = waiting_list.entry_language(entry)
    with translation.override(language):
        queue_email(
            to=entry.booker_email,
            to_name=entry.booker_name,
            subject=_(subject) % {"event": session.event.title},
            template="waiting_session_changed",
            context={**waiting_list.entry_context(entry), "cancelled": cancelled},
            kind=MessageKind.TRANSACTIONAL,
            campaign=entry.campaign,
            related=entry,
            dedupe_key=f"session-change:{session.pk}:{session.sequence}:waiting:{entry.pk}",
            language=language,
        )


@transaction.atomic
def settle_cancelled_session(session, *, user=None, now=None):
    """Cancel every booking still holding places at a cancelled session and close its waiting list.

    Each booker gets one email with the calendar cancellation (keyed by the booking, so never twice), each
    person waiting one notice. Returns (bookings cancelled, waiting-list entries closed)."""
    now = now or timezone.now()
    session = Session.objects.select_related("event", "venue").get(pk=session.pk)
    if session.status != SessionStatus.CANCELLED:
        raise ServiceError("Only a cancelled session's bookings are settled this way.")
    title = session.event.title
    holding = (
        Booking.objects.select_for_update(of=("self",))
        .holding_places()
        .filter(session=session)
        .select_related(*RELATED)
        .order_by("pk")
    )
    cancelled = 0
    for booking in holding:
        if booking.is_unconfirmed:
            # Not yet confirmed by the school or group: released with the notice such bookings get.
            if release_unconfirmed(
                booking, now=now, reason=RELEASE_SESSION_CANCELLED, user=user, announce=False
            ):
                cancelled += 1
            continue
        claimed = Booking.objects.filter(pk=booking.pk, status=booking.status).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now
        )
        if not claimed:
            continue
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
        release_places(session.pk, booking.places)
        log_change(
            booking,
            "campaigns.booking.cancelled",
            user,
            reference=booking.reference,
            session=session.pk,
            places=booking.places,
            reason="The session was cancelled.",
        )
        with booking_emails.booker_language(booking):
            subject = _("Cancelled: %(event)s (%(reference)s)") % {
                "event": title,
                "reference": booking.reference,
            }
        booking_emails.send(
            booking,
            "booking_session_cancelled",
            subject,
            method="CANCEL",
            dedupe_key=f"booking-cancelled:{booking.pk}",
            extra={"cancelled": True},
        )
        cancelled += 1
    closed = 0
    for entry in _open_entries(session, lock=True):
        was_offered = entry.status == WaitingListStatus.OFFERED
        entry.status = WaitingListStatus.LEFT
        entry.save(update_fields=["status", "updated_at"])
        if was_offered:
            release_places(session.pk, entry.places_wanted)
        log_change(
            entry,
            "campaigns.waiting.left",
            user,
            session=session.pk,
            places_wanted=entry.places_wanted,
            declined_offer=False,
            reason="The session was cancelled.",
        )
        _tell_waiting(entry, session, gettext_noop("Cancelled: %(event)s"), cancelled=True)
        closed += 1
    if cancelled:
        # Cancelling a whole session can take many places out of the figures at once: show it now.
        announce_reach_inputs_changed()
    return cancelled, closed


def move_targets(session, *, now=None):
    """The sessions of the same event that a cancelled session's bookings could move to: scheduled and
    still to come, whether or not they have room (the move itself checks that)."""
    now = now or timezone.now()
    return (
        Session.objects.filter(event_id=session.event_id, status=SessionStatus.SCHEDULED, starts_at__gt=now)
        .exclude(pk=session.pk)
        .select_related("event", "venue")
        .order_by("starts_at")
    )


def places_to_move(session):
    total = Booking.objects.confirmed().filter(session=session).aggregate(total=Sum("places"))["total"]
    return total or 0


@transaction.atomic
def move_session_bookings(session, target, *, user=None, now=None):
    """Move every confirmed booking at `session` to `target` (same event, scheduled, to come), all or none.

    The places are taken at the target in one conditional statement for the whole lot, so the target is
    never overbooked; each booker gets the usual "moved" email (the old entry withdrawn, the new one set).
    Returns how many bookings moved."""
    now = now or timezone.now()
    if target is None or target.pk == session.pk:
        raise ServiceError("Choose another session to move the bookings to.")
    target = Session.objects.select_related("event", "venue").get(pk=target.pk)
    if not move_targets(session, now=now).filter(pk=target.pk).exists():
        raise ServiceError("Bookings can only move to a session of the same event that is still to come.")
    old = Session.objects.select_related("event", "venue").get(pk=session.pk)
    bookings = list(
        Booking.objects.select_for_update(of=("self",))
        .confirmed()
        .filter(session=old)
        .select_related(*RELATED)
        .order_by("pk")
    )
    if not bookings:
        return 0
    clashes = Booking.objects.holding_places().filter(
        session=target, organisation_id__in=[b.organisation_id for b in bookings if b.organisation_id]
    )
    names = sorted({b.organisation.name for b in clashes.select_related("organisation")})
    if names:
        raise ServiceError(
            f"{', '.join(names)} already {'has' if len(names) == 1 else 'have'} a booking at that session. "
            "Move or cancel those bookings one by one first, or choose another session."
        )
    total = sum(b.places for b in bookings)
    take_places(target.pk, total)  # raises NotEnoughPlaces: nothing has been written yet
    release_places(old.pk, total)
    for booking in bookings:
        booking.session = target
        try:
            with transaction.atomic():
                booking.save(update_fields=["session", "updated_at"])
        except IntegrityError:
            raise ServiceError(
                f"{booking.booker_name or booking.reference} already has a booking at that session. "
                "Move or cancel it on its own first, or choose another session."
            ) from None
        log_change(
            booking,
            "campaigns.booking.changed",
            user,
            reference=booking.reference,
            session=target.pk,
            before={"session": old.pk},
            places=booking.places,
            reason="The session was cancelled.",
        )
        booking_emails.send_moved(booking, old)
    return len(bookings)


def new_message_key():
    """The key a "message everyone" form carries, so sending the same form twice emails nobody twice."""
    return new_token()


@transaction.atomic
def email_session_bookers(session, *, subject, message, key, user=None):
    """Email one message from staff to everyone holding a confirmed booking at a session, once per address
    however many bookings it holds and however often the form is sent. Logged on the session with what
    was said. Returns how many addresses it went to."""
    subject, message, key = (subject or "").strip(), (message or "").strip(), (key or "").strip()
    if not subject or not message:
        raise ServiceError("Write a subject and a message.")
    if len(subject) > MESSAGE_SUBJECT_MAX or len(message) > MESSAGE_BODY_MAX:
        raise ServiceError(
            f"Keep the subject under {MESSAGE_SUBJECT_MAX} characters and the message under "
            f"{MESSAGE_BODY_MAX:,}."
        )
    if not key or len(key) > 64:
        raise ServiceError("This form has expired. Please open it again.")
    session = Session.objects.select_related("event", "venue").get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError("This session is cancelled; its bookers have already been told.")
    if OutboundMessage.objects.filter(dedupe_key__startswith=f"session-message:{session.pk}:{key}:").exists():
        raise ServiceError("This message has already been sent to everyone booked.", code="already_sent")
    bookings = (
        Booking.objects.confirmed()
        .filter(session=session)
        .exclude(booker_email="")
        .select_related("campaign__authority", "organisation")
        .order_by("pk")
    )
    addresses = {}
    for booking in bookings:
        addresses.setdefault(booking.booker_email.strip().lower(), booking)
    if not addresses:
        raise ServiceError("Nobody holds a confirmed booking at this session, so there is no one to email.")
    for address, booking in addresses.items():
        # Staff's own words go as they wrote them; the frame around them (the session's details, the manage
        # link, the help lines) is in the language the booker booked in.
        with booking_emails.booker_language(booking):
            queue_email(
                to=booking.booker_email,
                to_name=booking.booker_name,
                subject=f"{subject} ({session.event.title})",
                template="session_message",
                context={
                    "message": message,
                    "session": booking_emails.session_context(session),
                    **council_email_context(
                        running_council(session, booking.campaign),
                        fallback_reply_to=booking.campaign.contact_email if booking.campaign_id else "",
                    ),
                    "reference": booking.reference,
                    "manage_url": booking_emails.manage_url(booking),
                    "contact": contact_sentence(booking.campaign),
                },
                kind=MessageKind.TRANSACTIONAL,
                campaign=booking.campaign,
                related=booking,
                language=booking.language,
                dedupe_key=f"session-message:{session.pk}:{key}:{address}",
            )
    log_change(
        session,
        "campaigns.session.messaged",
        user,
        subject=subject,
        message=message,
        recipients=len(addresses),
        key=key,
    )
    return len(addresses)
