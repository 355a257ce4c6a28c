"""Read-only queries for the booking pages and the staff summaries."""

import re

from django.core import signing
from django.db.models import Case, Count, F, Q, Value, When
from django.utils import timezone

from campaigns.models import (
    Booking,
    BookingStatus,
    Contact,
    Organisation,
    OrganisationStatus,
    WaitingListEntry,
    WaitingListStatus,
)
from events.models import Session, SessionStatus

POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d?[A-Z]{0,2}$")
CONFIRM_SALT = "campaigns.booking-confirm"
# An organisation's confirmation request goes to at most this many of its known addresses.
MAX_CONFIRM_ADDRESSES = 5


def booking_by_token(token):
    if not token or len(token) > 64:
        return None
    return (
        Booking.objects.select_related(
            "session__event__authority", "session__venue", "campaign__authority", "organisation"
        )
        .filter(manage_token=token)
        .first()
    )


def confirm_token(booking):
    """The signed token of the link that confirms (or declines) an unconfirmed booking."""
    return signing.dumps(booking.pk, salt=CONFIRM_SALT)


def booking_by_confirm_token(token):
    """The booking a confirmation link was made for, or None if the token was tampered with."""
    if not token or len(token) > 200:
        return None
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT)
    except signing.BadSignature:
        return None
    return (
        Booking.objects.select_related(
            "session__event__authority", "session__venue", "campaign__authority", "organisation"
        )
        .filter(pk=pk)
        .first()
    )


def organisation_addresses(organisation):
    """The addresses the register holds for an organisation (its contacts), lower-cased, for confirming
    an open booking made in its name. Empty for a group the register does not know."""
    if organisation is None or organisation.pk is None:
        return []
    emails = (
        Contact.objects.filter(organisation_id=organisation.pk)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    addresses = []
    for email in emails:
        address = email.strip().lower()
        if address and address not in addresses:
            addresses.append(address)
    return addresses[:MAX_CONFIRM_ADDRESSES]


def waiting_entry_by_token(token):
    if not token or len(token) > 64:
        return None
    return (
        WaitingListEntry.objects.select_related(
            "session__event__authority", "session__venue", "campaign__authority", "organisation", "booking"
        )
        .filter(token=token)
        .first()
    )


def is_whole_number(text):
    """Only the digits 0-9: `str.isdigit` also accepts characters such as "³" that `int()` refuses."""
    return text.isascii() and text.isdigit()


def confirmed_organisation(raw_pk):
    """The confirmed organisation an `?organisation=` parameter names, or None for anything else."""
    if not is_whole_number(raw_pk or "") or len(raw_pk) > 18:
        return None
    return Organisation.objects.filter(pk=int(raw_pk), confirmed=True).first()


def find_organisations(query, limit=20):
    """Open, confirmed organisations matching a name, a URN or a postcode."""
    query = (query or "").strip()
    if not query:
        return Organisation.objects.none()
    organisations = Organisation.objects.filter(confirmed=True).exclude(status=OrganisationStatus.CLOSED)
    if is_whole_number(query):
        match = Q(urn=int(query)) if len(query) <= 9 else Q(pk__in=[])
    elif POSTCODE.match(query.upper()):
        compact = query.upper().replace(" ", "")
        match = (
            Q(postcode__iexact=query) | Q(postcode__istartswith=query.upper()) | Q(postcode__iexact=compact)
        )
    else:
        match = Q(name__icontains=query)
    return organisations.filter(match).order_by("name")[:limit]


def sessions_for_moving(booking, now=None):
    """Sessions a booking could move to: the same campaign (or event), booked the same way, still open."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now, event__live=True
    ).filter(Q(booking_closes_at__isnull=True) | Q(booking_closes_at__gt=now))
    if booking.campaign_id:
        sessions = sessions.filter(event__campaigns=booking.campaign_id)
    else:
        sessions = sessions.filter(event=booking.session.event_id)
    sessions = sessions.filter(event__booking_mode=booking.session.event.booking_mode)
    return (
        (Session.objects.filter(pk=booking.session_id) | sessions).distinct().select_related("venue", "event")
    )


def session_summaries(sessions):
    """Capacity, taken, left, confirmed and unconfirmed bookings, people waiting and held offers per session:
    one query."""
    return sessions.select_related("event", "venue").annotate(
        confirmed_bookings=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED), distinct=True
        ),
        unconfirmed_bookings=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.UNCONFIRMED), distinct=True
        ),
        waiting_entries=Count(
            "waiting_list", filter=Q(waiting_list__status=WaitingListStatus.WAITING), distinct=True
        ),
        offers_open=Count(
            "waiting_list", filter=Q(waiting_list__status=WaitingListStatus.OFFERED), distinct=True
        ),
        # A cancelled session has no places left to offer, whatever its capacity was.
        left=Case(
            When(status=SessionStatus.CANCELLED, then=Value(0)),
            default=F("capacity") - F("places_taken"),
        ),
    )
