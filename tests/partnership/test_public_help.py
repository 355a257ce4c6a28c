"""The public side of a partnership: each council's pages name its own help, other pages ask where you live,
emails carry the running council and reply to its team, and What's on narrows to one area."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.bookings.services import book_places
from campaigns.invitations import services as invitation_services
from campaigns.mail.sending import build_email
from campaigns.models import Organisation, OutboundMessage
from cms.models import Authority
from tests.campaigns.factories_bookings import (
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.factories import ContactFactory, EventPageFactory, OrganisationFactory, SessionFactory, event_index

pytestmark = pytest.mark.django_db

THURROCK_PHONE = "0113 496 0101"
SOUTHEND_PHONE = "020 7946 0202"


@pytest.fixture
def councils():
    thurrock = Authority.objects.create(
        name="Thurrock Council",
        code="thurrock",
        la_codes=["883"],
        postcode_districts=["RM16", "RM17"],
        front_door_phone=THURROCK_PHONE,
        out_of_hours_phone="0113 496 0109",
        team_email="campaigns@thurrock.example.gov.uk",
    )
    southend = Authority.objects.create(
        name="Southend-on-Sea City Council",
        code="southend",
        la_codes=["882"],
        postcode_districts=["SS1", "SS2"],
        front_door_phone=SOUTHEND_PHONE,
        is_demo=True,
    )
    return thurrock, southend


def page_text(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_event_page_names_only_the_council_that_runs_it(client, councils):
    thurrock, southend = councils
    event_index()
    thurrock_event = EventPageFactory(authority=thurrock)
    southend_event = EventPageFactory(authority=southend)
    SessionFactory(event=thurrock_event)

    # Seen twice: a second view (any cache warmed) still shows the same council's number.
    for _ in range(2):
        html = page_text(client, thurrock_event.url)
        assert "Thurrock Council children's services" in html
        assert THURROCK_PHONE in html
        assert SOUTHEND_PHONE not in html
        assert "Run by Thurrock Council" in html

        html = page_text(client, southend_event.url)
        assert SOUTHEND_PHONE in html
        assert "demo council: not a real number" in html
        assert THURROCK_PHONE not in html


def test_a_joint_event_and_other_pages_ask_where_you_live(client, councils):
    event_index()
    joint = EventPageFactory(authority=None)
    for url in (joint.url, "/search/", "/"):
        html = page_text(client, url)
        assert "where do you live?" in html
        # Each council is named beside its own number: none is offered as the visitor's.
        assert (
            f'Thurrock Council children\'s services:\n    <a href="tel:01134960101" dir="ltr">{THURROCK_PHONE}'
            in html
        )
        assert SOUTHEND_PHONE in html
        assert reverse("cms:help") in html
    assert "Run by the partnership" in page_text(client, joint.url)


def test_the_help_page_finds_the_council_by_postcode_offline(client, councils):
    html = page_text(client, "/help/", postcode="rm17 6sl")
    html = html[html.index("<main") :]  # the page itself, after the banner's list of every council
    assert "RM17 is in the area of Thurrock Council" in html
    yours = html.index("Your council")
    assert html.index(THURROCK_PHONE) > yours
    assert html.index(SOUTHEND_PHONE) > html.index("The other councils in the partnership")
    assert not client.cookies

    html = page_text(client, "/help/", postcode="M1 1AE")
    assert "is not in the area of any council in this partnership" in html
    assert "0808 800 5000" in html

    html = page_text(client, "/help/", postcode="not a postcode")
    assert "does not look like a postcode" in html
    assert THURROCK_PHONE in html and SOUTHEND_PHONE in html

    # Every council, and the national numbers, without a postcode.
    html = page_text(client, "/help/")
    assert THURROCK_PHONE in html and SOUTHEND_PHONE in html and "0800 1111" in html


def test_the_help_page_refuses_writes(client, councils):
    assert client.post("/help/", {"postcode": "RM17 6SL"}).status_code == 405


def test_editing_a_council_shows_at_once_on_its_pages(client, councils):
    thurrock, _ = councils
    event = EventPageFactory(authority=thurrock)
    assert THURROCK_PHONE in page_text(client, event.url)
    assert THURROCK_PHONE in page_text(client, "/search/")
    thurrock.front_door_phone = "0113 496 0999"
    thurrock.save()
    assert "0113 496 0999" in page_text(client, event.url)
    assert "0113 496 0999" in page_text(client, "/search/")


# --- booking and invitation pages and emails ------------------------------------------------------


def test_booking_pages_and_emails_carry_the_running_council(client, councils):
    thurrock, _ = councils
    campaign, session = campaign_with_session(authority=thurrock, contact_email="walk@campaign.example.org")
    invitation = invitation_for(campaign)
    html = page_text(client, reverse("campaigns:invitation", args=[invitation.token]))
    assert THURROCK_PHONE in html and SOUTHEND_PHONE not in html

    booking = book_places(**school_booking(session, campaign))
    html = page_text(client, reverse("campaigns:manage_booking", args=[booking.manage_token]))
    assert THURROCK_PHONE in html and SOUTHEND_PHONE not in html

    message = OutboundMessage.objects.get(template="booking_confirmed")
    email = build_email(message)
    assert email.reply_to == ["campaigns@thurrock.example.gov.uk"]
    assert f"Thurrock Council children's services: {THURROCK_PHONE}" in email.body
    assert "Run by Thurrock Council." in email.body
    assert SOUTHEND_PHONE not in email.body


def test_an_event_run_by_a_council_names_it_even_in_a_joint_campaign(councils):
    _, southend = councils
    campaign, session = campaign_with_session(authority=None)
    session.event.authority = southend
    session.event.save()
    book_places(**school_booking(session, campaign))
    email = build_email(OutboundMessage.objects.get(template="booking_confirmed"))
    assert SOUTHEND_PHONE in email.body
    assert THURROCK_PHONE not in email.body


def test_joint_work_replies_to_the_campaign_and_says_the_partnership_runs_it(councils):
    campaign, session = campaign_with_session(authority=None, contact_email="joint@partnership.example.org")
    book_places(**school_booking(session, campaign))
    email = build_email(OutboundMessage.objects.get(template="booking_confirmed"))
    assert email.reply_to == ["joint@partnership.example.org"]
    assert "Run by the local safeguarding partnership." in email.body

    campaign.contact_email = ""
    campaign.save()
    booking = book_places(**school_booking(session, campaign))
    email = build_email(OutboundMessage.objects.filter(template="booking_confirmed").latest("pk"))
    assert booking and email.reply_to == []  # replies go to the sender, DEFAULT_FROM_EMAIL, as before


def test_invitations_reply_to_the_council_team(councils):
    thurrock, _ = councils
    campaign, _session = campaign_with_session(authority=thurrock, contact_email="walk@campaign.example.org")
    school = OrganisationFactory()
    ContactFactory(organisation=school)
    invitation_services.send_invitations(campaign, Organisation.objects.filter(pk=school.pk))
    message = OutboundMessage.objects.get(template="invitation")
    email = build_email(message)
    assert email.reply_to == ["campaigns@thurrock.example.gov.uk"]
    assert THURROCK_PHONE in email.body


# --- What's on by area ------------------------------------------------------------------------------


@pytest.fixture
def programme(councils):
    thurrock, southend = councils
    event_index()
    events = {
        "thurrock": EventPageFactory(title="Thurrock roadshow", authority=thurrock),
        "southend": EventPageFactory(title="Southend roadshow", authority=southend),
        "joint": EventPageFactory(title="Partnership training", authority=None),
    }
    for event in events.values():
        SessionFactory(event=event)
    return events


def test_whats_on_narrows_to_one_area_and_joint_events(client, programme):
    html = page_text(client, "/events/", area="thurrock")
    assert "Thurrock roadshow" in html and "Partnership training" in html
    assert "Southend roadshow" not in html
    assert "Sessions Thurrock Council runs" in html
    html = page_text(client, "/events/")
    assert all(title in html for title in ("Thurrock roadshow", "Southend roadshow", "Partnership training"))
    assert 'name="area"' in html


def test_an_unknown_area_shows_everything(client, programme):
    html = page_text(client, "/events/", area="nowhere")
    assert "We did not recognise that filter" in html
    assert "Southend roadshow" in html and "Thurrock roadshow" in html


def test_the_calendar_feed_narrows_to_one_area(client, programme):
    response = client.get("/events/calendar.ics", {"area": "southend"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Southend roadshow" in body and "Partnership training" in body
    assert "Thurrock roadshow" not in body
    response = client.get("/events/calendar.ics", {"area": "nowhere"})
    assert response.status_code == 400
    assert "thurrock" in response.content.decode()


def test_the_area_filter_keeps_the_query_count(client, programme):
    """Like for like: each page built afresh, then each answered from the page cache."""
    from django.core.cache import cache

    client.get("/events/")
    counts = {}
    for name, params in (("everything", {}), ("one area", {"area": "thurrock"})):
        cache.clear()
        with CaptureQueriesContext(connection) as built:
            client.get("/events/", params)
        with CaptureQueriesContext(connection) as cached:
            client.get("/events/", params)
        counts[name] = (len(built), len(cached))
    assert counts["one area"][0] <= counts["everything"][0]
    assert counts["one area"][1] <= counts["everything"][1]


def test_every_booking_route_names_the_running_council(client, councils):
    _, southend = councils
    parents = individual_session()
    parents.event.authority = southend
    parents.event.save()
    campaign, session = campaign_with_session(authority=southend)
    invitation = invitation_for(campaign)
    booking = book_places(**school_booking(session, campaign))
    for url in (
        reverse("campaigns:book_session", args=[parents.pk]),
        reverse("campaigns:invitation_book", args=[invitation.token, session.pk]),
        reverse("campaigns:invitation_decline", args=[invitation.token]),
        reverse("campaigns:booking_confirmed", args=[booking.manage_token]),
    ):
        html = page_text(client, url)
        assert SOUTHEND_PHONE in html, url
        assert THURROCK_PHONE not in html, url
