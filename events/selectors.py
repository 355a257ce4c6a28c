"""Read-only queries for the What's-on listing, event pages and calendar feeds (bounded query counts)."""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime

from cms import links
from cms.councils import council_by_code
from cms.page_cache import live_fingerprint, remembered
from cms.routing import is_restricted, restricted_paths
from events.models import (
    EventKind,
    EventMaterial,
    EventPage,
    Session,
    SessionStatus,
    Venue,
    booking_is_open,
)
from events.signals import events_listed, sessions_listed
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

    Events under a page with a view restriction (password, login, groups) are left out. The restricted
    paths are remembered until page privacy or the page tree changes (cms.routing), so this adds no query.
    """
    sessions = Session.objects.filter(event__live=True).select_related("event", "venue")
    restricted = Q()
    for path in restricted_paths():
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


@dataclass(frozen=True, slots=True)
class ListedEvent:
    """What What's on shows of an event, worked out once per content version (`listed_events`)."""

    pk: int
    title: str
    url: str
    kind_label: str
    audience_label: str
    search_description: str
    booking_mode: str
    kind: str
    audience: str
    authority_id: int | None  # the partner council that runs it; None for the partnership together
    council_name: str  # that council's name, "" for the partnership


def listed_events(request=None):
    """{pk: ListedEvent} for every live event page that anyone may see.

    An event's title, address and labels change only when a page is published, moved or deleted, which
    replaces the public content version (cms.page_cache): so they are worked out once per version and host
    and kept in the cache, instead of building an event page object for every event on every view.
    """
    host = request.get_host() if request is not None else ""

    def compute():
        paths = restricted_paths()
        return {
            event.pk: ListedEvent(
                pk=event.pk,
                title=event.title,
                url=event.get_url(request) or "",
                kind_label=str(event.get_kind_display()),
                audience_label=str(event.get_audience_display()),
                search_description=event.search_description,
                booking_mode=event.booking_mode,
                kind=event.kind,
                audience=event.audience,
                authority_id=event.authority_id,
                council_name=event.authority.name if event.authority_id else "",
            )
            for event in EventPage.objects.live().select_related("authority")
            if not is_restricted(event.path, paths)
        }

    return remembered(f"events:listed:{host}", compute, shared=True)  # frozen values, never changed


@dataclass(frozen=True)
class EventSessions:
    """One event on What's on: its next sessions, and how many upcoming sessions it has in all."""

    event: ListedEvent
    sessions: list
    total: int
    rows: list = ()

    @property
    def more(self):
        """True when the event has more upcoming sessions than are shown."""
        return self.total > len(self.sessions)


_LISTING_FIELDS = (
    "pk",
    "event_id",
    "starts_at",
    "ends_at",
    "venue_id",
    "venue__name",
    "venue__postcode",
    "capacity",
    "places_taken",
    "status",
    "booking_opens_at",
    "booking_closes_at",
    "event_total",
)


@lru_cache(maxsize=64)
def _listing_sql(vendor, events):
    """The listing query's SQL for `events` event ids, written once per database and number of events.

    The same statement as the ORM's window query (see `whats_on`), kept as text: building and compiling
    that query cost more than running it, on every view.
    """
    quote = connection.ops.quote_name
    session, venue = quote(Session._meta.db_table), quote(Venue._meta.db_table)
    ids = ", ".join(["%s"] * events)
    # Only the models' own table names and placeholders go into the text; every value is a parameter.
    return (
        "SELECT s.id, s.event_id, s.starts_at, s.ends_at, s.venue_id, v.name, v.postcode, s.capacity, "  # noqa: S608
        "s.places_taken, s.status, s.booking_opens_at, s.booking_closes_at, s.event_total FROM ("
        "SELECT id, event_id, starts_at, ends_at, venue_id, capacity, places_taken, status, "
        "booking_opens_at, booking_closes_at, "
        "ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY starts_at, id) AS position, "
        "COUNT(*) OVER (PARTITION BY event_id) AS event_total "
        f"FROM {session} WHERE status = %s AND starts_at >= %s AND event_id IN ({ids})"
        f") s INNER JOIN {venue} v ON v.id = s.venue_id WHERE s.position <= %s ORDER BY s.starts_at, s.id"
    )


