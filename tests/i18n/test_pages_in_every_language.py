"""Pages beyond the shell in every language: the help page and its postcode look-up, What's on for an area and
who runs each event, the waiting list, the invitation, unsubscribing, certificates and the 500 and 503 pages. Each page is rendered in every community language and must show none of its English
sentences (names, numbers and addresses stay as they are)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from campaigns.mail.sending import build_email
from campaigns.mail.unsubscribe import unsubscribe_token
from campaigns.models import InvitationState, OutboundMessage
from campaigns.training import services as training
from cms.models import Authority
from events.models import EventKind
from resources.taxonomy import Audience, YearGroup
from tests.campaigns.factories_bookings import booker, campaign_with_session, school_booking
from tests.campaigns.factories_reach import TrainingRecordFactory
from tests.factories import (
    EventPageFactory,
    InvitationFactory,
    OrganisationFactory,
    SessionFactory,
    event_index,
)
from tests.resources.helpers import make_resource

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


def html_of(client, path, *, public=True):
    """The page's HTML; a public page sets no cookie (pages behind a private link with a form set only
    Django's CSRF cookie, as they do in English)."""
    response = client.get(path)
    assert response.status_code == 200, path
    if public:
        assert not response.cookies, path
    else:
        assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}, path
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


# The waiting list, the invitation, unsubscribing and certificates.
WAITING_PAGE = ["Waiting list", "places wanted", "You are on the waiting list", "Leave the waiting list"]
INVITATION_PAGE = ["your invitation", "An invitation for", "Places left", "Join the waiting list", ">Book<"]
DECLINE_PAGE = ["Not taking part", "Let us know that", "We will not take part", "Back to the invitation"]
UNSUBSCRIBE_PAGE = ["Stop campaign emails", "We will stop sending invitations", ">Unsubscribe<"]
VERIFY_PAGE = [
    "Enter the code printed on the certificate",
    "Verification code",
    "Valid certificate",
    "Holder",
    "licence number ending",
    "Valid until",
    ">Course<",
]
CERTIFICATE_PAGE = [
    "certificate of training",
    ">Completed<",
    "Valid until",
    "Verification code",
    "Check this certificate at",
    "Open the verification page",
    "QR code linking to the verification page",
]


@pytest.fixture
def private_pages():
    """The addresses (without a language prefix) of a waiting-list entry, an invitation, an unsubscribe
    link and a certificate, read while English is active."""
    campaign, session = campaign_with_session(capacity=40)
    bookings.book_places(**school_booking(session, campaign, pupils=36, staff=4))
    entry = waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=20,
        staff=2,
        **booker(booker_email="waiting@school.example.org"),
    )
    invitation = InvitationFactory(campaign=campaign, state=InvitationState.SENT)
    record = TrainingRecordFactory(licence_number="PHD99871")
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "waiting": (reverse("campaigns:waiting_entry", args=[entry.token]), WAITING_PAGE),
            "invitation": (reverse("campaigns:invitation", args=[invitation.token]), INVITATION_PAGE),
            "decline": (reverse("campaigns:invitation_decline", args=[invitation.token]), DECLINE_PAGE),
            "unsubscribe": (
                reverse("campaigns:unsubscribe", args=[unsubscribe_token("head@school.example.org")]),
                UNSUBSCRIBE_PAGE,
            ),
            "verify": (
                reverse("campaigns:verify_certificate") + f"?code={record.verification_code}",
                VERIFY_PAGE,
            ),
            "certificate": (
                reverse("campaigns:certificate", args=[training.certificate_token(record)]),
                CERTIFICATE_PAGE,
            ),
        }


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_waiting_invitation_unsubscribe_and_certificate_pages_in_every_language(
    client, private_pages, language
):
    cache.clear()  # the certificate check counts look-ups per address
    for kind, (path, english) in private_pages.items():
        html = html_of(client, f"/{language}{path}", public=False)
        assert f'<html lang="{language}"' in html, kind
        left = english_left(html, english)
        assert not left, f"untranslated on {kind} in {language}: {left}"
    english = html_of(client, private_pages["verify"][0], public=False)
    assert "Valid certificate" in english and "…9871" in english


