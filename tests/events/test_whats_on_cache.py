"""What's on and the home page from the cache: exact for every visitor, however often they are seen.

Anonymous visitors are answered from the cache while every value the page shows is the same; the key
holds those values (places taken, times, venues, booking windows as seen now), so any change shows at
once without anything being removed from the cache.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import BookingMode, EventKind, Session
from resources.taxonomy import Audience
from tests.factories import CampaignFactory, EventPageFactory, SessionFactory, VenueFactory, event_index

from .helpers import take_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return event_index()


def session_in(hours, **kwargs):
    starts_at = timezone.now() + datetime.timedelta(hours=hours)
    return SessionFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2), **kwargs)


def from_cache(client, path):
    """The page, and whether it came from the cache (no template was rendered for it)."""
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), response.context is None


def later(monkeypatch, hours):
    moved = timezone.now() + datetime.timedelta(hours=hours)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_a_repeat_visit_is_answered_from_the_cache_and_a_booking_shows_at_once(client, index):
    session = session_in(48, event=EventPageFactory(title="Roadshow"), capacity=30)
    html, cached = from_cache(client, "/events/")
    assert "30 places left" in html and not cached
    assert from_cache(client, "/events/") == (html, True)

    take_places(session, 29)
    html, cached = from_cache(client, "/events/")
    assert "1 place left" in html and "30 places left" not in html and not cached
    assert from_cache(client, "/events/") == (html, True)

    take_places(session, 30)
    html, _cached = from_cache(client, "/events/")
    assert "Full — join the waiting list" in html

    take_places(session, 2)  # a cancellation frees places
    assert "28 places left" in from_cache(client, "/events/")[0]


def test_a_changed_venue_or_a_cancelled_session_shows_at_once_from_the_cache(client, index):
    event = EventPageFactory(title="Roadshow")
    venue = VenueFactory(name="Old Hall")
    first, second = session_in(48, event=event, venue=venue), session_in(72, event=event, venue=venue)
    from_cache(client, "/events/")
    venue.name = "New Hall"
    venue.save()
    html, cached = from_cache(client, "/events/")
    assert "New Hall" in html and "Old Hall" not in html and not cached
    services.cancel_session(second)
    html, _cached = from_cache(client, "/events/")
    assert f"/events/sessions/{second.pk}.ics" not in html
    assert f"/events/sessions/{first.pk}.ics" in html


def test_a_session_that_has_started_drops_out(client, index, monkeypatch):
    event = EventPageFactory(title="Roadshow")
    soon, later_on = session_in(1, event=event), session_in(30, event=event)
    html, _cached = from_cache(client, "/events/")
    assert f"/events/sessions/{soon.pk}.ics" in html
    assert from_cache(client, "/events/")[1]

    later(monkeypatch, 2)
    html, _cached = from_cache(client, "/events/")
    assert f"/events/sessions/{soon.pk}.ics" not in html
    assert f"/events/sessions/{later_on.pk}.ics" in html


def test_the_book_link_appears_when_booking_opens_and_goes_when_it_closes(client, index, monkeypatch):
    event = EventPageFactory(title="Parents evening", booking_mode=BookingMode.INDIVIDUAL)
    session = session_in(48, event=event)
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        booking_opens_at=now + datetime.timedelta(hours=1),
        booking_closes_at=now + datetime.timedelta(hours=3),
    )
    book = reverse("campaigns:book_session", args=[session.pk])
    assert book not in from_cache(client, "/events/")[0]
    assert from_cache(client, "/events/")[1]

    later(monkeypatch, 2)
    assert book in from_cache(client, "/events/")[0]

    later(monkeypatch, 4)
    html, _cached = from_cache(client, "/events/")
    assert book not in html and f"/events/sessions/{session.pk}.ics" in html


def test_a_campaign_opening_its_booking_shows_the_book_link_at_once(client, index):
    campaign = CampaignFactory(open_booking=False)
    session = session_in(48, event=EventPageFactory(title="Roadshow"))
    campaign.events.add(session.event)
    book = reverse("campaigns:book_session", args=[session.pk])
    html, _cached = from_cache(client, "/events/")
    assert "By invitation" in html and book not in html
    assert from_cache(client, "/events/")[1]

    campaign.open_booking = True
    campaign.save()
    html, cached = from_cache(client, "/events/")
    assert book in html and "By invitation" not in html and not cached


def test_a_published_edit_shows_at_once(client, index):
    event = EventPageFactory(title="Roadshow")
    session_in(48, event=event)
    from_cache(client, "/events/")
    assert from_cache(client, "/events/")[1]
    event.title = "Walk Online roadshow"
    event.save_revision().publish()
    html, cached = from_cache(client, "/events/")
    assert "Walk Online roadshow" in html and not cached


def test_each_filter_and_language_has_its_own_page(client, index):
    session_in(48, event=EventPageFactory(title="Parents evening", audience=Audience.PARENTS_CARERS))
    session_in(
        50,
        event=EventPageFactory(title="Roadshow", audience=Audience.AGES_8_10, kind=EventKind.PUPIL_ROADSHOW),
    )
    everything = from_cache(client, "/events/")[0]
    parents = from_cache(client, "/events/?audience=parents-carers")[0]
    polish = from_cache(client, "/pl/events/")[0]
    assert "Roadshow" in everything and "Parents evening" in everything
    assert "Parents evening" in parents and ">Roadshow<" not in parents
    assert "Martwisz się o dziecko?" in polish and "Worried about a child?" not in polish
    for path, html in [("/events/", everything), ("/events/?audience=parents-carers", parents)]:
        assert from_cache(client, path) == (html, True), path
    assert from_cache(client, "/pl/events/") == (polish, True)


def test_signed_in_editors_get_a_fresh_page_and_it_is_never_shown_to_visitors(index, admin_user):
    session_in(48, event=EventPageFactory(title="Roadshow"))
    visitor, editor = Client(), Client()
    editor.force_login(admin_user)
    for _ in range(2):
        html, cached = from_cache(editor, "/events/")
        assert "wagtail-userbar" in html and not cached
    html, _cached = from_cache(visitor, "/events/")
    assert "wagtail-userbar" not in html
    assert "wagtail-userbar" not in from_cache(visitor, "/events/")[0]


def test_a_visitor_with_a_session_cookie_is_not_answered_from_the_cache(client, index):
    session_in(48, event=EventPageFactory(title="Roadshow"))
    from_cache(Client(), "/events/")
    client.cookies["sessionid"] = "not-a-real-session"
    assert not from_cache(client, "/events/")[1]


def test_the_page_from_the_cache_sets_no_cookie(client, index):
    session_in(48, event=EventPageFactory(title="Roadshow"))
    client.get("/events/")
    response = client.get("/events/")
    assert response.context is None and not response.cookies
    assert "Cookie" in response["Vary"]


def test_home_page_coming_up_is_cached_and_shows_a_full_session_at_once(client, index):
    session = session_in(48, event=EventPageFactory(title="Walk Online roadshow"), capacity=10)
    html, cached = from_cache(client, "/")
    assert "Walk Online roadshow" in html and "full — join the waiting list" not in html and not cached
    assert from_cache(client, "/") == (html, True)

    take_places(session, 10)
    html, cached = from_cache(client, "/")
    assert "full — join the waiting list" in html and not cached
    assert from_cache(client, "/") == (html, True)


def test_home_page_drops_a_session_that_has_started(client, index, monkeypatch):
    session_in(1, event=EventPageFactory(title="Walk Online roadshow"))
    session_in(30, event=EventPageFactory(title="Parents evening"))
    assert "Walk Online roadshow" in from_cache(client, "/")[0]
    later(monkeypatch, 2)
    html, _cached = from_cache(client, "/")
    assert "Walk Online roadshow" not in html and "Parents evening" in html


def test_places_moved_between_two_sessions_at_once_still_show(client, index):
    """A booking on one session and a cancellation of as many places on another leave the total of
    places taken as it was: the page shows both changes all the same."""
    event = EventPageFactory(title="Roadshow")
    first, second = session_in(48, event=event, capacity=30), session_in(72, event=event, capacity=30)
    take_places(second, 4)
    html, _cached = from_cache(client, "/events/")
    assert html.count("30 places left") == 1 and "26 places left" in html
    take_places(first, 4)
    take_places(second, 0)
    html, cached = from_cache(client, "/events/")
    assert html.count("26 places left") == 1 and "30 places left" in html and not cached


def test_a_new_time_or_capacity_shows_at_once(client, index):
    session = session_in(48, event=EventPageFactory(title="Roadshow"), capacity=30)
    from_cache(client, "/events/")
    services.update_session(session, capacity=40)
    html, cached = from_cache(client, "/events/")
    assert "40 places left" in html and not cached
    moved = session.starts_at + datetime.timedelta(days=1, hours=1)
    services.update_session(
        Session.objects.get(pk=session.pk), starts_at=moved, ends_at=moved + datetime.timedelta(hours=2)
    )
    html, cached = from_cache(client, "/events/")
    assert timezone.localtime(moved).strftime("%-d %B") in html and not cached


def test_a_booking_made_while_the_page_is_built_is_never_hidden_later(client, index, monkeypatch):
    """The page is built after its key was read; a booking in between gives a page that shows it, which
    must not be kept under the key of the state before, or undoing the booking would bring it back."""
    from events import selectors

    session = session_in(48, event=EventPageFactory(title="Roadshow"), capacity=30)
    read_values = selectors._listing_values

    def booking_meanwhile(*args, **kwargs):
        take_places(session, 1)
        return read_values(*args, **kwargs)

    monkeypatch.setattr(selectors, "_listing_values", booking_meanwhile)
    assert "29 places left" in from_cache(client, "/events/")[0]
    monkeypatch.setattr(selectors, "_listing_values", read_values)
    take_places(session, 0)  # the booking is cancelled: the state is as the first key said
    html, _cached = from_cache(client, "/events/")
    assert "30 places left" in html and "29 places left" not in html
