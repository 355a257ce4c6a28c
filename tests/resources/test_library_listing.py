"""The /resources/ library: exact audience filters, combinations, pagination, only public live material."""

import re

import pytest

from resources.taxonomy import AdultAudience, AgeBand
from tests.resources.helpers import library, make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

ALL_AUDIENCES = AgeBand.values + AdultAudience.values


def titles(response):
    return re.findall(r'class="resource-card__title"><a href="[^"]*">([^<]+)</a>', response.content.decode())


@pytest.fixture
def one_resource_per_audience():
    return {slug: make_resource(f"For {slug}", audiences=[slug]) for slug in ALL_AUDIENCES}


def test_library_lives_at_resources_under_the_home_page(client):
    assert library().url_path == "/home/resources/"
    assert client.get("/resources/").status_code == 200


@pytest.mark.parametrize("band", AgeBand.values)
def test_age_filter_shows_exactly_that_band(client, one_resource_per_audience, band):
    response = client.get(f"/resources/?age={band}")
    assert titles(response) == [f"For {band}"]


@pytest.mark.parametrize("audience", AdultAudience.values)
def test_audience_filter_shows_exactly_that_audience(client, one_resource_per_audience, audience):
    response = client.get(f"/resources/?audience={audience}")
    assert titles(response) == [f"For {audience}"]


def test_a_14_to_18_resource_never_appears_under_8_to_10(client):
    make_resource("Consent for older teens", audiences=["14-18"])
    make_resource("Friends online", audiences=["8-10", "parents-carers"])
    assert titles(client.get("/resources/?age=8-10")) == ["Friends online"]


def test_filters_combine_band_audience_and_topic(client):
    make_resource(
        "Parents of 8-10s on gaming", audiences=["8-10", "parents-carers"], topics=["gaming-and-chat"]
    )
    make_resource("Parents of 8-10s on grooming", audiences=["8-10", "parents-carers"], topics=["grooming"])
    make_resource("Pupils on gaming", audiences=["8-10"], topics=["gaming-and-chat"])
    make_resource(
        "Parents of teens on gaming", audiences=["14-18", "parents-carers"], topics=["gaming-and-chat"]
    )

    response = client.get("/resources/?age=8-10&audience=parents-carers&topic=gaming-and-chat")
    assert titles(response) == ["Parents of 8-10s on gaming"]
    assert sorted(titles(client.get("/resources/?topic=gaming-and-chat"))) == [
        "Parents of 8-10s on gaming",
        "Parents of teens on gaming",
        "Pupils on gaming",
    ]


def test_filter_links_are_plain_links_that_keep_the_other_filters(client):
    response = client.get("/resources/?age=8-10&topic=grooming")
    html = response.content.decode()
    assert 'href="?age=11-13&amp;topic=grooming"' in html
    assert 'href="?age=8-10&amp;topic=grooming&amp;audience=parents-carers"' in html
    assert "<script>" not in html


def test_drafts_and_restricted_material_are_not_listed(client):
    make_resource("Published", audiences=["8-10"])
    make_resource("Draft", audiences=["8-10"], live=False)
    make_resource("Professionals only", audiences=["8-10"], restricted=True)
    assert titles(client.get("/resources/?age=8-10")) == ["Published"]


def test_unknown_filter_values_are_explained_not_an_error(client):
    make_resource("Anything", audiences=["8-10"])
    response = client.get("/resources/?age=99&audience=<script>&topic=nothing-like-this")
    assert response.status_code == 200
    html = response.content.decode()
    assert "We do not have an age group with that name" in html
    assert "We do not have a topic with that name" in html
    assert "<script>&" not in html


def test_listing_is_paginated(client):
    for number in range(15):
        make_resource(f"Item {number:02d}", audiences=["11-13"])
    first = client.get("/resources/?age=11-13")
    second = client.get("/resources/?age=11-13&page=2")
    assert len(titles(first)) == 12
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?age=11-13&amp;page=2"' in first.content.decode()
    assert client.get("/resources/?page=banana").status_code == 200


def test_an_age_band_with_an_adult_audience_that_finds_nothing_explains_and_links_each_alone(client):
    make_resource("Pupils on gaming", audiences=["8-10"])
    make_resource("Parents on gaming", audiences=["parents-carers"])

    response = client.get("/resources/?age=8-10&audience=parents-carers")
    assert response.status_code == 200
    assert titles(response) == []
    html = response.content.decode()
    assert "Children aged 8–10 (Key Stage 2) have material written for them" in html
    assert "material for parents and carers is listed separately" in html
    assert 'href="?age=8-10">Material for children aged 8–10 (Key Stage 2)</a>' in html
    assert 'href="?audience=parents-carers">Material for parents and carers</a>' in html
    assert titles(client.get("/resources/?age=8-10")) == ["Pupils on gaming"]
    assert titles(client.get("/resources/?audience=parents-carers")) == ["Parents on gaming"]


def test_an_age_band_with_an_adult_audience_that_finds_material_lists_it_without_the_note(client):
    make_resource("Parents of 8-10s", audiences=["8-10", "parents-carers"])
    response = client.get("/resources/?age=8-10&audience=parents-carers")
    assert titles(response) == ["Parents of 8-10s"]
    assert "listed separately" not in response.content.decode()