def _as_datetime(value):
    """A datetime column's value as the ORM gives it: aware, in UTC (SQLite returns text)."""
    if value is None or isinstance(value, datetime.datetime):
        return (
            value if value is None or timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)
        )
    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _listing_values(event_ids, now, per_event):
    """[tuple of _LISTING_FIELDS, …]: each of `event_ids`' next `per_event` scheduled sessions from `now`
    with the event's number of upcoming scheduled sessions, soonest first (one query; none for no events)."""
    if not event_ids:
        return []
    params = [SessionStatus.SCHEDULED.value, connection.ops.adapt_datetimefield_value(now), *event_ids]
    with connection.cursor() as cursor:
        cursor.execute(_listing_sql(connection.vendor, len(event_ids)), [*params, per_event])
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":  # the driver already gives aware datetimes
        return rows
    return [
        (
            pk,
            event_id,
            _as_datetime(starts_at),
            _as_datetime(ends_at),
            venue_id,
            venue_name,
            postcode,
            capacity,
            taken,
            status,
            _as_datetime(opens_at),
            _as_datetime(closes_at),
            total,
        )
        for (
            pk,
            event_id,
            starts_at,
            ends_at,
            venue_id,
            venue_name,
            postcode,
            capacity,
            taken,
            status,
            opens_at,
            closes_at,
            total,
        ) in rows
    ]


@lru_cache(maxsize=64)
def _state_sql(vendor, events):
    """The listing state's SQL for `events` event ids (see `listing_state`), written once per database and
    number of events."""
    quote = connection.ops.quote_name
    session, venue = quote(Session._meta.db_table), quote(Venue._meta.db_table)
    ids = ", ".join(["%s"] * events)
    # Only the models' own table names and placeholders go into the text; every value is a parameter.
    return (
        "SELECT COUNT(*), SUM(s.id), MAX(s.id), "  # noqa: S608
        "SUM(s.places_taken), SUM(CAST(s.places_taken AS BIGINT) * s.id), "
        "SUM(CAST(s.places_taken AS BIGINT) * (s.id %% 65521) * (s.id %% 65521)), "
        "SUM(s.capacity), SUM(CAST(s.capacity AS BIGINT) * s.id), SUM(s.sequence), "
        "MAX(s.updated_at), MAX(v.updated_at), "
        "SUM(CASE WHEN s.booking_opens_at > %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN s.booking_closes_at <= %s THEN 1 ELSE 0 END) "
        f"FROM {session} s INNER JOIN {venue} v ON v.id = s.venue_id "
        f"WHERE s.status = %s AND s.starts_at >= %s AND s.event_id IN ({ids})"
    )


def _area_events(events, area):
    """Those of `events` ({pk: ListedEvent}) a visitor choosing partner council `area` sees: its own and the
    partnership's; all of them when no area is chosen."""
    if not area:
        return events
    return {pk: event for pk, event in events.items() if event.authority_id in (area, None)}


def _events_by_invitation(events):
    """The ids of `events` that the booking side says only invited groups may book (`events_listed`)."""
    by_invitation = set()
    for _receiver, answer in events_listed.send(sender=EventPage, events=list(events)):
        by_invitation |= set(answer or ())
    return frozenset(by_invitation)


@dataclass(frozen=True)
class ListingState:
    """What What's on needs to know to tell whether a page it showed before is still exact (`listing_state`)."""

    events: dict  # {pk: ListedEvent} of the events in the chosen area
    by_invitation: frozenset  # the ids of those only invited groups may book
    now: object
    digest: str = ""


def listing_state(*, area=None, now=None, request=None):
    """A digest that changes whenever anything What's on shows could have changed without a publish.

    One aggregate query over the upcoming scheduled sessions of the listed events, whatever their number,
    and the booking side's answer on which events are by invitation only (one query on campaigns). The
    aggregate covers which sessions are listed (their number, and the sum and highest of their ids, so one
    added and another removed still shows), places taken and capacities (plain sums and sums weighted by
    the session's id, so two bookings moving places between sessions cannot cancel out), the calendar
    sequence and last change of sessions and venues (times, venue names) and, as seen at `now`, how many
    booking windows have not opened or have closed. A session that starts leaves the listing and the count.
    """
    now = now or timezone.now()
    events = _area_events(listed_events(request), area)
    by_invitation = _events_by_invitation(events.values())
    figures = ()
    if events:
        moment = connection.ops.adapt_datetimefield_value(now)
        params = [moment, moment, SessionStatus.SCHEDULED.value, moment, *events]
        with connection.cursor() as cursor:
            cursor.execute(_state_sql(connection.vendor, len(events)), params)
            figures = tuple(cursor.fetchone())
    digest = live_fingerprint(sorted(events), sorted(by_invitation), figures)
    return ListingState(events=events, by_invitation=by_invitation, now=now, digest=digest)


