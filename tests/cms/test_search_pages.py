"""Search results come in pages of ten with the right total and page links, counted once rather than on
every visit, and a publish changes the total at once."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.resources.helpers import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

_visits = itertools.count()


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    cache.clear()


def search(client, page=None):
    """Search for "helpline", never from the whole-page cache (a new address every time)."""
    url = f"/search/?query=helpline&visit={next(_visits)}" + (f"&page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r"<li><h3><a href=\"[^\"]*\">([^<]+)</a>", html)


def helpline_resources(count):
    return [make_resource(f"Helpline guide {number}", audiences=["11-13"]) for number in range(count)]


def test_the_total_and_the_pages_are_right(client):
    helpline_resources(23)
    first = search(client)
    assert "23 results for “helpline”" in first and "Page 1 of 3" in first
    assert len(titles(first)) == 10
    last = search(client, page=3)
    assert "23 results for “helpline”" in last and "Page 3 of 3" in last
    assert len(titles(last)) == 3
    assert 'rel="prev"' in last and 'rel="next"' not in last
    seen = titles(first) + titles(search(client, page=2)) + titles(last)
    assert sorted(seen) == sorted(f"Helpline guide {number}" for number in range(23))
    beyond = search(client, page=9)
    assert "Page 3 of 3" in beyond and len(titles(beyond)) == 3, "past the end: the last page"
    assert "Page 1 of 3" in search(client, page="x")


def test_exactly_one_page_and_nothing_found(client):
    helpline_resources(10)
    html = search(client)
    assert "10 results for “helpline”" in html and len(titles(html)) == 10
    assert "Page 1 of" not in html
    empty = client.get("/search/?query=nothingmatchesthis").content.decode()
    assert "0 results for" in empty and "Nothing matched." in empty


def test_a_part_filled_page_runs_the_search_once(client):
    helpline_resources(4)
    with CaptureQueriesContext(connection) as captured:
        html = search(client)
    assert "4 results for “helpline”" in html
    assert not any("COUNT(" in query["sql"].upper() for query in captured)


def test_the_total_is_counted_once_and_changes_with_a_publish(client):
    helpline_resources(12)
    assert "12 results for “helpline”" in search(client)
    with CaptureQueriesContext(connection) as captured:
        assert "12 results for “helpline”" in search(client)
    assert not any("COUNT(" in query["sql"].upper() for query in captured), "counted once"
    make_resource("Helpline posters", audiences=["11-13"], live=False).save_revision().publish()
    html = search(client)
    assert "13 results for “helpline”" in html, re.findall(r"\d+ results? for", html)
    page = make_resource("Helpline leaflets", audiences=["11-13"], live=False)
    page.save_revision().publish()
    page.refresh_from_db()
    page.unpublish()
    html = search(client)
    assert "13 results for “helpline”" in html, re.findall(r"\d+ results? for", html)
