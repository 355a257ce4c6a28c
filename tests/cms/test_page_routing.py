"""Pages are served with the site, the route and the privacy check remembered (cms/routing.py): repeat
visits skip those queries, and every change to pages or their privacy shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import StandardPage
from tests.factories import home_page

pytestmark = pytest.mark.django_db


def about():
    page = StandardPage(title="About us", slug="about", intro="Who runs this site.")
    home_page().add_child(instance=page)
    return page


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_repeat_visit_does_not_look_the_page_up_again(client):
    about()
    client.get("/about/")
    response, queries = count(client, "/about/")
    assert response.status_code == 200 and "Who runs this site." in response.content.decode()
    assert queries == 0  # site, route and privacy all remembered; a standard page reads nothing else


def test_publishing_unpublishing_and_moving_show_at_once(client):
    page = about()
    assert client.get("/about/").status_code == 200
    page.unpublish()
    assert client.get("/about/").status_code == 404
    page.save_revision().publish()
    assert client.get("/about/").status_code == 200
    page.slug = "who-we-are"
    page.save_revision().publish()
    assert client.get("/about/").status_code == 404
    assert client.get("/who-we-are/").status_code == 200


def test_an_unknown_address_stays_404(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_privacy_added_after_a_visit_applies_at_once(client):
    page = about()
    assert client.get("/about/").status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="secret")
    response = client.get("/about/")
    assert "Who runs this site." not in response.content.decode()
    assert "password" in response.content.decode().lower()


def test_a_page_below_a_private_page_stays_private(client):
    page = about()
    child = StandardPage(title="Team", slug="team", intro="The team.")
    page.add_child(instance=child)
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    client.get("/about/team/")
    response = client.get("/about/team/")
    assert response.status_code == 302 and "login" in response["Location"]
