"""Pages beyond the shell in every language: the help page and its postcode look-up, What's on for an area and
who runs each event. Each page is rendered in every community language and must show none of its English
sentences (names, numbers and addresses stay as they are)."""

import pytest
from django.conf import settings

from cms.models import Authority
from tests.factories import EventPageFactory, SessionFactory, event_index

pytestmark = pytest.mark.django_db

COMMUNITY_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
THURROCK_PHONE = "0113 496 0101"


@pytest.fixture
def councils():
    thurrock = Authority.objects.create(
        name="Thurrock Council",
        code="thurrock",
        postcode_districts=["RM16", "RM17"],
        front_door_phone=THURROCK_PHONE,
        out_of_hours_phone="0113 496 0109",
        referral_email="referrals@thurrock.example.gov.uk",
        lado_phone="0113 496 0110",
        lado_email="lado@thurrock.example.gov.uk",
        website="https://thurrock.example.gov.uk/",
    )
    southend = Authority.objects.create(
        name="Southend-on-Sea City Council",
        code="southend",
        postcode_districts=["SS1", "SS2"],
        front_door_phone="020 7946 0202",
        is_demo=True,
    )
    return thurrock, southend


def html_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert not response.cookies, path
    return response.content.decode()


def english_left(html, sentences):
    return [sentence for sentence in sentences if sentence in html]


HELP_PAGE = [
    "Find your local children's services",
    "If a child is in danger now, call",
    "NSPCC Helpline, for adults:",
    "Childline, for children and young people, free:",
    "Police, when it is not an emergency:",
    "Report online sexual abuse or grooming",
    "where do you live?",
    "Your postcode",
    "Find my council",
    "We look it up on this page only",
    "The other councils in the partnership",
    "demo council: these are not real numbers",
    "Children's services:",
    "Evenings, weekends and bank holidays:",
    "Professionals' referrals:",
    "Concerns about an adult who works with children",
    "Thurrock Council website",
]


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_the_help_page_and_its_postcode_answers_in_every_language(client, councils, language):
    html = html_of(client, f"/{language}/help/?postcode=RM17 6SL")
    assert not english_left(html, [*HELP_PAGE, "is in the area of", "Your council<"]), language
    main = html[html.index("<main") :]
    assert "RM17" in main and "Thurrock Council" in main and THURROCK_PHONE in main
    assert 'href="tel:01134960101" dir="ltr"' in main and "lado@thurrock.example.gov.uk" in main

    html = html_of(client, f"/{language}/help/?postcode=M1 1AE")
    assert "is not in the area of any council" not in html and "M1" in html
    html = html_of(client, f"/{language}/help/?postcode=not a postcode")
    assert "does not look like a postcode" not in html and "NOT A POSTCODE" in html


def test_the_help_page_joins_several_matching_councils_with_the_languages_or(client, councils):
    thurrock, southend = councils
    southend.postcode_districts = ["RM17"]
    southend.save()
    html = html_of(client, "/pl/help/?postcode=RM17 6SL")
    assert "RM17 leży na terenie: Southend-on-Sea City Council lub Thurrock Council." in html or (
        "RM17 leży na terenie: Thurrock Council lub Southend-on-Sea City Council." in html
    )
    html = html_of(client, "/help/?postcode=RM17 6SL")
    assert "is in the area of" in html and " or " in html


WHATS_ON_AREA = [
    "Where do you live?",
    "Anywhere in the partnership",
    "Show sessions",
    "runs, and those the partnership runs together",
    "Run by Thurrock Council",
    "Run by the partnership",
]


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_whats_on_for_an_area_and_who_runs_each_event_in_every_language(client, councils, language):
    thurrock, _southend = councils
    index = event_index()
    own = EventPageFactory(title="Thurrock parents evening", authority=thurrock)
    joint = EventPageFactory(title="Partnership training", authority=None)
    SessionFactory(event=own)
    SessionFactory(event=joint)
    urls = [own.url, joint.url]  # read before a request in another language activates its prefix
    html = html_of(client, f"/{language}{index.url}?area=thurrock")
    assert not english_left(html, WHATS_ON_AREA), language
    assert "Thurrock Council" in html and "Thurrock parents evening" in html
    for url in urls:
        html = html_of(client, f"/{language}{url}")
        assert not english_left(html, ["Run by "]), (language, url)
