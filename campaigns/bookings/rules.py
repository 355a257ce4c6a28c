"""The booking rules shared by bookings and the waiting list: when a session can be booked, which numbers
and booker details are acceptable, and the deadlines for changing a booking online. Each raises ServiceError."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from campaigns.models import (
    Campaign,
    CampaignStatus,
    Organisation,
    OrganisationKind,
)
from campaigns.models.bookings import BOOKER_CONFIRMATIONS, BOOKER_PERSONAL_FIELDS
from cms.errors import ServiceError
from events.models import BookingMode, EventKind, Session, SessionStatus
from resources.taxonomy import YearGroup

# No single count on one booking is ever larger than this: a whole year group of a very large school.
MAX_COUNT = 1000


class AlreadyBooked(ServiceError):
    """The booker (or their school) already has a booking at the session. Its link has been emailed again to
    the address stored with it; the form that asked is never given the link."""

    def __init__(self, message):
        super().__init__(message, code="already_booked")


class AlreadyWaiting(ServiceError):
    """The booker (or their school) is already on the session's waiting list; as AlreadyBooked."""

    def __init__(self, message):
        super().__init__(message, code="already_waiting")


def link_hour(now):
    """The hour a link is re-sent in: part of the dedupe key, so repeated forms send at most one email an hour."""
    return timezone.localtime(now).strftime("%Y%m%d%H")


@dataclass(frozen=True)
class Numbers:
    year_group: str = ""
    pupils: int = 0
    staff: int = 0
    adults: int = 0
    guests: int = 0
    age_from: int | None = None
    age_to: int | None = None

    @property
    def places(self):
        return self.pupils + self.staff + self.adults + self.guests


def hold_hours():
    """How long an unconfirmed open booking holds its places before they are released."""
    return getattr(settings, "OPEN_BOOKING_HOLD_HOURS", 24)


# Why an unconfirmed booking gave its places back, as the booker's email says it.
RELEASE_EXPIRED = "expired"
RELEASE_DECLINED = "declined"
RELEASE_REPLACED = "replaced"
RELEASE_OUTRANKED = "outranked"
RELEASE_WITHDRAWN = "withdrawn"
RELEASE_SESSION_CANCELLED = "session-cancelled"
RELEASE_REASONS = {
    RELEASE_EXPIRED: gettext_lazy("it was not confirmed in time"),
    RELEASE_DECLINED: gettext_lazy("the school or group told us it did not ask for it"),
    RELEASE_REPLACED: gettext_lazy(
        "the school or group has booked the session itself, through its invitation"
    ),
    RELEASE_OUTRANKED: gettext_lazy("the places were needed for a school booking through its invitation"),
    RELEASE_WITHDRAWN: gettext_lazy("the request was withdrawn"),
    RELEASE_SESSION_CANCELLED: gettext_lazy("the session has been cancelled"),
}


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


def check_session_bookable(session, campaign, *, user=None, now=None, known_in_campaign=False):
    """Raise ServiceError unless new places may be booked at this session now.

    `known_in_campaign` is for callers that loaded the session through the campaign (or the campaign
    through the session's event), so its membership need not be asked of the database again.
    """
    now = now or timezone.now()
    if not session.event.live:
        # An unpublished or withdrawn event's sessions are not on offer, whatever route reached them.
        raise ServiceError(_("This session is not open for booking."), code="not_open")
    if session.status == SessionStatus.CANCELLED:
        raise ServiceError(_("This session has been cancelled, so it cannot be booked."))
    if session.starts_at <= now:
        raise ServiceError(_("This session has already taken place."))
    if campaign is not None and not known_in_campaign and not session_in_campaign(session, campaign):
        raise ServiceError(_("This session is not part of the campaign."))
    if user is not None:
        # Staff taking a booking by phone may do so until the session starts.
        return
    if session.booking_opens_at and now < session.booking_opens_at:
        opens = timezone.localtime(session.booking_opens_at)
        raise ServiceError(
            _("Booking for this session opens on %(date)s at %(time)s.")
            % {"date": formats.date_format(opens, "j E Y"), "time": opens.strftime("%H:%M")}
        )
    if (session.booking_closes_at and now >= session.booking_closes_at) or now >= change_deadline(
        session, campaign
    ):
        raise ServiceError(
            _("Booking for this session has closed.") + " " + contact_sentence(campaign), code="closed"
        )


def session_in_campaign(session, campaign):
    """Whether the session belongs to one of the campaign's events."""
    return campaign.events.filter(pk=session.event_id).exists()


def with_event_and_venue(session):
    """The session with its event and venue loaded: as given when they already are, else read afresh."""
    if session.pk is not None and {"event", "venue"} <= session._state.fields_cache.keys():
        return session
    return Session.objects.select_related("event", "venue").get(pk=session.pk)