@dataclass(frozen=True)
class WhatsOn:
    """What's on: the events shown with their next sessions, and the counts for the filter links."""

    groups: list
    audiences: dict
    kinds: dict


@dataclass(frozen=True)
class WhatsOnRead:
    """What's on as read from the database, before anything is built from it (`read_whats_on`)."""

    events: dict  # {pk: ListedEvent} of the events in the chosen area
    values: list  # each event's next sessions as plain values (_LISTING_FIELDS), every audience and kind
    shown: list  # those of the chosen audience and kind
    open_for_booking: tuple  # for each of `shown`, whether it takes bookings now
    by_invitation: frozenset  # the ids of `shown` only invited groups may book
    audience: str | None
    kind: str | None
    now: object


def read_whats_on(
    *,
    audience=None,
    kind=None,
    area=None,
    now=None,
    per_event=SESSIONS_PER_EVENT_ON_WHATS_ON,
    request=None,
    state=None,
):
    """The values What's on is built from (see `whats_on`): one query on sessions and venues, after the
    listing's `state` (given, or read now: the events and which are by invitation only)."""
    if state is None:
        events = _area_events(listed_events(request), area)
        state = ListingState(events=events, by_invitation=_events_by_invitation(events.values()), now=now)
    now, events = state.now or timezone.now(), state.events
    values = _listing_values(list(events), now, per_event)
    shown = [
        value
        for value in values
        if (not audience or events[value[1]].audience == audience)
        and (not kind or events[value[1]].kind == kind)
    ]
    by_invitation = frozenset(value[0] for value in shown if value[1] in state.by_invitation)
    open_for_booking = tuple(
        booking_is_open(status=value[9], starts_at=value[2], opens_at=value[10], closes_at=value[11], now=now)
        for value in shown
    )
    return WhatsOnRead(
        events=events,
        values=values,
        shown=shown,
        open_for_booking=open_for_booking,
        by_invitation=by_invitation,
        audience=audience,
        kind=kind,
        now=now,
    )


def whats_on(
    *, audience=None, kind=None, area=None, now=None, per_event=SESSIONS_PER_EVENT_ON_WHATS_ON, request=None
):
    """Each event's next `per_event` upcoming scheduled sessions, soonest event first, and the filter counts.

    `groups` is [EventSessions, …] for the events of `audience` and `kind`. `audiences` is {audience:
    upcoming sessions of `kind`} and `kinds` {kind: upcoming sessions for `audience`}, each holding only the
    values that have some sessions.

    One query however many sessions there are (and the booking side's, see `mark_booking_routes`), on the
    sessions table and venues only: the events are `listed_events` (live, public, kept per content
    version), so the query needs no page tables. Window functions number each event's sessions in date
    order and count them, so only the first `per_event` of each event are fetched, as plain values; the
    counts add up each event's total by its audience and kind. Places left are the counter as read.
    Each group's `sessions` and `rows` are its `SessionRow`s, for the sessions table. `area`: a partner
    council's id, for the events it runs and those the partnership runs together (counts included).
    """
    read = read_whats_on(
        audience=audience, kind=kind, area=area, now=now, per_event=per_event, request=request
    )
    return whats_on_from(read)


