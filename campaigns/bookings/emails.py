"""The emails a booker gets: confirmation, change, move and cancellation, each with the session's calendar entry.

Each is written in the language the booker booked in (`Booking.language`): its subject, the dates in it and
its calendar entry here, its body when the email pipeline renders it (`OutboundMessage.language`).
"""

import functools
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from campaigns.bookings.rules import (
    RELEASE_REASONS,
    change_deadline,
    contact_sentence,
    hold_hours,
    link_hour,
    running_council,
)
from campaigns.bookings.selectors import confirm_token
from campaigns.mail.services import queue_email
from campaigns.models import (
    Booking,
    BookingKind,
    MessageKind,
)
from cms.councils import council_email_context
from cms.links import absolute_url
from events.calendar import session_ics


def booker_language(booking):
    """A context in which text for the booker is written in their language."""
    return translation.override(booking.language or settings.LANGUAGE_CODE)


def in_booker_language(send_email):
    """Run `send_email(booking, …)` with the booking's language active."""

    @functools.wraps(send_email)
    def sender(booking, *args, **kwargs):
        with booker_language(booking):
            return send_email(booking, *args, **kwargs)

    return sender


def when(moment):
    """A local date and time as the emails write it, in the active language ("Wednesday 2 December 2026, 10:00")."""
    return formats.date_format(timezone.localtime(moment), "l j E Y, H:i")


def manage_url(booking):
    return absolute_url(reverse("campaigns:manage_booking", args=[booking.manage_token]))


def confirm_url(booking):
    return absolute_url(reverse("campaigns:confirm_booking", args=[confirm_token(booking)]))


def booking_uid(booking):
    host = urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "safe-together.invalid"
    return f"booking-{booking.pk}@{host}"


def next_calendar_sequence(booking):
    """One more than the SEQUENCE of the booking's last calendar entry (the confirmation's is 0)."""
    Booking.objects.filter(pk=booking.pk).update(calendar_sequence=F("calendar_sequence") + 1)
    booking.calendar_sequence = Booking.objects.values_list("calendar_sequence", flat=True).get(pk=booking.pk)
    return booking.calendar_sequence


def session_calendar(session, method, *, email, name="", uid=None, sequence=None):
    """The session's calendar entry for one attendee, from the one calendar builder (events.calendar)."""
    ics = session_ics(
        session, method=method, attendee_email=email, attendee_name=name or None, uid=uid, sequence=sequence
    )
    return ics.decode() if isinstance(ics, bytes) else ics


def session_context(session):
    local_start = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    return {
        "event": session.event.title,
        "when": f"{when(local_start)}–{local_end:%H:%M}"
        if not translation.get_language_bidi()
        # Right to left, the times are kept in reading order ("09:30–12:00", not "12:00–09:30").
        else f"{formats.date_format(local_start, 'l j E Y')}، \u2066{local_start:%H:%M}–{local_end:%H:%M}\u2069",
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
        "deadline": when(change_deadline(booking.session, campaign)),
        "contact": contact_sentence(campaign),
        **council_email_context(
            running_council(booking.session, campaign),
            fallback_reply_to=campaign.contact_email if campaign else "",
        ),
    }


def subject_values(booking):
    return {"event": booking.session.event.title, "reference": booking.reference}


@in_booker_language
def send(booking, template, subject, *, method, session=None, dedupe_key=None, extra=None, first=False):
    """Queue one email to the booker with the booking's own calendar entry (its UID, and a SEQUENCE that rises
    with every change to the booking or its session; `first` is the confirmation, SEQUENCE 0)."""
    session = session or booking.session
    sequence = 0 if first else next_calendar_sequence(booking)
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
        language=booking.language,
        calendar=session_calendar(
            session,
            method,
            email=booking.booker_email,
            name=booking.booker_name,
            uid=booking_uid(booking),
            sequence=sequence,
        ),
        calendar_method=method,
    )


