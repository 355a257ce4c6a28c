"""The in-between steps of booking (invitation only, finding your school or group) and the pages that refuse
a request (a link that is not valid, a form sent without its check, an address opened with the wrong method,
characters we cannot read) in every community language: none of their English sentences is left, the
direction is right and the help numbers are exact."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import (
    CampaignFactory,
    EventPageFactory,
    OrganisationFactory,
    SessionFactory,
    event_index,
)

pytestmark = pytest.mark.django_db

COMMUNITY_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
RIGHT_TO_LEFT = set(settings.LANGUAGES_BIDI)


def booking_path(language, session):
    return f"/{language}{reverse('campaigns:book_session', args=[session.pk])}"


def assert_translated(html, language, sentences):
    left = [sentence for sentence in sentences if sentence in html]
    assert not left, f"English left in {language}: {left}"
    assert f'dir="{"rtl" if language in RIGHT_TO_LEFT else "ltr"}"' in html


@pytest.fixture
def session():
    event_index()
    return SessionFactory(event=EventPageFactory(title="Walk Online roadshow"))


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_session_booked_by_invitation_says_so_in_the_visitors_language(client, session, language):
    CampaignFactory(open_booking=False).events.add(session.event)
    response = client.get(booking_path(language, session))
    assert response.status_code == 200
    assert_translated(
        response.content.decode(),
        language,
        [
            "Booking is by invitation",
            "Schools and groups book this session",
            "Please contact the campaign team",
        ],
    )


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_finding_your_school_or_group_in_the_visitors_language(client, session, language):
    CampaignFactory(open_booking=True).events.add(session.event)
    OrganisationFactory(name="Orchard Primary School")
    path = booking_path(language, session)
    found = client.get(path, {"q": "Orchard"}).content.decode()
    assert "Orchard Primary School" in found
    assert_translated(
        found,
        language,
        ["Find your school or group", "Choose your school or group", "Not listed?", ">Search<"],
    )
    missing = client.get(path, {"q": "Nowhere Academy"}).content.decode()
    assert "Nowhere Academy" in missing
    assert_translated(missing, language, ["We could not find a school or group matching"])


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_booking_link_that_is_not_valid_in_the_visitors_language(client, language):
    response = client.get(f"/{language}{reverse('campaigns:manage_booking', args=['not-a-real-link'])}")
    assert response.status_code == 404
    assert_translated(response.content.decode(), language, ["This link is not valid", "copied incompletely"])


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_form_sent_without_its_check_in_the_visitors_language(session, language):
    CampaignFactory(open_booking=True).events.add(session.event)
    response = Client(enforce_csrf_checks=True).post(booking_path(language, session), {"organisation": "1"})
    assert response.status_code == 403
    assert_translated(
        response.content.decode(),
        language,
        [
            "Please send the form again",
            "The form was open for too long",
            "Go back, reload the page",
            "home page",
        ],
    )


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_an_address_opened_with_the_wrong_method_in_the_visitors_language(client, language):
    response = client.get(f"/{language}{reverse('campaigns:cancel_booking', args=['some-link'])}")
    assert response.status_code == 405
    html = response.content.decode()
    assert_translated(html, language, ["This link only works from its page", "used by a button", "home page"])
    assert f'href="/{language}/"' in html


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_characters_we_cannot_read_are_refused_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/resources/", {"q": "a\x00b"})
    assert response.status_code == 400
    html = response.content.decode()
    assert_translated(
        html,
        language,
        ["This address contains characters", "Nothing was saved or changed", "Worried about a child?"],
    )
    for number in ("999", "0808 800 5000", "0800 1111"):
        assert number in html
    assert f'href="/{language}/resources/"' in html
