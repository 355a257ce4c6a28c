"""The library keeps each card's HTML, so a listing rendered afresh (after a publish, or with other filters)
renders only the cards that changed, and never shows a card from before a change."""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Topic
from tests.localize.helpers import fill_strings, publish_by_code, start_translation, translated_tree
from tests.resources.helpers import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

_visits = itertools.count()


@pytest.fixture(autouse=True)
def caching_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    cache.clear()


def library(client, prefix=""):
    """The library as a visitor sees it, never from the whole-page cache (a new address every time)."""
    response = client.get(f"{prefix}/resources/?visit={next(_visits)}")
    assert response.status_code == 200
    return response.content.decode()


def cards(html):
    return html.split('<ul class="resource-list">', 1)[1].split("</ul>", 1)[0]


def test_a_published_change_shows_in_the_next_listing(client):
    page = make_resource("Helpline cards", audiences=["8-10"], summary="Cards to hand out.")
    page.save_revision().publish()
    other = make_resource("Safe gaming", audiences=["8-10"])
    other.save_revision().publish()
    assert "Cards to hand out." in library(client)

    page.title = "Helpline posters"
    page.summary = "Posters for the classroom."
    page.save_revision().publish()
    html = library(client)
    assert "Helpline posters" in html and "Posters for the classroom." in html
    assert "Helpline cards" not in html and "Cards to hand out." not in html
    assert "Safe gaming" in html
    assert f'href="{page.url}"' in html, "a kept card is HTML, not escaped text"


def test_a_kept_card_does_not_load_its_relations_again(client):
    for number in range(3):
        make_resource(f"Guide {number}", audiences=["8-10"], topics=["grooming"]).save_revision().publish()
    first = library(client)
    with CaptureQueriesContext(connection) as captured:
        again = library(client)
    assert cards(again) == cards(first) and "Guide 2" in cards(first)
    assert not any("resources_resourcepage_topics" in query["sql"] for query in captured)


def test_an_unpublished_resource_leaves_the_listing(client):
    page = make_resource("Helpline cards", audiences=["8-10"])
    page.save_revision().publish()
    assert "Helpline cards" in library(client)
    page.unpublish()
    assert "Helpline cards" not in library(client)


def test_a_renamed_topic_shows_on_every_card(client):
    make_resource("Helpline cards", audiences=["8-10"], topics=["grooming"]).save_revision().publish()
    assert "Grooming</span>" in library(client)
    topic = Topic.objects.get(slug="grooming")
    topic.name = "Grooming and trust"
    topic.save()
    assert "Grooming and trust</span>" in library(client)


def test_the_polish_library_shows_polish_cards_and_english_ones_with_a_note(client):
    translated_tree("pl")
    games = make_resource("Staying safe in online games", slug="online-games", audiences=["parents-carers"])
    games.save_revision().publish()
    photos = make_resource("Sharing photos", slug="sharing-photos", audiences=["parents-carers"])
    photos.save_revision().publish()
    english = library(client)
    assert "Not yet available in your language" not in english

    translation = start_translation(games, "pl")
    fill_strings(translation, {"Staying safe in online games": "Bezpieczeństwo w grach online"})
    publish_by_code(translation)
    polish = library(client, "/pl")
    assert "Bezpieczeństwo w grach online" in polish
    assert ">Staying safe in online games</a>" not in polish
    assert "Sharing photos" in polish
    assert "Jeszcze niedostępne w Twoim języku: po angielsku" in polish
    assert 'href="/pl/resources/sharing-photos/"' in polish
    # The English library keeps its own cards, without the note.
    english = library(client)
    assert "Staying safe in online games" in english and "Sharing photos" in english
    assert "Not yet available in your language" not in english
    assert "Jeszcze" not in english

    # Translated at last: the note goes from the Polish card.
    translation = start_translation(photos, "pl")
    fill_strings(translation, {"Sharing photos": "Udostępnianie zdjęć"})
    publish_by_code(translation)
    polish = library(client, "/pl")
    assert "Udostępnianie zdjęć" in polish
    assert "Jeszcze niedostępne w Twoim języku" not in polish
