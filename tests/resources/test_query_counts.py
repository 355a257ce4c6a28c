"""Listing, filtering, search and the home page run the same number of queries at 30 and at 200 resources."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.resources.helpers import make_image, make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

AUDIENCES = [["8-10"], ["8-10", "parents-carers"], ["14-18"], ["professionals"], ["4-7", "faith-community"]]
TOPICS = [["grooming"], ["online-safety", "gaming-and-chat"], []]
URLS = [
    "/resources/",
    "/resources/?age=8-10",
    "/resources/?age=8-10&audience=parents-carers&topic=grooming",
    "/resources/?topic=online-safety&page=2",
    "/search/?query=resource",
    "/search/?query=resource&age=8-10",
    "/",
]


def add_resources(count, images, start):
    for number in range(start, start + count):
        make_resource(
            f"Resource {number}",
            audiences=AUDIENCES[number % len(AUDIENCES)],
            topics=TOPICS[number % len(TOPICS)],
            image=images[number % len(images)],
        )


def queries_for(client, url):
    client.get(url)  # warm up: renditions are created once, on first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_public_listing_queries_do_not_grow_with_the_library(client, settings):
    # Counted as rendered afresh (a signed-in editor, or a cache miss), not served from the page cache.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    images = [make_image(f"Picture {n}") for n in range(6)]
    # Enough that every page of search results is full: a part-filled one needs no count, one query fewer.
    add_resources(30, images, start=0)
    small = {url: queries_for(client, url) for url in URLS}
    add_resources(170, images, start=30)
    large = {url: queries_for(client, url) for url in URLS}
    assert large == small
    assert max(small.values()) <= 20, small
