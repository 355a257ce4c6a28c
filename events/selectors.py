"""Read-only queries for the What's-on listing, event pages and calendar feeds (bounded query counts)."""

from dataclasses import dataclass
from functools import lru_cache

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from wagtail.models import PageViewRestriction

from cms.councils import council_by_code
from events.models import EventKind, EventMaterial, EventPage, Session, SessionStatus
from events.signals import sessions_listed
from resources.taxonomy import Audience

# What's on shows each event's next few sessions and links to the event page for the rest: a roadshow
# can have hundreds of sessions a year, and every row shown costs rendering time.
SESSIONS_PER_EVENT_ON_WHATS_ON = 6
# The event page lists all of an event's upcoming sessions, this many to a page.
EVENT_PAGE_SESSIONS_PER_PAGE = 25


@dataclass(frozen=True)
class ListingFilters:
    audience: str | None = None
    kind: str | None = None
    ignored: tuple = ()
    area: dict | None = None  # a partner council (plain values, cms.councils): its events and joint ones

    @property
    def area_code(self):
        return self.area["code"] if self.area else None

    @property
    def area_id(self):
        return self.area["pk"] if self.area else None

    @property
    def audience_label(self):
        return Audience(self.audience).label if self.audience else None

    @property
    def kind_label(self):
        return EventKind(self.kind).label if self.kind else None


def listing_filters(params):
    """Read `?audience=`, `?kind=` and `?area=` (a partner council's code). Unknown values are ignored (the
    listing is shown unfiltered)."""
    audience = params.get("audience") or None
    kind = params.get("kind") or None
    area_code = params.get("area") or None
    area = council_by_code(area_code) if area_code is not None else None
    ignored = []
    if area_code is not None and area is None:
        ignored.append("area")
    if audience is not None and audience not in Audience.values:
        ignored.append("audience")
        audience = None
    if kind is not None and kind not in EventKind.values:
        ignored.append("kind")
        kind = None
    return ListingFilters(audience=audience, kind=kind, ignored=tuple(ignored), area=area)


def public_sessions():
    """Sessions of published events that anyone may see, with their event and venue loaded.

    Events under a page with a view restriction (password, login, groups) are left out.
    """
    sessions = Session.objects.filter(event__live=True).select_related("event", "venue")
    restricted = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        restricted |= Q(event__path__startswith=path)
    return sessions.exclude(restricted) if restricted else sessions


def upcoming_public_sessions(*, audience=None, kind=None, area=None, include_cancelled=False, now=None):
    """`area`: a partner council's id, for the events it runs and those the partnership runs together."""
    sessions = public_sessions().filter(starts_at__gte=now or timezone.now())
    if area:
        sessions = sessions.filter(Q(event__authority_id=area) | Q(event__authority__isnull=True))
    if not include_cancelled:
        sessions = sessions.filter(status=SessionStatus.SCHEDULED)
    if audience:
        sessions = sessions.filter(event__audience=audience)
    if kind:
        sessions = sessions.filter(event__kind=kind)
    return sessions.order_by("starts_at", "pk")


@dataclass(frozen=True)
class EventSessions:
    """One event on What's on: its next sessions, and how many upcoming sessions it has in all."""

    event: EventPage
    sessions: list
    total: int
    rows: list = ()

    @property
    def more(self):
        """True when the event has more upcoming sessions than are shown."""
        return self.total > len(self.sessions)


def upcoming_sessions_by_event(
    *, audience=None, kind=None, area=None, now=None, per_event=SESSIONS_PER_EVENT_ON_WHATS_ON
):
    """[EventSessions, …]: each event's next `per_event` upcoming scheduled sessions, soonest event first.

    Two queries however many sessions there are (and the booking side's, see `mark_booking_routes`):
    window functions number each event's sessions in date order and count them, so only the first
    `per_event` of each event are fetched; then the events themselves, once each. Each group also has its
    `rows` (`session_rows`), for the sessions table.
    """
    by_event = [F("event_id")]
    sessions = (
        upcoming_public_sessions(audience=audience, kind=kind, area=area, now=now)
        .annotate(
            position=Window(
                RowNumber(), partition_by=by_event, order_by=[F("starts_at").asc(), F("pk").asc()]
            ),
            event_total=Window(Count("pk"), partition_by=by_event),
        )
        .filter(position__lte=per_event)
        .order_by("starts_at", "pk")
    )
    sessions = list(sessions.select_related(None).select_related("venue").defer("created_at", "updated_at"))
    # Each event is loaded once, not once per session row: a page object is costly to build.
    events = EventPage.objects.in_bulk({session.event_id for session in sessions})
    grouped = {}
    for session in sessions:
        session.event = events[session.event_id]
        if session.event_id not in grouped:
            grouped[session.event_id] = (session.event, [], session.event_total)
        grouped[session.event_id][1].append(session)
    mark_booking_routes(sessions)
    rows = dict(zip((session.pk for session in sessions), session_rows(sessions, now=now), strict=True))
    return [
        EventSessions(event, group, total, [rows[session.pk] for session in group])
        for event, group, total in grouped.values()
    ]


