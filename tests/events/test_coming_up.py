"""The home page's "Coming up": the next public sessions, found in the order of their start times.

It reads sessions a batch at a time and keeps those of listed events, so these tests cover what that could
get wrong: many earlier sessions of events nobody may see, a tie in start times across a batch's edge, and
the number of queries as the programme grows. They also run on PostgreSQL (`both_databases`), where the raw SQL
and its datetime parameters differ from SQLite.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import selectors
from events.models import SessionStatus
from tests.factories import EventPageFactory, SessionFactory, VenueFactory, event_index

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def index():
    return event_index()


def sessions_of(event, starts, venue):
    for starts_at in starts:
        SessionFactory(
            event=event, venue=venue, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
        )


def unpublished(title):
    event = EventPageFactory(title=title)
    event.unpublish()
    return event


def titles(now=None):
    return [item.event.title for item in selectors.coming_up(3, now=now)]


def test_many_earlier_sessions_of_an_unpublished_event_do_not_hide_the_public_ones(index):
    now, venue = timezone.now(), VenueFactory()
    draft = unpublished("Draft training")
    hours = [now + datetime.timedelta(hours=1, minutes=minute) for minute in range(150)]
    sessions_of(draft, hours, venue)  # more than every batch holds, all before the public sessions
    public = EventPageFactory(title="Parents evening")
    sessions_of(public, [now + datetime.timedelta(days=3, hours=h) for h in range(4)], venue)
    assert titles() == ["Parents evening"] * 3


def test_sessions_starting_at_the_same_moment_across_a_batch_edge_are_each_shown_once(index, monkeypatch):
    monkeypatch.setattr(selectors, "COMING_UP_BATCH", 2)
    now, venue = timezone.now(), VenueFactory()
    same = now + datetime.timedelta(days=1)
    hidden = unpublished("Draft")
    sessions_of(hidden, [same, same], venue)
    shown = EventPageFactory(title="Roadshow")
    sessions_of(shown, [same, same, same + datetime.timedelta(hours=1)], venue)
    found = selectors._next_sessions_of(selectors.listed_events(), 3, now)
    assert [starts for _event, starts, *_rest in found] == [same, same, same + datetime.timedelta(hours=1)]


def test_cancelled_and_started_sessions_are_left_out(index):
    now, venue = timezone.now(), VenueFactory()
    event = EventPageFactory(title="Roadshow")
    sessions_of(event, [now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=5)], venue)
    cancelled = EventPageFactory(title="Cancelled talk")
    SessionFactory(
        event=cancelled,
        venue=venue,
        status=SessionStatus.CANCELLED,
        starts_at=now + datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(hours=3),
    )
    assert titles(now) == ["Roadshow"]


def test_coming_up_takes_one_query_however_large_the_programme(index):
    now, venue = timezone.now(), VenueFactory()

    def queries():
        selectors.listed_events()  # kept in the cache: not what this counts
        with CaptureQueriesContext(connection) as captured:
            assert len(selectors.coming_up(3, now=now)) == 3
        return len(captured)

    for number in range(3):
        sessions_of(EventPageFactory(), [now + datetime.timedelta(days=number + 1)], venue)
    small = queries()
    for _number in range(40):
        sessions_of(EventPageFactory(), [now + datetime.timedelta(days=1, hours=h) for h in range(5)], venue)
    assert queries() == small == 1
