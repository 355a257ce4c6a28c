"""The public site in every language: chosen by the address's prefix alone, English addresses unchanged,
right-to-left pages marked so, a switcher and hreflang alternates that keep the visitor's page, and the
help banner's numbers and the quick exit the same in every language."""

import re

import pytest
from django.conf import settings
from django.test import Client

from cms.models import HomePage, StandardPage
from tests.factories import EventPageFactory, SessionFactory
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PREFIX = {code: "" if code == settings.LANGUAGE_CODE else f"/{code}" for code in LANGUAGES}
RIGHT_TO_LEFT = {"ar", "ur"}
HTML_LANG = {"en-gb": "en-GB", "pl": "pl", "ro": "ro", "ur": "ur", "ar": "ar"}
# One translated word of the shell per language: the help banner's question.
WORRIED = {
    "en-gb": "Worried about a child?",
    "pl": "Martwisz się o dziecko?",
    "ro": "Vă îngrijorează un copil?",
    "ur": "کسی بچے کے بارے میں فکرمند ہیں؟",
    "ar": "هل أنت قلق على طفل؟",
}
LEAVE = {
    "en-gb": "Leave this site quickly",
    "pl": "Szybko opuść tę stronę",
    "ro": "Părăsiți rapid acest site",
    "ur": "یہ سائٹ فوراً چھوڑیں",
    "ar": "غادر هذا الموقع بسرعة",
}
# English shell strings that must not be left on a page in another language.
ENGLISH_SHELL = [
    "Worried about a child?",
    "Leave this site quickly",
    "Skip to main content",
    "Privacy: what we store",
    "Check a training certificate",
    'resources/">Materials</a>',
    "In danger now:",
    "NSPCC Helpline:",
]


@pytest.fixture
def paths():
    home = HomePage.objects.get()
    home.add_child(instance=StandardPage(title="About us", slug="about-us", intro="Who we are."))
    resource = make_resource("Friends online", audiences=["8-10"])
    session = SessionFactory(event=EventPageFactory(title="Parents' evening"))
    return {
        "home": "/",
        "standard": "/about-us/",
        "library": "/resources/",
        "filtered library": "/resources/?age=8-10",
        "resource": resource.url,
        "whats on": session.event.get_parent().url,
        "event": session.event.url,
        "search": "/search/?query=friends",
        "booking": f"/sessions/{session.pk}/book/",
        "not found": "/no-such-page/",
    }


def page(client, path):
    response = client.get(path)
    return response, response.content.decode()


PAGE_KINDS = [
    "home",
    "standard",
    "library",
    "resource",
    "whats on",
    "event",
    "search",
    "booking",
    "not found",
]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_in_every_language(client, paths, language):
    for kind in PAGE_KINDS:
        response, html = page(client, PREFIX[language] + paths[kind])
        assert response.status_code == (404 if kind == "not found" else 200), (language, kind)
        direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
        assert f'<html lang="{HTML_LANG[language]}" dir="{direction}">' in html, (language, kind)
        assert response["Content-Language"] == language
        assert WORRIED[language] in html and LEAVE[language] in html, (language, kind)
        if language != settings.LANGUAGE_CODE:
            left = [text for text in ENGLISH_SHELL if text in html]
            assert not left, f"untranslated on {kind} in {language}: {left}"
        assert not response.cookies, "public pages set no cookie in any language"


@pytest.mark.parametrize("language", LANGUAGES)
def test_help_numbers_are_exact_and_the_quick_exit_the_same_in_every_language(client, language):
    response, html = page(client, PREFIX[language] + "/")
    for number, tel in [
        ("999", "tel:999"),
        ("0808 800 5000", "tel:08088005000"),
        ("0800 1111", "tel:08001111"),
        ("101", "tel:101"),
    ]:
        assert f'<a href="{tel}" dir="ltr">{number}</a>' in html, (language, number)
    assert "ceop.police.uk" in html and "CEOP Safety Centre" in html
    exit_link = re.search(
        r'<a class="quick-exit__button" id="quick-exit" href="([^"]+)" data-quick-exit', html
    )
    assert exit_link and exit_link.group(1) == "https://www.bbc.co.uk/weather"
    assert '<script src="/static/js/quick-exit.js" defer></script>' in html


def test_the_switcher_and_hreflang_keep_the_visitor_on_the_same_page(client, paths):
    path = paths["filtered library"]
    _response, html = page(client, "/pl" + path)
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    for language in LANGUAGES:
        assert f'href="{PREFIX[language]}/resources/?age=8-10"' in switcher, language
        assert (
            f'hreflang="{HTML_LANG[language]}" href="http://testserver{PREFIX[language]}/resources/?age=8-10"'
            in html
        )
    assert 'aria-current="true">Polski<' in switcher
    assert 'hreflang="x-default" href="http://testserver/resources/?age=8-10"' in html
    assert 'lang="ar" hreflang="ar" dir="rtl"' in switcher


def test_times_keep_their_order_on_right_to_left_booking_pages(client, paths):
    _response, html = page(client, "/ar" + paths["booking"])
    assert re.search(r'<bdi dir="ltr">\d\d:\d\d–\d\d:\d\d</bdi>', html)


def test_links_of_the_shell_stay_in_the_visitors_language(client, paths):
    _response, html = page(client, "/ro" + paths["resource"])
    assert 'href="/ro/resources/"' in html and 'href="/ro/events/"' in html
    assert 'action="/ro/search/"' in html and 'class="site-name" href="/ro/"' in html


def test_english_addresses_are_unchanged_and_have_no_prefix(client, paths):
    for kind in ("home", "library", "resource", "event", "search"):
        response, html = page(client, paths[kind])
        assert response.status_code == 200 and '<html lang="en-GB" dir="ltr">' in html, kind
        assert "Accept-Language" not in response.get("Vary", "")
    assert client.get("/en-gb/resources/").status_code == 404


def test_the_language_comes_from_the_address_not_the_browser_or_a_cookie(paths):
    client = Client(HTTP_ACCEPT_LANGUAGE="pl")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    _response, html = page(client, "/resources/")
    assert '<html lang="en-GB" dir="ltr">' in html and WORRIED["en-gb"] in html


def test_machine_and_staff_addresses_have_no_language_prefix(client, admin_client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/pl/healthz").status_code in (301, 404)
    assert client.get("/events/calendar.ics").status_code == 200
    assert client.get("/pl/events/calendar.ics").status_code == 404
    assert client.get("/pl/api/v1/campaigns/").status_code == 404
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/pl/admin/").status_code == 404
