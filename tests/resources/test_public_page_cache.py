"""Anonymous visitors share cached library and search pages, which change as soon as the content does;
signed-in editors and visitors with a session always get a freshly rendered page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import Authority
from events.models import Session
from resources.models import Topic
from tests.factories import EventPageFactory, SessionFactory
from tests.resources.helpers import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

PAGES = ["/resources/", "/resources/?age=8-10", "/search/?query=helpline"]


def shows(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    return text in response.content.decode()


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def test_a_repeat_visit_is_served_from_the_cache_without_touching_the_database(client):
    make_resource("Helpline cards", audiences=["8-10"])
    client.get("/")  # the first visit ever creates the site's help-contact settings row, a content change
    for url in PAGES:
        first = client.get(url)
        assert queries_for(client, url) == [], url
        assert client.get(url).content == first.content


def test_pages_that_opt_out_are_rendered_every_time(client):
    page = make_resource("Helpline cards", audiences=["8-10"])
    client.get(page.url)
    assert queries_for(client, page.url) != []

    # The home page's "Coming up" shows whether a session is full: a change no publish announces.
    session = SessionFactory(event=EventPageFactory(), capacity=10)
    assert "full — join the waiting list" not in client.get("/").content.decode()
    Session.objects.filter(pk=session.pk).update(places_taken=10)
    assert "full — join the waiting list" in client.get("/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_newly_published_resource_appears_at_once(client, url):
    make_resource("Helpline cards", audiences=["8-10"])
    assert not shows(client, url, "Helpline posters")
    draft = make_resource("Helpline posters", audiences=["8-10"], live=False)
    draft.save_revision().publish()
    assert shows(client, url, "Helpline posters")


@pytest.mark.parametrize("url", PAGES)
def test_an_unpublished_resource_disappears_at_once(client, url):
    make_resource("Helpline cards", audiences=["8-10"])
    page = make_resource("Helpline posters", audiences=["8-10"])
    assert shows(client, url, "Helpline posters")
    page.unpublish()
    assert not shows(client, url, "Helpline posters")


@pytest.mark.parametrize("url", PAGES)
def test_a_deleted_resource_disappears_at_once(client, url):
    make_resource("Helpline cards", audiences=["8-10"])
    page = make_resource("Helpline posters", audiences=["8-10"])
    assert shows(client, url, "Helpline posters")
    page.delete()
    assert not shows(client, url, "Helpline posters")


@pytest.mark.parametrize("url", PAGES)
def test_changed_help_contacts_show_at_once(client, url):
    make_resource("Helpline cards", audiences=["8-10"])
    assert not shows(client, url, "Northshire County Council")
    council = Authority.objects.create(name="Northshire", code="northshire", front_door_phone="01234 567890")
    assert shows(client, url, "Northshire children's services")
    council.name = "Northshire County Council"
    council.save()
    assert shows(client, url, "Northshire County Council children's services")


def test_a_renamed_topic_shows_at_once_in_the_filter_links(client):
    make_resource("Helpline cards", audiences=["8-10"], topics=["grooming"])
    assert shows(client, "/resources/", "Grooming")
    Topic.objects.filter(slug="grooming").update(name="x")  # a bulk update sends no signal...
    topic = Topic.objects.get(slug="grooming")
    topic.name = "Grooming and manipulation"
    topic.save()  # ...an edit in the admin does
    assert shows(client, "/resources/", "Grooming and manipulation")


def test_signed_in_editors_get_a_fresh_page_with_their_userbar(admin_user):
    make_resource("Helpline cards", audiences=["8-10"])
    client, admin_client = Client(), Client()
    admin_client.force_login(admin_user)
    for url in PAGES:
        anonymous = client.get(url).content.decode()
        assert "wagtail-userbar" not in anonymous
        assert "wagtail-userbar" in admin_client.get(url).content.decode(), url
        assert "wagtail-userbar" not in client.get(url).content.decode()


def built_for_this_request(response):
    """A page from the shared cache is served as stored bytes: no template is rendered for it."""
    return any(template.name == "base.html" for template in response.templates)


def test_a_visitor_with_a_session_is_not_served_or_stored_from_the_shared_cache(client):
    make_resource("Helpline cards", audiences=["8-10"])
    anonymous = Client()
    assert built_for_this_request(anonymous.get("/resources/"))
    assert not built_for_this_request(anonymous.get("/resources/"))  # stored, then served as stored

    client.cookies["sessionid"] = "not-a-real-session"
    assert built_for_this_request(client.get("/resources/"))  # not served the stored page
    assert built_for_this_request(client.get("/resources/?age=8-10"))
    assert built_for_this_request(Client().get("/resources/?age=8-10"))  # nor stored from their visit


def test_restricted_material_is_never_listed_from_the_cache(client):
    make_resource("Helpline cards", audiences=["8-10"])
    assert not shows(client, "/resources/", "Helpline secrets")
    make_resource("Helpline secrets", audiences=["8-10"], restricted=True)
    assert not shows(client, "/resources/", "Helpline secrets")


def test_a_freshly_rendered_listing_reads_the_topics_once_and_shows_a_renamed_topic_at_once(client):
    make_resource("Helpline cards", audiences=["8-10"], topics=["grooming"])
    client.get("/resources/?first")
    sql = queries_for(client, "/resources/?second")  # a new address: rendered afresh
    assert not [query for query in sql if 'FROM "resources_topic" ORDER BY' in query]

    topic = Topic.objects.get(slug="grooming")
    topic.name = "Grooming and manipulation"
    topic.save()
    assert shows(client, "/resources/?third", "Grooming and manipulation")
