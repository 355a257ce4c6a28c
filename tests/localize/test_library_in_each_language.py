"""The library, search and page addresses per language: a Polish visitor finds the Polish pages, and a page
not yet translated is offered in English with a note, never hidden."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Locale

from cms.locales import ensure_locales
from tests.localize.helpers import fill_strings, publish_by_code, start_translation, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db

POLISH = {
    "Staying safe in online games": "Bezpieczeństwo w grach online",
    "How to talk with your child about the games they play.": "Jak rozmawiać z dzieckiem o grach, w które gra.",
}


@pytest.fixture
def polish_library():
    return translated_tree("pl")


@pytest.fixture
def games_in_polish(polish_library):
    english = make_resource(
        "Staying safe in online games",
        slug="online-games",
        audiences=("parents-carers",),
        summary="How to talk with your child about the games they play.",
    )
    english.save_revision().publish()
    translation = start_translation(english, "pl")
    fill_strings(translation, POLISH)
    publish_by_code(translation)
    return english


@pytest.fixture
def untranslated(polish_library):
    page = make_resource("Sharing photos", slug="sharing-photos", audiences=("parents-carers",))
    page.save_revision().publish()
    return page


def test_a_locale_exists_for_every_configured_language():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"en-gb", "pl", "ro", "ur", "ar"} <= codes


def test_a_language_added_to_the_setting_gets_its_locale_after_migrate():
    languages = [("en-gb", "English"), ("pl", "Polish"), ("cy", "Welsh")]
    with override_settings(WAGTAIL_CONTENT_LANGUAGES=languages, LANGUAGES=languages):
        ensure_locales()
        assert Locale.objects.filter(language_code="cy").exists()
        ensure_locales()  # again: nothing doubled
        assert Locale.objects.filter(language_code="cy").count() == 1
    call_command("migrate", verbosity=0)  # the post_migrate hook keeps every configured one
    assert Locale.objects.filter(language_code="pl").count() == 1


def test_the_polish_library_lists_polish_pages_and_offers_the_rest_in_english(
    client, games_in_polish, untranslated
):
    html = client.get("/pl/resources/").content.decode()
    assert "Bezpieczeństwo w grach online" in html
    assert "Staying safe in online games" not in html, "the English of a translated page is not listed twice"
    assert "Sharing photos" in html
    assert "Jeszcze niedostępne w Twoim języku: po angielsku" in html
    assert 'href="/pl/resources/sharing-photos/"' in html

    english_html = client.get("/resources/").content.decode()
    assert "Staying safe in online games" in english_html
    assert "Bezpieczeństwo" not in english_html
    assert "Not yet available" not in english_html


def test_the_polish_library_filters_work_in_polish(client, games_in_polish, untranslated):
    html = client.get("/pl/resources/?audience=parents-carers").content.decode()
    assert "Bezpieczeństwo w grach online" in html and "Sharing photos" in html
    html = client.get("/pl/resources/?age=8-10").content.decode()
    assert "Bezpieczeństwo" not in html


def test_a_polish_address_serves_the_polish_page(client, games_in_polish):
    response = client.get("/pl/resources/online-games/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bezpieczeństwo w grach online" in html
    assert "not yet available" not in html


def test_a_pages_audience_and_topic_links_stay_in_the_visitors_language(
    client, games_in_polish, untranslated
):
    for path in ("/pl/resources/online-games/", "/pl/resources/sharing-photos/"):
        html = client.get(path).content.decode()
        assert 'href="/pl/resources/?audience=parents-carers"' in html, path
        assert 'href="/resources/?' not in html, path
    english = client.get("/resources/online-games/").content.decode()
    assert 'href="/resources/?audience=parents-carers"' in english


def test_an_untranslated_page_is_served_in_english_with_a_note(client, untranslated):
    response = client.get("/pl/resources/sharing-photos/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sharing photos" in html
    assert "Ta strona nie jest jeszcze dostępna w Twoim języku. Oto wersja angielska." in html
    assert client.get("/pl/resources/no-such-page/").status_code == 404
    assert "not yet available" not in client.get("/resources/sharing-photos/").content.decode()


def test_searching_in_polish_finds_the_polish_pages(client, games_in_polish, untranslated):
    html = client.get("/pl/search/?query=grach").content.decode()
    assert "Bezpieczeństwo w grach online" in html
    html = client.get("/pl/search/?query=photos").content.decode()
    assert "Sharing photos" in html, "an untranslated page is found in English"
    assert "Jeszcze niedostępne w Twoim języku: po angielsku" in html
    # English search finds the English pages only.
    assert "Bezpieczeństwo" not in client.get("/search/?query=grach").content.decode()
    assert "Staying safe in online games" in client.get("/search/?query=games").content.decode()


def test_the_page_cache_keeps_each_language_apart(client, games_in_polish, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    cache.clear()
    english = client.get("/resources/").content.decode()
    polish = client.get("/pl/resources/").content.decode()
    assert "Bezpieczeństwo" in polish and "Bezpieczeństwo" not in english
    # Served again from the cache, each in its own language.
    assert client.get("/pl/resources/").content.decode() == polish
    assert client.get("/resources/").content.decode() == english
    keys = [key for key in cache._cache if "public-pages:" in str(key)] if hasattr(cache, "_cache") else []
    assert not keys or any(":pl:" in str(key) for key in keys)


def test_pages_not_yet_in_a_language_are_served_in_english_at_its_address(client, polish_library):
    from tests.factories import event_index

    index = event_index()
    index.save_revision().publish()
    response = client.get("/pl/events/")
    assert response.status_code == 200, "What's on before it is translated: in English, not a 404"
    assert client.get("/pl/no-such-page/").status_code == 404
