"""The public booking pages as a teacher, group leader or parent uses them: clear messages, nothing changed
by bad input, private links that only work for the booking they were made for."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.bookings import services as bookings
from campaigns.models import (
    Booking,
    BookingStatus,
    Invitation,
    InvitationState,
    Organisation,
    OutboundMessage,
    WaitingListEntry,
    WaitingListStatus,
)
from events.models import EventKind
from tests.campaigns.factories_bookings import (
    another_session,
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def book_url(invitation, session):
    return reverse("campaigns:invitation_book", args=[invitation.token, session.pk])


def form_data(**overrides):
    data = {
        "year_group": "Y5",
        "pupils": "60",
        "staff": "4",
        "adults": "0",
        "booker_name": "Sam Teacher",
        "booker_role": "Year 5 teacher",
        "booker_email": "sam@school.example.org",
        "booker_phone": "",
        "access_needs": "",
        "safeguarding_confirmed": "on",
        "photo_consent_confirmed": "on",
        "submission_key": "a" * 43,
        "action": "book",
    }
    data.update(overrides)
    return data


@pytest.fixture
def invited():
    campaign, session = campaign_with_session(
        capacity=90,
        safeguarding_statement="We will supervise our pupils throughout.",
        photo_consent_statement="Photos may be taken of the hall, not of individual pupils.",
        contact_email="roadshow@council.example.gov.uk",
    )
    invitation = invitation_for(campaign)
    return campaign, session, invitation


def test_invitation_page_offers_a_book_button_for_each_session(client, invited):
    campaign, session, invitation = invited
    response = client.get(reverse("campaigns:invitation", args=[invitation.token]))
    assert book_url(invitation, session) in response.content.decode()


def test_a_school_books_from_its_invitation_and_sees_the_confirmation(client, invited):
    campaign, session, invitation = invited
    form = client.get(book_url(invitation, session))
    assert form.status_code == 200
    assert "We will supervise our pupils throughout." in form.content.decode()
    response = client.post(book_url(invitation, session), form_data())
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:booking_confirmed", args=[booking.manage_token])
    page = client.get(response["Location"]).content.decode()
    assert booking.reference in page and "60 pupils" in page
    session.refresh_from_db()
    assert session.places_taken == 64
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.BOOKED
    assert OutboundMessage.objects.filter(
        template="booking_confirmed", to_email="sam@school.example.org"
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pupils": "0", "staff": "0"}, "at least one place"),
        ({"pupils": "-3"}, "cannot be negative"),
        ({"pupils": "99999999"}, "more pupils than one booking can hold"),
        ({"pupils": "sixty"}, "whole number"),
        ({"year_group": "Y9"}, "Select a valid choice"),
        ({"booker_email": "not-an-email"}, "valid email"),
        ({"safeguarding_confirmed": ""}, "confirm this statement"),
        ({"pupils": "200"}, "holds 90 people"),
    ],
)
def test_bad_input_gets_a_clear_message_and_books_nothing(client, invited, overrides, message):
    campaign, session, invitation = invited
    response = client.post(book_url(invitation, session), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0


def test_a_form_sent_back_lists_what_to_put_right_at_the_top_with_links_to_the_fields(client, invited):
    campaign, session, invitation = invited
    response = client.post(
        book_url(invitation, session), form_data(booker_email="not-an-email", safeguarding_confirmed="")
    )
    html = response.content.decode()
    summary = html[html.index('class="error-summary"') : html.index("<form method")]
    assert 'href="#id_booker_email"' in summary and "valid email" in summary
    assert 'href="#id_safeguarding_confirmed"' in summary and "confirm this statement" in summary
    # Each tick box still to tick is named, shortened, so two such errors can be told apart.
    assert summary.count("”: Please confirm this statement to book.") == 1


def test_a_double_submit_shows_the_same_booking_and_takes_places_once(client, invited):
    campaign, session, invitation = invited
    first = client.post(book_url(invitation, session), form_data())
    second = client.post(book_url(invitation, session), form_data())
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    session.refresh_from_db()
    assert session.places_taken == 64


def test_a_form_posted_without_csrf_is_refused(invited):
    campaign, session, invitation = invited
    response = Client(enforce_csrf_checks=True).post(book_url(invitation, session), form_data())
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_a_bot_filling_the_hidden_field_books_nothing(client, invited):
    campaign, session, invitation = invited
    response = client.post(book_url(invitation, session), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Booking.objects.exists()


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 200])
def test_tampered_links_show_link_not_valid(client, invited, token):
    campaign, session, invitation = invited
    for url in [
        reverse("campaigns:invitation_book", args=[token, session.pk]),
        reverse("campaigns:manage_booking", args=[token]),
        reverse("campaigns:booking_confirmed", args=[token]),
        reverse("campaigns:waiting_entry", args=[token]),
    ]:
        response = client.get(url)
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()


def test_an_invitation_cannot_book_a_session_of_another_campaign(client, invited):
    campaign, session, invitation = invited
    other_campaign, other_session = campaign_with_session()
    response = client.post(book_url(invitation, other_session), form_data())
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_a_cancelled_session_shows_why_it_cannot_be_booked(client, invited):
    campaign, session, invitation = invited
    session.status = "cancelled"
    session.save()
    page = client.get(book_url(invitation, session)).content.decode()
    assert "has been cancelled" in page and 'value="book"' not in page
    response = client.post(book_url(invitation, session), form_data())
    assert response.status_code == 400 and not Booking.objects.exists()


def test_too_many_posts_from_one_client_are_slowed_down(client, invited, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 3
    campaign, session, invitation = invited
    statuses = [
        client.post(book_url(invitation, session), form_data(pupils="x")).status_code for _ in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]
    assert client.get(book_url(invitation, session)).status_code == 200


def test_a_full_session_offers_the_waiting_list_and_joining_keeps_the_details(client, invited):
    campaign, session, invitation = invited
    bookings.book_places(**school_booking(session, campaign, pupils=80, staff=5))
    response = client.post(book_url(invitation, session), form_data())
    assert response.status_code == 409
    page = response.content.decode()
    assert "only 5 places" in page and "Join the waiting list" in page
    joined = client.post(book_url(invitation, session), form_data(action="wait", submission_key="b" * 43))
    entry = WaitingListEntry.objects.get()
    assert joined["Location"] == reverse("campaigns:waiting_entry", args=[entry.token])
    assert entry.places_wanted == 64 and entry.organisation == invitation.organisation
    assert "on the waiting list" in client.get(joined["Location"]).content.decode()


def booked(invited):
    campaign, session, invitation = invited
    details = school_booking(session, campaign, pupils=60, staff=4)
    del details["campaign"], details["organisation"]
    return bookings.book_places(invitation=invitation, **details)


def test_the_booker_changes_numbers_from_the_manage_page(client, invited):
    booking = booked(invited)
    url = reverse("campaigns:manage_booking", args=[booking.manage_token])
    response = client.post(
        url, {"session": booking.session_id, "year_group": "Y5", "pupils": "58", "staff": "4", "adults": "0"}
    )
    assert response.status_code == 302 and "changed=1" in response["Location"]
    booking.refresh_from_db()
    assert booking.places == 62
    assert "Your booking has been changed" in client.get(response["Location"]).content.decode()


def test_the_booker_moves_to_another_session(client, invited):
    campaign, session, invitation = invited
    other = another_session(campaign)
    booking = booked(invited)
    url = reverse("campaigns:manage_booking", args=[booking.manage_token])
    client.post(url, {"session": other.pk, "year_group": "Y5", "pupils": "60", "staff": "4", "adults": "0"})
    booking.refresh_from_db()
    session.refresh_from_db()
    other.refresh_from_db()
    assert booking.session == other and (session.places_taken, other.places_taken) == (0, 64)


def test_changing_to_more_than_is_left_says_how_many_are_left_and_changes_nothing(client, invited):
    campaign, session, invitation = invited
    booking = booked(invited)
    bookings.book_places(**school_booking(session, campaign, pupils=20, staff=2))
    url = reverse("campaigns:manage_booking", args=[booking.manage_token])
    response = client.post(
        url, {"session": booking.session_id, "year_group": "Y5", "pupils": "70", "staff": "4", "adults": "0"}
    )
    assert response.status_code == 409
    assert "only 4 places" in response.content.decode()
    booking.refresh_from_db()
    assert booking.places == 64


def test_the_booker_cancels_and_the_places_go_back(client, invited):
    campaign, session, invitation = invited
    booking = booked(invited)
    url = reverse("campaigns:cancel_booking", args=[booking.manage_token])
    assert client.post(url, {}).status_code == 400  # the box must be ticked
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and session.places_taken == 0
    assert "has been cancelled" in client.get(response["Location"]).content.decode()


def test_after_the_cutoff_the_manage_page_says_whom_to_contact(client, invited):
    campaign, session, invitation = invited
    booking = booked(invited)
    session.starts_at = session.starts_at.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    session.ends_at = session.starts_at + datetime.timedelta(hours=2)
    session.save()
    url = reverse("campaigns:manage_booking", args=[booking.manage_token])
    page = client.get(url).content.decode()
    assert "roadshow@council.example.gov.uk" in page and "Save changes" not in page
    response = client.post(url, {"session": session.pk, "pupils": "10", "staff": "1", "year_group": "Y5"})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.places == 64


def test_open_booking_finds_a_school_by_name_urn_or_postcode(client):
    campaign, session = campaign_with_session(open_booking=True)
    school = OrganisationFactory(name="Chafford Hundred Primary", urn=123456, postcode="RM16 6PE")
    url = reverse("campaigns:book_session", args=[session.pk])
    for query in ["Chafford", "123456", "RM16 6PE"]:
        assert "Chafford Hundred Primary" in client.get(url, {"q": query}).content.decode()
    response = client.post(
        url, form_data(organisation=str(school.pk), safeguarding_confirmed="", photo_consent_confirmed="")
    )
    assert response.status_code == 302
    assert Booking.objects.get().organisation == school


@pytest.mark.parametrize("number", ["³", "١٢٣", "99999999999999999999"])
def test_an_organisation_number_that_is_not_plain_digits_finds_no_organisation(client, number):
    campaign, session = campaign_with_session(open_booking=True)
    url = reverse("campaigns:book_session", args=[session.pk])

    assert client.get(url, {"organisation": number}).status_code == 404
    assert client.post(url, form_data(organisation=number)).status_code == 404
    assert not Booking.objects.exists()


@pytest.mark.parametrize("query", ["³", "²³⁴", "①"])
def test_searching_for_a_school_by_a_number_that_is_not_plain_digits_finds_none(client, query):
    campaign, session = campaign_with_session(open_booking=True)
    OrganisationFactory(name="Chafford Hundred Primary", urn=123456)

    response = client.get(reverse("campaigns:book_session", args=[session.pk]), {"q": query})

    assert response.status_code == 200
    assert "Chafford Hundred Primary" not in response.content.decode()


def test_a_group_not_in_the_register_books_and_waits_for_staff_to_confirm_it(client):
    campaign, session = campaign_with_session(open_booking=True)
    url = reverse("campaigns:book_session", args=[session.pk])
    assert "Name of your school or group" in client.get(url, {"new_group": "1"}).content.decode()
    data = form_data(
        new_group="1", group_name="St Mary's Youth Club", group_kind="faith", group_postcode="rm17 5aa"
    )
    data.update({"year_group": "", "pupils": "0", "staff": "2", "adults": "14"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    group = Organisation.objects.get(name="St Mary's Youth Club")
    assert group.confirmed is False and group.postcode == "RM17 5AA"
    assert Booking.objects.get().organisation == group


def test_schools_campaign_without_open_booking_asks_for_the_invitation(client):
    campaign, session = campaign_with_session(open_booking=False)
    page = client.get(reverse("campaigns:book_session", args=[session.pk])).content.decode()
    assert "invitation" in page and "Find your school" not in page


def test_a_parent_books_a_place_and_a_guest(client):
    session = individual_session(max_guests=2)
    url = reverse("campaigns:book_session", args=[session.pk])
    assert "Guests" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "booker_name": "Alex Parent",
            "booker_email": "alex@example.org",
            "guests": "1",
            "submission_key": "c" * 43,
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().places == 2


def test_a_taxi_driver_books_training_with_a_licence_number(client):
    session = individual_session(kind=EventKind.PROFESSIONAL_TRAINING, max_guests=0)
    url = reverse("campaigns:book_session", args=[session.pk])
    missing = client.post(url, {"booker_name": "Pat Driver", "booker_email": "pat@example.org"})
    assert missing.status_code == 400 and "licence number" in missing.content.decode()
    response = client.post(
        url, {"booker_name": "Pat Driver", "booker_email": "pat@example.org", "licence_number": "PH-7781"}
    )
    assert response.status_code == 302
    assert Booking.objects.get().licence_number == "PH-7781"


def test_public_booking_pages_set_no_cookie_but_csrf(invited):
    campaign, session, invitation = invited
    browser = Client()
    response = browser.get(book_url(invitation, session))
    assert set(response.cookies) <= {"csrftoken"}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
    assert token
    assert not Invitation.objects.filter(state=InvitationState.BOOKED).exists()
    assert not WaitingListEntry.objects.filter(status=WaitingListStatus.OFFERED).exists()


@pytest.mark.both_databases
def test_a_booking_is_made_in_a_fixed_handful_of_statements(client, invited):
    """The booking POST is the busiest request of a launch morning: its statements are counted, not guessed."""
    campaign, session, invitation = invited
    # The first booking warms per-process caches (content types, compiled URL patterns).
    client.post(book_url(invitation, session), form_data(pupils="20", submission_key="w" * 43))
    second = invitation_for(campaign)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(book_url(second, session), form_data(pupils="20", submission_key="s" * 43))
    assert response.status_code == 302
    statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    writes = [sql for sql in statements if sql in ("INSERT", "UPDATE", "DELETE")]
    # The booking, the invitation's state, the audit entry, the confirmation email, the places taken.
    assert sorted(writes) == ["INSERT", "INSERT", "INSERT", "UPDATE", "UPDATE"]
    assert statements.count("SELECT") <= 3, captured.captured_queries
    assert len(captured) <= 10