def running_council(session, campaign=None):
    """The partner council that runs a booking's session: its event's, else its campaign's; None when the
    partnership runs it together. Its name and contacts go on the booking pages and emails."""
    if session.event.authority_id:
        return session.event.authority
    if campaign is not None and campaign.authority_id:
        return campaign.authority
    return None


def contact_sentence(campaign):
    parts = []
    if campaign is not None and campaign.contact_email:
        parts.append(campaign.contact_email)
    if campaign is not None and campaign.contact_phone:
        parts.append(campaign.contact_phone)
    if not parts:
        return _("Please contact the campaign team.")
    return _("Please contact the campaign team: %(contacts)s.") % {
        "contacts": (" " + _("or") + " ").join(parts)
    }


# What a count on the booking form counts, as "the number of …" names it.
COUNT_LABELS = {
    "pupils": pgettext_lazy("the number of", "pupils"),
    "staff": pgettext_lazy("the number of", "staff"),
    "adults": pgettext_lazy("the number of", "adults"),
    "guests": pgettext_lazy("the number of", "guests"),
}


def _count(value, field):
    label = COUNT_LABELS[field]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError(_("The number of %(label)s must be a whole number.") % {"label": label})
    if value < 0:
        raise ServiceError(_("The number of %(label)s cannot be negative.") % {"label": label})
    if value > MAX_COUNT:
        raise ServiceError(
            _(
                "%(count)s is more than one booking can hold for the number of %(label)s; please call the team."
            )
            % {"count": value, "label": label}
        )
    return value


# The ages a group that is not a school may give for the children it brings.
YOUNGEST_AGE, OLDEST_AGE = 3, 18


def _age(value, end):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if end == "youngest":
            raise ServiceError(_("The youngest age must be a whole number of years."))
        raise ServiceError(_("The oldest age must be a whole number of years."))
    if not YOUNGEST_AGE <= value <= OLDEST_AGE:
        limits = {"youngest": YOUNGEST_AGE, "oldest": OLDEST_AGE}
        if end == "youngest":
            raise ServiceError(_("The youngest age must be between %(youngest)s and %(oldest)s.") % limits)
        raise ServiceError(_("The oldest age must be between %(youngest)s and %(oldest)s.") % limits)
    return value


def check_age_range(age_from, age_to):
    """The children's age range a group that is not a school gives: both ends, youngest first."""
    age_from, age_to = _age(age_from, "youngest"), _age(age_to, "oldest")
    if age_from is None or age_to is None:
        raise ServiceError(_("Please give the ages of the children coming, from the youngest to the oldest."))
    if age_from > age_to:
        raise ServiceError(_("The youngest age cannot be more than the oldest age."))
    return age_from, age_to


