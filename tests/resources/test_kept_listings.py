"""The library's listing and the search's results are rendered once per public content version and kept
(resources/listing.py, cms.views._search): every other view of the same filters, words and page, an
editor's or one with extra parameters in its address, is built around the kept HTML without reading the
library again, and still shows a change the moment it is published."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.resources.helpers import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def page_reads(client, url):
    """(the page's HTML, the tables its queries read from)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    tables = set(re.findall(r'FROM "(\w+)"', " ".join(query["sql"] for query in captured)))
    return response.content.decode(), tables


@pytest.fixture
def editor(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("/resources/?age=8-10", "/resources/?age=8-10&from=newsletter"),
        ("/resources/?age=8-10&page=1", "/resources/?page=x&age=8-10"),
        ("/search/?query=helpline&age=8-10", "/search/?age=8-10&query=helpline&ref=poster"),
    ],
)
def test_the_same_listing_at_another_address_reads_no_library_rows(client, first, again):
    make_resource("Helpline cards", audiences=["8-10"])
    shown, tables = page_reads(client, first)
    assert "Helpline cards" in shown and "resources_resourcepage" in tables
    shown, tables = page_reads(client, again)
    assert "Helpline cards" in shown
    assert "resources_resourcepage" not in tables and "wagtailcore_page" not in tables, tables


def test_an_editor_is_shown_the_kept_listing_in_their_own_page_and_a_new_resource_at_once(client, editor):
    make_resource("Helpline cards", audiences=["8-10"])
    client.get("/resources/")  # kept by an anonymous visit
    shown, tables = page_reads(editor, "/resources/")
    assert "Helpline cards" in shown and "wagtail-userbar" in shown  # the editor's own page around it
    assert "resources_resourcepage" not in tables

    make_resource("Online gaming chat guide", audiences=["8-10"])
    for visitor in (editor, client):
        assert "Online gaming chat guide" in visitor.get("/resources/").content.decode()
        assert "Online gaming chat guide" in visitor.get("/search/?query=gaming").content.decode()


def test_an_unpublished_resource_leaves_every_kept_listing_at_once(client, editor):
    page = make_resource("Helpline cards", audiences=["8-10"])
    for visitor in (client, editor):
        assert "Helpline cards" in visitor.get("/resources/?age=8-10").content.decode()
    page.unpublish()
    for visitor in (client, editor):
        assert "Helpline cards" not in visitor.get("/resources/?age=8-10&x=1").content.decode()
        assert "Helpline cards" not in visitor.get("/search/?query=helpline").content.decode()


def pagination(html):
    return re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)


def test_page_links_carry_the_filters_and_never_the_rest_of_the_address(client):
    for number in range(14):
        make_resource(f"Guide {number:02d}", audiences=["8-10"])
    first = client.get("/resources/?age=8-10&utm_source=poster").content.decode()
    assert 'href="?age=8-10&amp;page=2"' in pagination(first) and "utm_source" not in pagination(first)
    second = client.get("/resources/?age=8-10&page=2").content.decode()
    assert 'href="?age=8-10&amp;page=1"' in pagination(second) and "Page 2 of 2" in second
    on_first, on_second = (set(re.findall(r"Guide \d\d", html)) for html in (first, second))
    assert len(on_first) == 12 and len(on_second) == 2 and not on_first & on_second  # not page 1 again
    search = pagination(client.get("/search/?query=guide&age=8-10&ref=poster").content.decode())
    assert 'href="?query=guide&amp;age=8-10&amp;page=2"' in search and "ref=poster" not in search


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client):
    for number in range(14):
        make_resource(f"Guide {number:02d}", audiences=["8-10"])
    first = client.get("/resources/").content.decode()
    for asked in ("abc", "0", "-2", "9" * 40):
        response = client.get(f"/resources/?page={asked}")
        assert response.status_code == 200
        shown = response.content.decode()
        assert ("Page 1 of 2" in shown) if asked != "9" * 40 else ("Page 2 of 2" in shown), asked
    assert "Page 1 of 2" in first


def test_each_language_keeps_its_own_listing(client):
    make_resource("Helpline cards", audiences=["8-10"])
    english = client.get("/resources/").content.decode()
    polish = client.get("/pl/resources/?x=1").content.decode()
    assert 'lang="pl"' in polish and "Helpline cards" in polish
    assert "Not yet available in your language" not in english
