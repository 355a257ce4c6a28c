"""What's on, event pages and calendar feeds, as the public sees them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.models import StandardPage
from events import services
from events.models import BookingMode, EventKind, EventMaterial
from events.selectors import EVENT_PAGE_SESSIONS_PER_PAGE, SESSIONS_PER_EVENT_ON_WHATS_ON
from resources.taxonomy import Audience
from tests.factories import (
    CampaignFactory,
    EventPageFactory,
    SessionFactory,
    VenueFactory,
    event_index,
    home_page,
)

from .helpers import parse_both, take_places, vevents

pytestmark = pytest.mark.django_db


def soon(days, hour=9):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def session_at(days, **kwargs):
    starts_at = soon(days)
    return SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), **kwargs)


@pytest.fixture
def index():
    return event_index()


def test_whats_on_lists_upcoming_sessions_grouped_by_event(client, index):
    roadshow = EventPageFactory(title="Walk Online roadshow")
    parents = EventPageFactory(
        title="An evening for parents", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
    )
    venue = VenueFactory(name="Stanford Community Hall")
    session_at(3, event=roadshow, venue=venue)
    session_at(4, event=roadshow, venue=venue)
    session_at(10, event=parents)
    past = SessionFactory(event=parents, starts_at=soon(-2), ends_at=soon(-2) + datetime.timedelta(hours=1))

    response = client.get("/events/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Walk Online roadshow") < html.index("An evening for parents")
    assert html.count("Stanford Community Hall") == 2
    assert f"/events/sessions/{past.pk}.ics" not in html
    groups = response.context["events_with_sessions"]
    assert [(group.event.title, len(group.sessions), group.total) for group in groups] == [
        ("Walk Online roadshow", 2, 2),
        ("An evening for parents", 1, 1),
    ]


def test_whats_on_shows_date_time_in_uk_time_and_places_left(client, index):
    # 09:30 UK time in summer is 08:30 UTC: the page must show 9:30.
    starts_at = timezone.make_aware(datetime.datetime(timezone.localdate().year + 1, 7, 6, 9, 30))
    session = SessionFactory(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), capacity=90
    )
    take_places(session, 85)
    html = client.get("/events/").content.decode()
    assert "9:30 a.m. to 11:30 a.m." in html
    assert "8:30" not in html
    assert "5 places left" in html
    assert f"{starts_at:%A} 6 July {starts_at.year}" in html


def test_a_full_session_offers_the_waiting_list(client, index):
    session = take_places(session_at(5, capacity=30), 30)
    html = client.get("/events/").content.decode()
    assert "Full — join the waiting list" in html
    assert f"/events/sessions/{session.pk}.ics" in html


def test_cancelled_and_unpublished_sessions_are_not_listed(client, index):
    cancelled = services.cancel_session(session_at(5))
    hidden_event = EventPageFactory(title="Draft roadshow")
    hidden_event.unpublish()
    session_at(6, event=hidden_event)
    html = client.get("/events/").content.decode()
    assert f"/events/sessions/{cancelled.pk}.ics" not in html
    assert "Draft roadshow" not in html
    assert "There are no upcoming sessions" in html


def test_book_button_appears_only_where_the_public_can_book(client, index):
    open_campaign = CampaignFactory(open_booking=True)
    open_session = session_at(5)
    open_campaign.events.add(open_session.event)
    parents = session_at(
        6, event=EventPageFactory(kind=EventKind.PARENT_SESSION, booking_mode=BookingMode.INDIVIDUAL)
    )
    html = client.get("/events/").content.decode()
    assert f'href="{reverse("campaigns:book_session", args=[open_session.pk])}"' in html
    assert f'href="{reverse("campaigns:book_session", args=[parents.pk])}"' in html
    assert "By invitation" not in html


def test_invitation_only_sessions_say_so_instead_of_offering_a_book_button(client, index):
    invited = CampaignFactory(open_booking=False)
    by_invitation = session_at(5, event=EventPageFactory(title="Invited roadshow"))
    invited.events.add(by_invitation.event)
    no_campaign = session_at(6, event=EventPageFactory(title="Roadshow without a campaign"))

    for path in ("/events/", by_invitation.event.url, no_campaign.event.url):
        html = client.get(path).content.decode()
        assert "By invitation — schools are invited by email" in html
        assert reverse("campaigns:book_session", args=[by_invitation.pk]) not in html
        assert reverse("campaigns:book_session", args=[no_campaign.pk]) not in html
    assert client.get("/events/").content.decode().count("By invitation — schools are invited by email") == 2


def test_who_is_it_for_offers_only_audiences_with_upcoming_sessions(client, index):
    session_at(5, event=EventPageFactory(title="Roadshow", audience=Audience.AGES_8_10))
    session_at(6, event=EventPageFactory(title="Roadshow two", audience=Audience.AGES_8_10))
    session_at(
        7,
        event=EventPageFactory(
            title="Parents evening", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
        ),
    )
    past = EventPageFactory(
        title="Old briefing", audience=Audience.PROFESSIONALS, kind=EventKind.DSL_BRIEFING
    )
    SessionFactory(event=past, starts_at=soon(-3), ends_at=soon(-3) + datetime.timedelta(hours=1))

    html = client.get("/events/").content.decode()
    assert 'href="?audience=8-10"' in html and "Children aged 8–10 (Key Stage 2) (2)" in html
    assert 'href="?audience=parents-carers"' in html and "Parents and carers (1)" in html
    for empty in ("4-7", "11-13", "14-18", "faith-community", "professionals"):
        assert f'href="?audience={empty}"' not in html
    assert 'href="?kind=dsl-briefing"' not in html
    assert 'href="?kind=parent-session"' in html


def test_an_old_link_to_an_audience_with_no_sessions_says_so_and_offers_a_way_on(client, index):
    session_at(5, event=EventPageFactory(title="Roadshow", audience=Audience.AGES_8_10))
    response = client.get("/events/?audience=faith-community")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No sessions for faith and community groups are on at the moment." in html
    assert "See every upcoming session" in html
    assert 'aria-current="true">Faith and community groups (0)' in html


def test_whats_on_filters_by_audience_and_kind(client, index):
    EventPageFactory(title="Roadshow for Year 5", audience=Audience.AGES_8_10)
    parents = EventPageFactory(
        title="Parents evening", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
    )
    taxi = EventPageFactory(
        title="Taxi driver training", kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS
    )
    for event in (parents, taxi):
        session_at(5, event=event)
    session_at(5, event=EventPageFactory(title="Another roadshow", audience=Audience.AGES_8_10))

    def titles(query):
        response = client.get(f"/events/{query}")
        assert response.status_code == 200
        return [group.event.title for group in response.context["events_with_sessions"]]

    assert titles("?audience=parents-carers") == ["Parents evening"]
    assert titles("?kind=professional-training") == ["Taxi driver training"]
    assert titles("?audience=professionals&kind=parent-session") == []
    assert set(titles("")) == {"Parents evening", "Taxi driver training", "Another roadshow"}
    html = client.get("/events/?audience=parents-carers").content.decode()
    assert 'href="?kind=parent-session&amp;audience=parents-carers"' in html
    assert 'href="?kind=professional-training&amp;audience=parents-carers"' not in html


@pytest.mark.parametrize(
    "query",
    ["?audience=martians", "?kind=x", "?audience=&kind=", "?audience=8-10%27%22<script>", "?page=x"],
)
def test_unknown_filters_show_everything_instead_of_failing(client, index, query):
    session_at(5, event=EventPageFactory(title="Roadshow"))
    response = client.get(f"/events/{query}")
    assert response.status_code == 200
    assert [group.event.title for group in response.context["events_with_sessions"]] == ["Roadshow"]
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def _listing_queries(client, booked):
    """(queries drawing the page afresh, queries answering from the cache, sessions shown, sessions in all).

    The page is drawn afresh after a place on `booked` is taken (a new cache key, the content caches warm)."""
    take_places(booked, booked.places_taken + 1)
    with CaptureQueriesContext(connection) as drawn:
        response = client.get("/events/")
    assert response.status_code == 200
    groups = response.context["events_with_sessions"]
    with CaptureQueriesContext(connection) as repeated:
        again = client.get("/events/")
    assert again.content == response.content and again.context is None  # from the cache
    shown, total = sum(len(group.sessions) for group in groups), sum(group.total for group in groups)
    return len(drawn), len(repeated), shown, total


def test_listing_query_count_does_not_grow_with_sessions(client, index):
    venues = [VenueFactory(), VenueFactory()]
    events = [EventPageFactory() for _ in range(2)]
    for i in range(6):
        session_at(3 + i, event=events[i % 2], venue=venues[i % 2])
    client.get("/events/")  # warm the site-root cache
    small = _listing_queries(client, events[0].sessions.first())

    events += [EventPageFactory() for _ in range(4)]
    venues += [VenueFactory() for _ in range(3)]
    for i in range(194):
        session_at(3 + i % 60, event=events[i % 6], venue=venues[i % 5])
    client.get("/events/")  # new pages changed the content version: cache the help contacts again
    large = _listing_queries(client, events[0].sessions.first())

    assert small[2:] == (6, 6)
    assert large[2:] == (6 * SESSIONS_PER_EVENT_ON_WHATS_ON, 200)
    assert large[:2] == small[:2]
    assert small[1] <= 2  # from the cache: the listing's values and the booking side's answer


def test_whats_on_shows_only_the_next_sessions_of_a_busy_event(client, index):
    busy = EventPageFactory(title="Walk Online roadshow")
    # Created out of date order, with a past and a cancelled session that must not count.
    days = [20, 4, 15, 9, 30, 6, 12, 25, 3, 18]
    sessions = {day: session_at(day, event=busy) for day in days}
    SessionFactory(event=busy, starts_at=soon(-2), ends_at=soon(-2) + datetime.timedelta(hours=1))
    services.cancel_session(session_at(5, event=busy))

    response = client.get("/events/")
    assert response.status_code == 200
    (group,) = response.context["events_with_sessions"]
    expected = [sessions[day] for day in sorted(days)[:SESSIONS_PER_EVENT_ON_WHATS_ON]]
    assert [session.pk for session in group.sessions] == [session.pk for session in expected]
    assert group.total == len(days)
    html = response.content.decode()
    for day in sorted(days)[SESSIONS_PER_EVENT_ON_WHATS_ON:]:
        assert f"/events/sessions/{sessions[day].pk}.ics" not in html
    assert f'<a href="{busy.url}">See all {len(days)} sessions of Walk Online roadshow</a>' in html
    assert f"the next {SESSIONS_PER_EVENT_ON_WHATS_ON} of {len(days)} sessions</caption>" in html


def test_whats_on_links_to_the_rest_only_when_an_event_has_more(client, index):
    exactly = EventPageFactory(title="Parents evening", kind=EventKind.PARENT_SESSION)
    few = EventPageFactory(title="Taxi driver training", kind=EventKind.PROFESSIONAL_TRAINING)
    for day in range(SESSIONS_PER_EVENT_ON_WHATS_ON):
        session_at(3 + day, event=exactly)
    session_at(4, event=few)

    response = client.get("/events/")
    groups = response.context["events_with_sessions"]
    assert [(g.event.title, len(g.sessions), g.total, g.more) for g in groups] == [
        ("Parents evening", SESSIONS_PER_EVENT_ON_WHATS_ON, SESSIONS_PER_EVENT_ON_WHATS_ON, False),
        ("Taxi driver training", 1, 1, False),
    ]
    assert "See all" not in response.content.decode()


def test_whats_on_filters_apply_to_the_next_sessions_and_their_count(client, index):
    roadshow = EventPageFactory(title="Walk Online roadshow", audience=Audience.AGES_8_10)
    parents = EventPageFactory(
        title="Parents evening", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
    )
    for day in range(9):
        session_at(3 + day, event=roadshow)
    for day in range(8):
        session_at(3 + day, event=parents)

    def shown(query):
        response = client.get(f"/events/{query}")
        assert response.status_code == 200
        groups = response.context["events_with_sessions"]
        return [(g.event.title, len(g.sessions), g.total) for g in groups], response.content.decode()

    groups, html = shown("?audience=parents-carers")
    assert groups == [("Parents evening", SESSIONS_PER_EVENT_ON_WHATS_ON, 8)]
    assert "See all 8 sessions of Parents evening" in html
    assert "Walk Online roadshow" not in html
    groups, html = shown("?kind=pupil-roadshow&audience=8-10")
    assert groups == [("Walk Online roadshow", SESSIONS_PER_EVENT_ON_WHATS_ON, 9)]
    assert "See all 9 sessions of Walk Online roadshow" in html
    groups, _ = shown("")
    assert {title: total for title, _, total in groups} == {"Walk Online roadshow": 9, "Parents evening": 8}


def test_event_page_shows_sessions_venues_directions_accessibility_and_materials(client, index):
    event = EventPageFactory(title="Walk Online roadshow", what_to_bring="Your booking reference")
    venue = VenueFactory(
        name="Thames Reach Conference Centre",
        directions="Ten minutes' walk from Grays station.",
        accessibility_notes="Step-free entrance and a hearing loop.",
    )
    session = session_at(7, event=event, venue=venue)
    guide = home_page().add_child(
        instance=StandardPage(title="Talking to your class about online safety", slug="class-guide")
    )
    follow_up = home_page().add_child(instance=StandardPage(title="Follow-up lesson plan", slug="follow-up"))
    EventMaterial.objects.create(event=event, page=guide, stage="before", sort_order=0)
    EventMaterial.objects.create(event=event, page=follow_up, stage="after", sort_order=1)

    response = client.get(event.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thames Reach Conference Centre" in html
    assert "Ten minutes&#x27; walk from Grays station." in html
    assert "Step-free entrance and a hearing loop." in html
    assert "Your booking reference" in html
    assert "Talking to your class about online safety" in html
    assert "Follow-up lesson plan" in html
    assert (
        html.index("Before the session")
        < html.index("Talking to your class")
        < html.index("After the session")
    )
    assert f"/events/sessions/{session.pk}.ics" in html
    assert f"/events/{event.slug}/calendar.ics" in html
    assert "0808 800 5000" in html


def test_event_page_shows_a_cancelled_session_as_cancelled(client, index):
    session = services.cancel_session(session_at(7))
    html = client.get(session.event.url).content.decode()
    assert "session--cancelled" in html
    assert "Cancelled" in html


def _busy_event(count, venues=3):
    event = EventPageFactory(title="Walk Online roadshow", slug="walk-online")
    halls = [VenueFactory(name=f"Hall {n}") for n in range(venues)]
    # Created latest first, so the page order comes from the dates, not from creation.
    sessions = [session_at(3 + day, event=event, venue=halls[day % venues]) for day in reversed(range(count))]
    return event, sessions[::-1]


def _ics_links(html, sessions):
    return [session for session in sessions if f"/events/sessions/{session.pk}.ics" in html]


def test_event_page_lists_many_sessions_a_page_at_a_time(client, index):
    per_page = EVENT_PAGE_SESSIONS_PER_PAGE
    event, sessions = _busy_event(per_page + 5)

    first = client.get(event.url)
    assert first.status_code == 200
    html = first.content.decode()
    assert _ics_links(html, sessions) == sessions[:per_page]
    assert [s.pk for s in first.context["sessions"]] == [s.pk for s in sessions[:per_page]]
    assert f"Showing sessions 1 to {per_page} of {per_page + 5}." in html
    assert 'href="?page=2#sessions" rel="next"' in html
    assert 'aria-label="Pages of sessions"' in html
    assert "Sessions, page 1 of 2</caption>" in html

    second = client.get(f"{event.url}?page=2")
    assert second.status_code == 200
    html = second.content.decode()
    assert _ics_links(html, sessions) == sessions[per_page:]
    assert 'href="?page=1#sessions" rel="prev"' in html
    assert "Page 2 of 2" in html
    # Every venue a row links to has its section on the same page.
    for session in sessions[per_page:]:
        assert f'href="#venue-{session.venue_id}"' in html
        assert f'id="venue-{session.venue_id}"' in html


def test_event_page_with_few_sessions_has_no_paging(client, index):
    event, sessions = _busy_event(3)
    html = client.get(event.url).content.decode()
    assert _ics_links(html, sessions) == sessions
    assert 'class="pagination"' not in html
    assert "Showing sessions" not in html


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("?page=abc", 1),
        ("?page=", 1),
        ("?page=0", 1),
        ("?page=-1", 1),
        ("?page=1.5", 1),
        ("?page=2", 2),
        ("?page=9999", 2),
        ("?page=99999999999999999999999", 2),
        ("?page=2&page=abc", 1),
    ],
)
def test_event_page_answers_any_page_number_with_a_page(client, index, query, page):
    event, sessions = _busy_event(EVENT_PAGE_SESSIONS_PER_PAGE + 1)
    response = client.get(f"{event.url}{query}")
    assert response.status_code == 200
    assert response.context["sessions_page"].number == page
    assert not response.cookies


def test_event_page_query_count_does_not_grow_with_sessions(client, index):
    event, _ = _busy_event(2, venues=2)
    for _ in range(2):  # warm the site-root cache and the help contacts
        client.get(event.url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(event.url).status_code == 200
    more = [VenueFactory() for _ in range(5)]
    for day in range(60):
        session_at(10 + day, event=event, venue=more[day % 5])
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"{event.url}?page=2").status_code == 200
    assert len(large) == len(small)


# Feeds --------------------------------------------------------------------------------------------


def test_programme_feed_lists_upcoming_sessions_and_parses(client, index):
    upcoming = session_at(5, event=EventPageFactory(title="Roadshow"))
    cancelled = services.cancel_session(session_at(6, event=upcoming.event))
    past = SessionFactory(
        event=upcoming.event, starts_at=soon(-3), ends_at=soon(-3) + datetime.timedelta(hours=1)
    )

    response = client.get("/events/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline;")
    calendar, vcal = parse_both(response.content)
    uids = {str(e["UID"]) for e in vevents(calendar)}
    assert uids == {f"session-{upcoming.pk}@testserver", f"session-{cancelled.pk}@testserver"}
    assert f"session-{past.pk}@testserver" not in uids
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in vevents(calendar)}
    assert statuses[f"session-{cancelled.pk}@testserver"] == "CANCELLED"
    assert len(vcal.vevent_list) == 2
    assert calendar["METHOD"] == "PUBLISH"


def test_programme_feed_answers_304_when_nothing_changed(client, index):
    session_at(5)
    first = client.get("/events/calendar.ics")
    again = client.get("/events/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_programme_feed_filters_by_audience(client, index):
    parents = session_at(
        5, event=EventPageFactory(kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS)
    )
    session_at(5, event=EventPageFactory(audience=Audience.AGES_8_10))
    response = client.get("/events/calendar.ics?audience=parents-carers")
    calendar, _ = parse_both(response.content)
    assert [str(e["UID"]) for e in vevents(calendar)] == [f"session-{parents.pk}@testserver"]
    assert "Parents and carers" in calendar.calendar_name


@pytest.mark.parametrize("query", ["?audience=martians", "?audience=8-10%27"])
def test_programme_feed_refuses_an_unknown_audience_with_400(client, index, query):
    response = client.get(f"/events/calendar.ics{query}")
    assert response.status_code == 400
    assert b"Unknown audience" in response.content


def test_event_feed_and_session_download(client, index):
    event = EventPageFactory(slug="walk-online")
    sessions = [session_at(5, event=event), session_at(6, event=event)]
    session_at(5)  # another event's session

    response = client.get("/events/walk-online/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="walk-online.ics"'
    calendar, vcal = parse_both(response.content)
    assert [str(e["UID"]) for e in vevents(calendar)] == [f"session-{s.pk}@testserver" for s in sessions]

    response = client.get(f"/events/sessions/{sessions[0].pk}.ics")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="session-{sessions[0].pk}.ics"'
    calendar, vcal = parse_both(response.content)
    assert vcal.vevent.uid.value == f"session-{sessions[0].pk}@testserver"


def test_downloads_of_unknown_or_unpublished_things_are_404(client, index):
    hidden = EventPageFactory(slug="draft-event")
    session = session_at(5, event=hidden)
    hidden.unpublish()
    assert client.get("/events/no-such-event/calendar.ics").status_code == 404
    assert client.get("/events/draft-event/calendar.ics").status_code == 404
    assert client.get(f"/events/sessions/{session.pk}.ics").status_code == 404
    assert client.get("/events/sessions/999999.ics").status_code == 404


def test_feeds_refuse_writes(client, index):
    assert client.post("/events/calendar.ics").status_code == 405


def test_public_event_pages_set_no_cookies(client, index):
    session = session_at(5)
    for url in ("/events/", session.event.url, "/events/calendar.ics"):
        assert not client.get(url).cookies


def test_a_cached_feed_shows_a_change_at_once(client, index):
    session = session_at(5, event=EventPageFactory(slug="roadshow"))
    urls = ["/events/calendar.ics", "/events/roadshow/calendar.ics", f"/events/sessions/{session.pk}.ics"]
    before = {url: client.get(url) for url in urls}
    moved = services.update_session(
        session,
        starts_at=session.starts_at + datetime.timedelta(hours=1),
        ends_at=session.ends_at + datetime.timedelta(hours=1),
    )
    for url in urls:
        after = client.get(url, HTTP_IF_NONE_MATCH=before[url]["ETag"])
        assert after.status_code == 200, url
        (event,) = vevents(parse_both(after.content)[0])
        assert event["SEQUENCE"] == 1
        assert event.start == moved.starts_at

    venue = moved.venue
    venue.name = "Renamed hall"
    venue.save()
    assert "Renamed hall" in client.get(urls[0]).content.decode()


def test_an_unchanged_feed_is_served_without_rebuilding(
    client, index, monkeypatch, django_assert_max_num_queries
):
    for day in range(5):
        session_at(5 + day)
    first = client.get("/events/calendar.ics")

    def must_not_build(*args, **kwargs):
        raise AssertionError("the unchanged feed was built again")

    monkeypatch.setattr("events.views.build_calendar", must_not_build)
    with django_assert_max_num_queries(2):  # view restrictions, then one aggregate
        again = client.get("/events/calendar.ics")
    assert again.status_code == 200
    assert again.content == first.content


def test_events_behind_a_view_restriction_stay_out_of_listing_and_feeds(client, index):
    from wagtail.models import PageViewRestriction

    private = EventPageFactory(title="Staff-only briefing")
    hidden = session_at(5, event=private)
    shown = session_at(5, event=EventPageFactory(title="Open roadshow"))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="secret")

    html = client.get("/events/").content.decode()
    assert "Staff-only briefing" not in html
    assert "Open roadshow" in html
    feed = client.get("/events/calendar.ics").content.decode()
    assert f"session-{hidden.pk}@" not in feed
    assert f"session-{shown.pk}@" in feed
    assert client.get(f"/events/sessions/{hidden.pk}.ics").status_code == 404


def test_home_page_shows_the_next_sessions(client, index):
    assert "Coming up" not in client.get("/").content.decode()
    soonest = session_at(3, event=EventPageFactory(title="Walk Online roadshow"))
    session_at(4, event=EventPageFactory(title="Parents evening"))
    session_at(5, event=EventPageFactory(title="Taxi driver training"))
    session_at(6, event=EventPageFactory(title="Much later briefing"))
    services.cancel_session(session_at(2, event=EventPageFactory(title="Called off")))
    html = client.get("/").content.decode()
    assert "Coming up" in html
    assert (
        html.index("Walk Online roadshow")
        < html.index("Parents evening")
        < html.index("Taxi driver training")
    )
    assert "Much later briefing" not in html
    assert "Called off" not in html
    assert soonest.event.url in html


def test_home_page_panel_query_count_does_not_grow(client, index):
    session_at(3)
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for day in range(10):
        session_at(4 + day)
    client.get("/")  # new pages changed the content version: cache the help contacts again
    with CaptureQueriesContext(connection) as large:
        client.get("/")
    assert len(large) == len(small)


@pytest.mark.parametrize("path", ["/events/?kind=%00", "/events/calendar.ics?audience=%00"])
def test_a_nul_character_in_an_address_is_a_plain_400(client, index, path):
    response = client.get(path)
    assert response.status_code == 400
    event, _ = _busy_event(2)
    assert client.get(f"{event.url}?page=%00").status_code == 400


def test_whats_on_seen_before_shows_places_venue_and_cancellation_changes_at_once(client, index):
    event = EventPageFactory(title="Roadshow")
    venue = VenueFactory(name="Old Hall")
    first = session_at(5, event=event, venue=venue, capacity=30)
    second = session_at(6, event=event, venue=venue, capacity=30)
    html = client.get("/events/").content.decode()
    assert html.count("30 places left") == 2

    take_places(first, 29)
    venue.name = "New Hall"
    venue.save()
    html = client.get("/events/").content.decode()
    assert "1 place left" in html and html.count("30 places left") == 1
    assert "New Hall" in html and "Old Hall" not in html

    take_places(first, 30)
    services.cancel_session(second)
    html = client.get("/events/").content.decode()
    assert "Full — join the waiting list" in html
    assert f"/events/sessions/{second.pk}.ics" not in html


def test_event_page_seen_before_shows_the_booking_window_closing(client, index):
    event = EventPageFactory(title="Roadshow", booking_mode=BookingMode.INDIVIDUAL)
    session = session_at(5, event=event)
    book = reverse("campaigns:book_session", args=[session.pk])
    assert book in client.get(event.url).content.decode()

    type(session).objects.filter(pk=session.pk).update(booking_closes_at=timezone.now())
    html = client.get(event.url).content.decode()
    assert book not in html
    assert f"/events/sessions/{session.pk}.ics" in html


def test_filter_links_count_sessions_of_the_other_chosen_filter(client, index):
    parents = EventPageFactory(kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS)
    roadshow = EventPageFactory(kind=EventKind.PUPIL_ROADSHOW, audience=Audience.AGES_8_10)
    training = EventPageFactory(kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS)
    for days, event in [(3, parents), (4, parents), (5, roadshow), (6, training)]:
        session_at(days, event=event)

    html = client.get(f"/events/?kind={EventKind.PARENT_SESSION}").content.decode()
    assert "Parents and carers (2)" in html  # audiences counted within the chosen type
    assert "Professionals" not in html.split("Type of session", 1)[0].split("Who is it for?", 1)[1]
    assert "Pupil roadshow (1)" in html and "Parent and carer session (2)" in html  # every type

    html = client.get(f"/events/?audience={Audience.PROFESSIONALS}").content.decode()
    assert "Professional training (1)" in html and "Pupil roadshow" not in html.split("Type of session", 1)[1]
