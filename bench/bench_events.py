"""What's on and the calendar feed under load, with a programme of many sessions.

Baseline: the bare /healthz view on the same server in the same run. Every figure is measured at each of
`ctx.sizes` (30 events of 20 sessions, then that many times more), and query counts also at a tiny
programme, to show the listing does not make more queries as sessions are added. The listing shows
each event's next few sessions (SESSIONS_PER_EVENT_ON_WHATS_ON) and links to the event page for the rest,
so it renders far fewer rows than there are sessions; the feed holds every session.
"""

import datetime

from django.test import Client
from django.utils import timezone

from bench.support import result
from cms.models import HomePage
from events import services
from events.models import EventIndexPage, EventKind, EventPage, Venue
from events.selectors import SESSIONS_PER_EVENT_ON_WHATS_ON
from resources.taxonomy import Audience

KINDS = [
    (EventKind.PUPIL_ROADSHOW, Audience.AGES_8_10),
    (EventKind.PARENT_SESSION, Audience.PARENTS_CARERS),
    (EventKind.PROFESSIONAL_TRAINING, Audience.PROFESSIONALS),
]


def _programme(events, sessions_per_event, offset=0):
    index = EventIndexPage.objects.first()
    if index is None:
        index = EventIndexPage(title="What's on", slug="events")
        HomePage.objects.first().add_child(instance=index)
        index.save_revision().publish()
    venues = [
        Venue.objects.get_or_create(
            name=f"Bench venue {i}", defaults={"address": "1 Road", "postcode": "RM17 6SL"}
        )[0]
        for i in range(4)
    ]
    base = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    for e in range(events):
        kind, audience = KINDS[e % len(KINDS)]
        event = EventPage(
            title=f"Bench event {offset + e}", slug=f"bench-event-{offset + e}", kind=kind, audience=audience
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        for s in range(sessions_per_event):
            starts_at = base + datetime.timedelta(days=s, hours=e % 8)
            services.create_session(
                event=event,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=2),
                venue=venues[(e + s) % len(venues)],
                capacity=100,
            )


def _queries(ctx, path):
    client = Client()
    client.get(path)  # warm caches (site root paths)
    response, count = ctx.count_queries(lambda: client.get(path))
    assert response.status_code == 200, response.status_code
    return count


def run(ctx):
    _programme(events=3, sessions_per_event=2)
    small_listing = _queries(ctx, "/events/")
    small_feed = _queries(ctx, "/events/calendar.ics")
    per_event = ctx.scaled(20, minimum=5)
    n = ctx.scaled(600, minimum=60)
    rows, events_made = [], 0
    for size in ctx.sizes:  # grows the same programme: 30 events, then 30 x size
        events = ctx.scaled(30, minimum=6, size=size)
        _programme(events=events - events_made, sessions_per_event=per_event, offset=100 + events_made)
        events_made = events
        sessions = 6 + events * per_event
        shown = 6 + events * min(per_event, SESSIONS_PER_EVENT_ON_WHATS_ON)
        large_listing = _queries(ctx, "/events/")
        large_feed = _queries(ctx, "/events/calendar.ics")
        with ctx.live_server() as base:
            ctx.http_load(base, ["/healthz"] * 30)
            ctx.http_load(base, ["/events/", "/events/calendar.ics"] * 10)
            bare = ctx.http_load(base, ["/healthz"] * n, concurrency=8)
            listing = ctx.http_load(base, ["/events/"] * n, concurrency=8)
            feed = ctx.http_load(base, ["/events/calendar.ics"] * n, concurrency=8)
            filtered = ctx.http_load(base, ["/events/?audience=parents-carers"] * n, concurrency=8)
        rows += [
            result(
                "What's on listing",
                f"requests per second ({sessions} upcoming sessions, {shown} shown: "
                f"at most {SESSIONS_PER_EVENT_ON_WHATS_ON} per event)",
                listing["per_second"],
                "req/s",
                "bare /healthz view",
                bare["per_second"],
                notes=f"median {listing['median_ms']:.1f} ms; statuses {listing['statuses']}; "
                f"queries {small_listing} with 6 sessions, {large_listing} with {sessions}",
                queries=large_listing,
                size=size,
            ),
            result(
                "What's on listing, filtered by audience",
                "requests per second",
                filtered["per_second"],
                "req/s",
                "bare /healthz view",
                bare["per_second"],
                notes=f"median {filtered['median_ms']:.1f} ms; statuses {filtered['statuses']}",
                size=size,
            ),
            result(
                "calendar feed /events/calendar.ics",
                f"requests per second ({sessions} sessions, VTIMEZONE included)",
                feed["per_second"],
                "req/s",
                "bare /healthz view",
                bare["per_second"],
                notes=f"median {feed['median_ms']:.1f} ms; statuses {feed['statuses']}; "
                f"queries {small_feed} with 6 sessions, {large_feed} with {sessions}",
                queries=large_feed,
                size=size,
            ),
        ]
    return rows