def whats_on_from(read):
    """WhatsOn built from `read` (a WhatsOnRead), with no further query."""
    events, audience, kind = read.events, read.audience, read.kind
    audiences, kinds, counted = {}, {}, set()
    for value in read.values:
        event = events[value[1]]
        if event.pk in counted:
            continue
        counted.add(event.pk)
        if not kind or event.kind == kind:
            audiences[event.audience] = audiences.get(event.audience, 0) + value[-1]
        if not audience or event.audience == audience:
            kinds[event.kind] = kinds.get(event.kind, 0) + value[-1]
    row = _row_maker(read.now)
    grouped = {}
    for value, open_for_booking in zip(read.shown, read.open_for_booking, strict=True):
        pk, event_id, starts_at, ends_at, venue_id, venue_name, postcode, capacity = value[:8]
        taken, status, _opens_at, _closes_at, total = value[8:]
        if event_id not in grouped:
            grouped[event_id] = (events[event_id], [], total)
        grouped[event_id][1].append(
            row(
                pk=pk,
                event_title=events[event_id].title,
                starts_at=starts_at,
                ends_at=ends_at,
                venue_id=venue_id,
                venue_name=venue_name,
                venue_postcode=postcode,
                is_cancelled=status == SessionStatus.CANCELLED,
                capacity=capacity,
                places_taken=taken,
                by_invitation=pk in read.by_invitation,
                open_for_booking=open_for_booking,
            )
        )
    groups = [EventSessions(event, rows, total, rows) for event, rows, total in grouped.values()]
    return WhatsOn(groups=groups, audiences=audiences, kinds=kinds)


@dataclass(frozen=True, slots=True)
class ComingUp:
    """A session in the home page's "Coming up": its event, when (as text), where, and whether it is full."""

    event: ListedEvent
    starts_iso: str
    day_label: str
    starts_time: str
    venue_name: str
    is_full: bool


def coming_up(count, *, request=None, now=None):
    """[ComingUp, …]: the next `count` scheduled public sessions, soonest first (one query, no page tables)."""
    now = now or timezone.now()
    events = listed_events(request)
    values = _next_sessions_of(events, count, now)
    zone, language = timezone.get_current_timezone(), translation.get_language()
    return [
        ComingUp(
            event=events[event_id],
            starts_iso=_formatted(starts_at, "date", "c", zone, language),
            day_label=_formatted(starts_at, "date", "l j F", zone, language),
            starts_time=_formatted(starts_at, "time", "P", zone, language),
            venue_name=venue_name,
            is_full=taken >= capacity,
        )
        for event_id, starts_at, venue_name, capacity, taken in values
    ]


COMING_UP_BATCH = 24  # sessions read at a time; a batch is rarely short of public ones
COMING_UP_BATCHES = 4


@lru_cache(maxsize=4)
def _next_sessions_sql(vendor):
    """The SQL of one batch of `_next_sessions_of`, written once per database."""
    quote = connection.ops.quote_name
    session, venue = quote(Session._meta.db_table), quote(Venue._meta.db_table)
    # Only the models' own table names go into the text; every value is a parameter.
    return (
        "SELECT s.id, s.event_id, s.starts_at, v.name, s.capacity, s.places_taken "  # noqa: S608
        f"FROM {session} s INNER JOIN {venue} v ON v.id = s.venue_id "
        "WHERE s.status = %s AND (s.starts_at > %s OR (s.starts_at = %s AND s.id > %s)) "
        "ORDER BY s.starts_at, s.id LIMIT %s"
    )


def _next_sessions_of(events, count, now):
    """The next `count` scheduled sessions of `events`, soonest first, as plain values
    (event id, starts at, venue name, capacity, places taken).

    Read in the order of the start-time index a batch at a time, keeping those of listed events, instead of
    sending every listed event's id with the query: nearly every session belongs to a listed event, so one
    short query usually answers, whatever the size of the programme. After a few batches mostly of unlisted
    events (unpublished or private ones) it asks for the listed events' sessions directly."""
    sql = _next_sessions_sql(connection.vendor)
    found, after = [], (now, 0)
    with connection.cursor() as cursor:
        for _batch in range(COMING_UP_BATCHES):
            # `starts_at = now` with any id counts as upcoming, as `starts_at__gte=now` does.
            moment = connection.ops.adapt_datetimefield_value(after[0])
            cursor.execute(sql, [SessionStatus.SCHEDULED.value, moment, moment, after[1], COMING_UP_BATCH])
            rows = [
                (pk, event, _as_datetime(starts), *rest) for pk, event, starts, *rest in cursor.fetchall()
            ]
            found += [row[1:] for row in rows if row[1] in events]
            if len(found) >= count or len(rows) < COMING_UP_BATCH:
                return found[:count]
            after = (rows[-1][2], rows[-1][0])
    rest = (
        Session.objects.filter(status=SessionStatus.SCHEDULED, event_id__in=list(events))
        .filter(Q(starts_at__gt=after[0]) | Q(starts_at=after[0], pk__gt=after[1]))
        .order_by("starts_at", "pk")
        .values_list("event_id", "starts_at", "venue__name", "capacity", "places_taken")
    )
    return (found + list(rest[:count]))[:count]