def adults_needed(campaign, pupils):
    """How many staff or other adults must come with `pupils` children under the campaign's ratio."""
    ratio = campaign.pupils_per_adult if campaign is not None else None
    if not ratio or not pupils:
        return 0
    return -(-pupils // ratio)


def check_numbers(
    session,
    campaign,
    *,
    organisation,
    year_group="",
    pupils=0,
    staff=0,
    adults=0,
    guests=0,
    age_from=None,
    age_to=None,
):
    """Validate the counts for the session's booking mode and return Numbers.

    Schools give a year group; other groups give the children's age range. A campaign with
    `pupils_per_adult` needs enough staff and other adults for the children booked.
    """
    event = session.event
    pupils, staff, adults, guests = (
        _count(pupils, "pupils"),
        _count(staff, "staff"),
        _count(adults, "adults"),
        _count(guests, "guests"),
    )
    if event.booking_mode == BookingMode.INDIVIDUAL:
        if organisation is not None or pupils or staff:
            raise ServiceError(_("This session is booked by individuals, not by organisations."))
        if guests > event.max_guests_per_booking:
            if event.max_guests_per_booking == 0:
                raise ServiceError(_("Guests cannot be booked for this session."))
            raise ServiceError(
                ngettext(
                    "You can bring at most %(count)s guest.",
                    "You can bring at most %(count)s guests.",
                    event.max_guests_per_booking,
                )
                % {"count": event.max_guests_per_booking}
            )
        return Numbers(adults=1, guests=guests)
    if organisation is None:
        raise ServiceError(_("Please choose the school or group you are booking for."))
    if guests:
        raise ServiceError(_("Guests are booked only for sessions for individuals."))
    is_school = organisation.kind == OrganisationKind.SCHOOL
    if pupils and not is_school:
        year_group = ""
        age_from, age_to = check_age_range(age_from, age_to)
    elif pupils:
        age_from = age_to = None
        covered = list(campaign.year_groups) if campaign is not None and campaign.year_groups else None
        if not year_group:
            raise ServiceError(_("Please choose the year group the pupils are in."))
        if year_group not in YearGroup.values or (covered is not None and year_group not in covered):
            names = ", ".join(
                str(YearGroup(value).label) for value in covered or [] if value in YearGroup.values
            )
            if not names:
                raise ServiceError(_("This campaign is for other year groups; please choose one of those."))
            raise ServiceError(
                _("This campaign is for %(year_groups)s; please choose one of those.")
                % {"year_groups": names}
            )
    else:
        year_group = ""
        age_from = age_to = None
    needed = adults_needed(campaign, pupils)
    if staff + adults < needed:
        raise ServiceError(
            ngettext(
                "For %(pupils)s children please bring at least %(needed)s adult (staff or other adults): "
                "this campaign asks for at least one adult for every %(ratio)s children.",
                "For %(pupils)s children please bring at least %(needed)s adults (staff or other adults): "
                "this campaign asks for at least one adult for every %(ratio)s children.",
                needed,
            )
            % {"pupils": pupils, "needed": needed, "ratio": campaign.pupils_per_adult}
        )
    numbers = Numbers(
        year_group=year_group,
        pupils=pupils,
        staff=staff,
        adults=adults,
        age_from=age_from,
        age_to=age_to,
    )
    if numbers.places == 0:
        raise ServiceError(_("Please book at least one place."))
    if numbers.places > session.capacity:
        raise ServiceError(
            _("This session holds %(capacity)s people; please book fewer places.")
            % {"capacity": session.capacity}
        )
    return numbers


def check_booker(session, campaign, booker, *, organisation, user):
    if not (booker.get("booker_name") or "").strip():
        raise ServiceError(_("Please give the name of the person booking."))
    if not (booker.get("booker_email") or "").strip():
        raise ServiceError(_("Please give an email address for the confirmation."))
    event = session.event
    if (
        event.booking_mode == BookingMode.INDIVIDUAL
        and (event.kind == EventKind.PROFESSIONAL_TRAINING or event.attendees_named)
        and not (booker.get("booker_organisation_name") or booker.get("licence_number"))
    ):
        raise ServiceError(
            _("Please give your organisation or your licence number; your certificate will carry it.")
        )
    if campaign is not None and organisation is not None and user is None:
        if campaign.safeguarding_statement and not booker.get("safeguarding_confirmed"):
            raise ServiceError(_("Please confirm the safeguarding statement."))
        if campaign.photo_consent_statement and not booker.get("photo_consent_confirmed"):
            raise ServiceError(_("Please confirm the photo consent statement."))


BOOKER_FIELDS = (*BOOKER_PERSONAL_FIELDS, *BOOKER_CONFIRMATIONS)


def campaign_for_session(session):
    """The open campaign a session is booked under when there is no invitation, or None."""
    campaign = session.event.campaigns.filter(status=CampaignStatus.OPEN).order_by("-starts_on").first()
    return campaign


def events_by_invitation_only(events):
    """The ids of those of `events` (anything with `pk` and `booking_mode`) whose sessions only invited
    schools and groups can book (one query, none when no event is booked by organisation).

    As the public booking page decides: an event booked by organisation with no open campaign, or whose
    latest open campaign takes bookings only through invitations.
    """
    by_organisation = {event.pk for event in events if event.booking_mode == BookingMode.ORGANISATION}
    if not by_organisation:
        return set()
    open_booking = {}
    rows = (
        Campaign.objects.filter(status=CampaignStatus.OPEN, events__in=by_organisation)
        .order_by("-starts_on", "pk")
        .values_list("events", "open_booking")
    )
    for event_id, is_open in rows:
        open_booking.setdefault(event_id, is_open)
    return {pk for pk in by_organisation if not open_booking.get(pk, False)}


def sessions_by_invitation_only(sessions):
    """The ids of those of `sessions` that only invited schools and groups can book (one query): those
    whose event is by invitation only (`events_by_invitation_only`)."""
    events = {session.event_id: session.event for session in sessions}
    by_invitation = events_by_invitation_only(events.values())
    return {session.pk for session in sessions if session.event_id in by_invitation}


def unconfirmed_group(*, name, kind, postcode):
    """A school or group not in the register, named by the booker; staff confirm it later."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Please give the name of your school or group."))
    if kind not in OrganisationKind.values:
        raise ServiceError(_("Please choose what kind of group it is."))
    return Organisation(
        kind=kind, name=name[:255], postcode=(postcode or "").strip().upper()[:10], confirmed=False
    )


def clean_text(value):
    return value.strip() if isinstance(value, str) else value