@in_booker_language
def send_confirmation(booking):
    return send(
        booking,
        "booking_confirmed",
        _("Booking confirmed: %(event)s (%(reference)s)") % subject_values(booking),
        method="REQUEST",  # no dedupe key: it is queued in the transaction that creates the booking
        first=True,
    )


@in_booker_language
def send_changed(booking):
    return send(
        booking,
        "booking_changed",
        _("Booking changed: %(event)s (%(reference)s)") % subject_values(booking),
        method="REQUEST",
    )


@in_booker_language
def send_moved(booking, old_session):
    # The booking keeps its one calendar entry: withdrawn at the old time, then set at the new time with a
    # higher SEQUENCE, which supersedes the withdrawal.
    send(
        booking,
        "booking_moved_from",
        _("Your booking %(reference)s has moved from this session") % subject_values(booking),
        method="CANCEL",
        session=old_session,
        extra={"old_session": session_context(old_session)},
    )
    return send(
        booking,
        "booking_changed",
        _("Booking moved: %(event)s (%(reference)s)") % subject_values(booking),
        method="REQUEST",
        extra={"moved": True},
    )


@in_booker_language
def send_cancelled(booking):
    return send(
        booking,
        "booking_cancelled",
        _("Booking cancelled: %(event)s (%(reference)s)") % subject_values(booking),
        method="CANCEL",
        dedupe_key=f"booking-cancelled:{booking.pk}",
    )


@in_booker_language
def send_link_again(booking, *, now):
    """Someone asked to book again: email the booking's own link to the address stored with it (at most
    once an hour per booking, however often the form is sent)."""
    return queue_email(
        to=booking.booker_email,
        to_name=booking.booker_name,
        subject=_("Your booking: %(event)s (%(reference)s)") % subject_values(booking),
        template="booking_link_again",
        context=booking_context(booking),
        kind=MessageKind.TRANSACTIONAL,
        campaign=booking.campaign,
        related=booking,
        language=booking.language,
        dedupe_key=f"booking-link-again:{booking.pk}:{link_hour(now)}",
    )


def request_context(booking):
    """What an unconfirmed booking's emails say: the booking and who asked, never its manage link."""
    context = booking_context(booking)
    del context["manage_url"]
    expires = timezone.localtime(booking.hold_expires_at) if booking.hold_expires_at else None
    return {
        **context,
        "booker_name": booking.booker_name,
        "booker_role": booking.booker_role,
        "booker_email": booking.booker_email,
        "hold_until": when(expires) if expires else "",
        "hours": hold_hours(),
    }


def send_confirmation_request(booking, addresses, *, now, again=False):
    """Ask the organisation, at the addresses the register holds for it, to confirm a booking made in its
    name. Sent once when the booking is made; a repeated booking form sends it again at most once an hour."""
    context = {**request_context(booking), "confirm_url": confirm_url(booking), "again": again}
    name = booking.organisation.name
    for address in addresses:
        key = f"booking-confirm-request:{booking.pk}:{address}"
        queue_email(
            to=address,
            subject=f"Please confirm a booking for {name}: {booking.session.event.title}",
            template="booking_confirm_request",
            context=context,
            kind=MessageKind.TRANSACTIONAL,
            campaign=booking.campaign,
            related=booking,
            dedupe_key=f"{key}:{link_hour(now)}" if again else key,
        )


@in_booker_language
def send_request_released(booking, reason):
    """Tell the booker that their unconfirmed booking gave its places back, and why."""
    return queue_email(
        to=booking.booker_email,
        to_name=booking.booker_name,
        subject=_("Booking not confirmed: %(event)s (%(reference)s)") % subject_values(booking),
        template="booking_request_released",
        context={**request_context(booking), "reason": str(RELEASE_REASONS[reason])},
        kind=MessageKind.TRANSACTIONAL,
        campaign=booking.campaign,
        related=booking,
        language=booking.language,
        dedupe_key=f"booking-released:{booking.pk}",
    )