def upcoming_sessions_by_event(**kwargs):
    """[EventSessions, …]: What's on's events with their next sessions (see `whats_on`)."""
    return whats_on(**kwargs).groups


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


def _row_maker(now):
    """A function making one SessionRow from plain values, with the URLs, zone and language read once.

    Dates and times are shown in the site's time zone, formatted as the `date` and `time` template
    filters do (each distinct one is formatted once and remembered).
    """
    book_url, ics_url = _url_for_pk("campaigns:book_session"), _url_for_pk("events:session_ics")
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def fmt(value, kind, format_string):
        return _formatted(value, kind, format_string, zone, language)

    def row(
        *,
        pk,
        event_title,
        starts_at,
        ends_at,
        venue_id,
        venue_name,
        venue_postcode,
        is_cancelled,
        capacity,
        places_taken,
        by_invitation,
        open_for_booking,
    ):
        return SessionRow(
            pk=pk,
            event_title=event_title,
            starts_iso=fmt(starts_at, "date", "c"),
            date_label=fmt(starts_at, "date", "l j F Y"),
            day_month=fmt(starts_at, "date", "j F"),
            day_month_year=fmt(starts_at, "date", "j F Y"),
            starts_time=fmt(starts_at, "time", "P"),
            ends_time=fmt(ends_at, "time", "P"),
            venue_id=venue_id,
            venue_name=venue_name,
            venue_postcode=venue_postcode,
            is_cancelled=is_cancelled,
            is_full=places_taken >= capacity,
            places_left=max(capacity - places_taken, 0),
            by_invitation=by_invitation,
            book_url=book_url(pk) if open_for_booking else "",
            ics_url=ics_url(pk),
        )

    return row


def session_rows(sessions, *, now=None):
    """[SessionRow, …] for `sessions` (with venue and event loaded, and marked by `mark_booking_routes`).

    Places left are the counter as read.
    """
    now = now or timezone.now()
    row = _row_maker(now)
    return [
        row(
            pk=session.pk,
            event_title=session.event.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            venue_id=session.venue_id,
            venue_name=session.venue.name,
            venue_postcode=session.venue.postcode,
            is_cancelled=session.is_cancelled,
            capacity=session.capacity,
            places_taken=session.places_taken,
            by_invitation=getattr(session, "by_invitation", False),
            open_for_booking=session.is_open_for_booking(now),
        )
        for session in sessions
    ]


def _by_invitation(sessions):
    """The ids of `sessions` that the booking side says only invited groups may book (`sessions_listed`)."""
    by_invitation = set()
    for _receiver, answer in sessions_listed.send(sender=Session, sessions=sessions):
        by_invitation |= set(answer or ())
    return by_invitation


def mark_booking_routes(sessions):
    """Mark each of `sessions` by_invitation when the booking side says only invited groups may book it.

    The booking side answers through the `sessions_listed` signal, in a fixed number of queries.
    """
    sessions = list(sessions)
    by_invitation = _by_invitation(sessions)
    for session in sessions:
        session.by_invitation = session.pk in by_invitation
    return sessions


def event_page_sessions(event, *, page_number=None, per_page=EVENT_PAGE_SESSIONS_PER_PAGE, now=None):
    """One page of an event's upcoming sessions, cancelled ones included so people can see what changed.

    Two queries (a count and the page). A page number past the end gives the last page.
    """
    sessions = (
        Session.objects.filter(event=event, starts_at__gte=now or timezone.now())
        .select_related("venue", "event")
        .order_by("starts_at", "pk")
    )
    return Paginator(sessions, per_page).get_page(links.page_number(page_number))


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
