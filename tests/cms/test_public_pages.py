"""Every public page type shows the help contacts and the quick exit, sets no cookies and runs no inline script."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import Authority, HomePage, SafeguardingSettings, StandardPage
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    home = HomePage.objects.get()
    home.add_child(instance=StandardPage(title="About us", slug="about-us", intro="Who we are."))
    resource = make_resource("Friends online", audiences=["8-10"])
    return {
        "home": "/",
        "standard": "/about-us/",
        "index": "/resources/",
        "resource": resource.url,
        "search": "/search/?query=friends",
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize("kind", ["home", "standard", "index", "resource", "search", "not found"])
def test_help_banner_and_quick_exit_on_every_public_page(client, public_urls, kind):
    response = client.get(public_urls[kind])
    assert response.status_code == (404 if kind == "not found" else 200)
    html = response.content.decode()
    assert "Worried about a child?" in html
    assert 'href="tel:08088005000"' in html  # NSPCC Helpline
    assert 'href="tel:08001111"' in html  # Childline
    assert 'href="tel:999"' in html and 'href="tel:101"' in html
    assert "ceop.police.uk" in html
    assert "Leave this site quickly" in html and "data-quick-exit" in html
    assert '<script src="/static/js/quick-exit.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline scripts under the CSP"
    assert " style=" not in html, "no inline styles under the CSP"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not response.cookies, f"{kind} page set a cookie"
    assert html.count("<main") == 1 and "<h1" in html


def test_banner_shows_the_local_numbers_editors_set(client):
    Authority.objects.create(
        name="Northshire Council",
        code="northshire",
        front_door_phone="0113 496 0123",
        out_of_hours_phone="0113 496 0456",
    )
    contacts = SafeguardingSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.quick_exit_url = "https://www.example.org/weather"
    contacts.save()
    html = client.get("/").content.decode()
    assert "Northshire Council children's services" in html
    assert 'href="tel:01134960123"' in html and 'href="tel:01134960456"' in html
    assert 'href="https://www.example.org/weather" data-quick-exit' in html


def test_help_contacts_cost_one_query_on_the_first_page_and_none_after(client):
    def settings_queries(path):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        return [q for q in queries.captured_queries if "cms_safeguardingsettings" in q["sql"]]

    assert len(settings_queries("/")) == 1
    assert settings_queries("/about-us/") == []  # a 404 still shows the banner, from the cache


def test_quick_exit_script_replaces_the_page_and_listens_for_escape():
    from pathlib import Path

    script = (Path(__file__).resolve().parents[2] / "static/js/quick-exit.js").read_text()
    assert "location.replace(" in script
    assert '"Escape"' in script


def test_home_page_routes_every_audience_to_its_material(client):
    make_resource("Friends online", audiences=["8-10"])
    html = client.get("/").content.decode()
    for query in (
        "age=4-7",
        "age=8-10",
        "age=11-13",
        "age=14-18",
        "audience=parents-carers",
        "audience=faith-community",
        "audience=professionals",
    ):
        assert f'href="/resources/?{query}"' in html
    assert "1 resource" in html


def test_home_page_counts_materials_once_and_shows_a_new_one_at_once(client):
    make_resource("Friends online", audiences=["8-10"])
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "1 resource" in html
    assert not [q for q in queries.captured_queries if "resources_audiencetag" in q["sql"]]

    make_resource("Gaming and chat", audiences=["8-10"])
    assert "2 resources" in client.get("/").content.decode()


def test_facilitator_notes_are_hidden_from_the_public(client, django_user_model):
    resource = make_resource(
        "Trusted adults", audiences=["8-10"], facilitator_note="<p>Some pupils may disclose.</p>"
    )
    assert "Some pupils may disclose" not in client.get(resource.url).content.decode()
    client.force_login(django_user_model.objects.create_user(username="teacher", password="password"))
    assert "Some pupils may disclose" in client.get(resource.url).content.decode()


def test_restricted_material_needs_sign_in(client):
    resource = make_resource("Case review learning", audiences=["professionals"], restricted=True)
    response = client.get(resource.url)
    assert response.status_code == 302
    assert "/login" in response["Location"] or "/_util/login" in response["Location"]


def test_help_contacts_come_from_the_cache_and_an_edit_shows_at_once(client):
    """Pages that are never cached whole (a 404 here, booking forms in use) still read the contacts once."""
    contacts = SafeguardingSettings.for_site(Site.objects.get(is_default_site=True))
    client.get("/no-such-page/")  # fills the help contacts cache
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/no-such-page/").content.decode()
    assert "Worried about a child?" in html
    assert not [q for q in queries.captured_queries if "safeguardingsettings" in q["sql"]]
    contacts.emergency_number = "112"
    contacts.save()
    assert 'href="tel:112"' in client.get("/no-such-page/").content.decode()


def test_a_resource_page_names_the_helplines_the_editors_set(client):
    contacts = SafeguardingSettings.for_site(Site.objects.get(is_default_site=True))
    contacts.childline = "0800 1111 (free)"
    contacts.save()
    html = client.get(make_resource("Friends online", audiences=["8-10"]).url).content.decode()
    assert "Children and young people can call Childline free on 0800 1111 (free)." in html
    assert "Adults can call the NSPCC Helpline on 0808 800 5000." in html
    assert "If someone is in danger now, call 999." in html


def test_help_contacts_exist_before_the_first_visitor_and_a_visit_writes_nothing(client):
    from cms.page_cache import current_version

    site = Site.objects.get(is_default_site=True)
    assert SafeguardingSettings.objects.filter(site=site).exists()  # made by migrate, with the defaults
    version = current_version()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert "0808 800 5000" in page and "0800 1111" in page
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert writes == []
    assert current_version() == version