@dataclass(frozen=True, slots=True)
class SessionRow:
    """What a row of a sessions table shows, worked out once: dates as text, places left, links."""

    pk: int
    event_title: str
    starts_iso: str
    date_label: str
    day_month: str
    day_month_year: str
    starts_time: str
    ends_time: str
    venue_id: int
    venue_name: str
    venue_postcode: str
    is_cancelled: bool
    is_full: bool
    places_left: int
    by_invitation: bool
    book_url: str
    ics_url: str


def _url_for_pk(name):
    """A function pk -> the URL named `name` for that pk (reversed once); "" for each if `name` is unknown."""
    marker = 987654321
    try:
        url = reverse(name, args=[marker])
    except NoReverseMatch:
        return lambda pk: ""
    head, _marker, tail = url.rpartition(str(marker))
    return lambda pk: f"{head}{pk}{tail}"


@lru_cache(maxsize=4096)
def _formatted(value, kind, format_string, zone, language):
    """`value` as the `date` (or `time`) template filter shows it in time zone `zone` and `language`."""
    local = timezone.localtime(value, zone)
    with translation.override(language):
        return (formats.time_format if kind == "time" else formats.date_format)(local, format_string)


def session_rows(sessions, *, now=None):
    """[SessionRow, …] for `sessions` (with venue and event loaded, and marked by `mark_booking_routes`).

    Dates and times are shown in the site's time zone, formatted as the `date` and `time` template
    filters do (each distinct one is formatted once and remembered). Places left are the counter as read.
    """
    now = now or timezone.now()
    book_url, ics_url = _url_for_pk("campaigns:book_session"), _url_for_pk("events:session_ics")
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def fmt(value, kind, format_string):
        return _formatted(value, kind, format_string, zone, language)

    rows = []
    for session in sessions:
        cancelled = session.is_cancelled
        rows.append(
            SessionRow(
                pk=session.pk,
                event_title=session.event.title,
                starts_iso=fmt(session.starts_at, "date", "c"),
                date_label=fmt(session.starts_at, "date", "l j F Y"),
                day_month=fmt(session.starts_at, "date", "j F"),
                day_month_year=fmt(session.starts_at, "date", "j F Y"),
                starts_time=fmt(session.starts_at, "time", "P"),
                ends_time=fmt(session.ends_at, "time", "P"),
                venue_id=session.venue_id,
                venue_name=session.venue.name,
                venue_postcode=session.venue.postcode,
                is_cancelled=cancelled,
                is_full=session.is_full,
                places_left=session.places_left,
                by_invitation=getattr(session, "by_invitation", False),
                book_url=book_url(session.pk) if not cancelled and session.is_open_for_booking(now) else "",
                ics_url=ics_url(session.pk),
            )
        )
    return rows


def mark_booking_routes(sessions):
    """Mark each of `sessions` by_invitation when the booking side says only invited groups may book it.

    The booking side answers through the `sessions_listed` signal, in a fixed number of queries.
    """
    sessions = list(sessions)
    by_invitation = set()
    for _receiver, answer in sessions_listed.send(sender=Session, sessions=sessions):
        by_invitation |= set(answer or ())
    for session in sessions:
        session.by_invitation = session.pk in by_invitation
    return sessions


def filter_counts(*, audience=None, kind=None, area=None, now=None):
    """({audience: upcoming public sessions of `kind`}, {kind: upcoming public sessions for `audience`}).

    Each holds only the values that have some sessions. One query: sessions counted by audience and kind
    together, then added up for each side.
    """
    sessions = upcoming_public_sessions(area=area, now=now).order_by()
    rows = sessions.values_list("event__audience", "event__kind").annotate(total=Count("pk")).order_by()
    audiences, kinds = {}, {}
    for row_audience, row_kind, total in rows:
        if not kind or row_kind == kind:
            audiences[row_audience] = audiences.get(row_audience, 0) + total
        if not audience or row_audience == audience:
            kinds[row_kind] = kinds.get(row_kind, 0) + total
    return audiences, kinds


def _page_number(value):
    """A page number from `?page=`: anything that is not a whole number counts as the first page."""
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def event_page_sessions(event, *, page_number=None, per_page=EVENT_PAGE_SESSIONS_PER_PAGE, now=None):
    """One page of an event's upcoming sessions, cancelled ones included so people can see what changed.

    Two queries (a count and the page). A page number past the end gives the last page.
    """
    sessions = (
        Session.objects.filter(event=event, starts_at__gte=now or timezone.now())
        .select_related("venue", "event")
        .order_by("starts_at", "pk")
    )
    return Paginator(sessions, per_page).get_page(_page_number(page_number))


def event_page_materials(event):
    """Linked live pages, split into before and after the session."""
    materials = EventMaterial.objects.filter(event=event, page__live=True).select_related("page")
    before, after = [], []
    for material in materials.order_by("sort_order"):
        (before if material.stage == "before" else after).append(material.page)
    return {"before": before, "after": after}


def sessions_fingerprint(sessions):
    """A short string that changes whenever anything a calendar of `sessions` shows changes.

    One aggregate query: which sessions (count and sum of ids), their last change, and the last change
    of their events and venues.
    """
    figures = sessions.order_by().aggregate(
        count=Count("pk"),
        ids=Sum("pk"),
        sessions=Max("updated_at"),
        events=Max("event__last_published_at"),
        venues=Max("venue__updated_at"),
    )
    return "|".join(str(figures[key]) for key in ("count", "ids", "sessions", "events", "venues"))