@pytest.mark.parametrize("language", [*COMMUNITY_LANGUAGES, None])
def test_the_500_and_503_pages_in_the_requests_language_or_english(language):
    for template, sentence in (("500.html", "Something went wrong"), ("503.html", "Back in a moment")):
        if language is None:
            translation.deactivate_all()
            try:
                html = render_to_string(template)
            finally:
                translation.activate(settings.LANGUAGE_CODE)
            assert sentence in html and '<html lang="en-GB" dir="ltr">' in html
        else:
            with translation.override(language):
                html = render_to_string(template)
            direction = "rtl" if language in ("ar", "ur") else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in html
            assert sentence not in html and "Worried about a child?" not in html
        for number in ("999", "0808 800 5000", "0800 1111"):
            assert number in html


def test_waiting_list_emails_are_written_in_the_language_the_booker_joined_in():
    campaign, session = campaign_with_session(capacity=40)
    bookings.book_places(**school_booking(session, campaign, pupils=36, staff=4))
    entry = waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=20,
        staff=2,
        language="pl",
        **booker(booker_email="waiting@school.example.org"),
    )
    message = OutboundMessage.objects.get(template="waiting_joined")
    assert message.language == "pl"
    assert message.subject == f"Jesteś na liście oczekujących: {session.event.title}"
    body = build_email(message).body
    assert "Jesteś na liście oczekujących na tę sesję" in body and "Potrzebne miejsca: 22" in body
    assert "You are on the waiting list" not in body and "Places wanted" not in body
    assert entry.pk


# What's on and the event page outside the sessions table, the library and its cards.
WHATS_ON = [
    "Who is it for?",
    ">Everyone<",
    "Type of session:",
    ">All<",
    "Subscribe to this programme in your calendar",
    "copy the link into your calendar program",
    "Filter sessions",
]
EVENT_PAGE = [
    ">What's on<",
    "How to book",
    "Book a place for yourself",
    ">Sessions<",
    "Add every session of this event to your calendar",
    ">Venues<",
]
LIBRARY = [" resource<", " resources<", ">For: <"]
RESOURCE_PAGE = ["If this has worried you", "Talk to an adult you trust", "Related material", "<dt>For</dt>"]


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_whats_on_the_event_page_and_the_library_in_every_language(client, language):
    session = SessionFactory(event=EventPageFactory(title="Parents evening"))
    resource = make_resource("Friends online", audiences=["8-10"])
    with translation.override(settings.LANGUAGE_CODE):
        pages = {
            "whats on": (session.event.get_parent().url, WHATS_ON),
            "event": (session.event.url, EVENT_PAGE),
            "library": ("/resources/", LIBRARY),
            "resource": (resource.url, RESOURCE_PAGE),
        }
    for kind, (path, english) in pages.items():
        html = html_of(client, f"/{language}{path}")
        left = english_left(html, english)
        assert not left, f"untranslated on {kind} in {language}: {left}"
    html = html_of(client, f"/{language}{pages['whats on'][0]}?kind=no-such-kind")
    assert "We did not recognise that filter" not in html
    html = html_of(client, f"/{language}{pages['whats on'][0]}?kind=dsl-briefing")
    assert "No sessions of the type" not in html and "See every upcoming session" not in html


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_audiences_and_kinds_of_session_are_named_in_every_language(client, language):
    event = EventPageFactory(
        title="Evening for families", kind=EventKind.PARENT_SESSION, audience=Audience.PARENTS_CARERS
    )
    SessionFactory(event=event)
    with translation.override(settings.LANGUAGE_CODE):
        paths = [event.get_parent().url, event.url]
    # The library's audiences and topics are content (snippets), translated in Wagtail, not here.
    english = ["Parent and carer session", "Parents and carers"]
    for path in paths:
        html = html_of(client, f"/{language}{path}")
        left = english_left(html, english)
        assert not left, f"untranslated on {path} in {language}: {left}"
    with translation.override(language):
        assert str(YearGroup.YEAR_5.label) != "Year 5" and "5" in str(YearGroup.YEAR_5.label)
    with translation.override(settings.LANGUAGE_CODE):
        assert str(YearGroup.YEAR_5.label) == "Year 5"  # staff screens and exports, in English
