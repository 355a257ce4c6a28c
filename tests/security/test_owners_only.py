"""Nobody reaches another person's booking or place: no form hands back someone else's link, one person or
school holds one booking per session, an open booking for a school is the school's only once it confirms,
withdrawn events cannot be booked, certificates need the right role, and analysts see counts, not names."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from campaigns.models import Booking, OutboundMessage, WaitingListEntry
from cms.errors import ServiceError
from tests.campaigns.factories_bookings import (
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


def school_form(**overrides):
    data = {
        "year_group": "Y5",
        "pupils": "20",
        "staff": "2",
        "adults": "0",
        "booker_name": "Sam Teacher",
        "booker_role": "Year 5 teacher",
        "booker_email": "sam@school.example.org",
        "booker_phone": "",
        "access_needs": "",
        "action": "book",
    }
    data.update(overrides)
    return data


def links_in(response):
    """Every private token a response would hand to whoever sent the form: in a redirect or in the page."""
    text = response.get("Location", "") + response.content.decode()
    found = set()
    for booking in Booking.objects.all():
        if booking.manage_token in text:
            found.add(("booking", booking.pk))
    for entry in WaitingListEntry.objects.all():
        if entry.token in text:
            found.add(("waiting", entry.pk))
    return found


# --- 4. an unpublished or withdrawn event's sessions cannot be booked --------------------------------


@pytest.fixture
def withdrawn():
    campaign, session = campaign_with_session(open_booking=True)
    invitation = invitation_for(campaign)
    session.event.unpublish()
    session.refresh_from_db()
    return campaign, session, invitation


def test_a_withdrawn_events_session_is_not_found_at_the_public_booking_url(client, withdrawn):
    campaign, session, invitation = withdrawn
    url = reverse("campaigns:book_session", args=[session.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, school_form(organisation=str(invitation.organisation_id)))
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_a_withdrawn_events_session_cannot_be_booked_or_waited_for_through_an_invitation(client, withdrawn):
    campaign, session, invitation = withdrawn
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    assert client.get(url).status_code == 404
    for action in ("book", "wait"):
        response = client.post(url, school_form(action=action, submission_key=f"{action}-key"))
        assert response.status_code == 404
    assert not Booking.objects.exists() and not WaitingListEntry.objects.exists()
    page = client.get(reverse("campaigns:invitation", args=[invitation.token])).content.decode()
    assert url not in page


def test_the_booking_services_refuse_a_withdrawn_events_session(withdrawn):
    campaign, session, invitation = withdrawn
    with pytest.raises(ServiceError, match="not open"):
        bookings.book_places(**school_booking(session, campaign))
    with pytest.raises(ServiceError, match="not open"):
        waiting_list.join_waiting_list(
            session=session,
            invitation=invitation,
            year_group="Y5",
            pupils=10,
            booker_name="A",
            booker_email="a@example.org",
        )
    session.refresh_from_db()
    assert session.places_taken == 0


def test_a_draft_event_that_was_never_published_cannot_be_booked(client):
    campaign, session = campaign_with_session(open_booking=True)
    type(session.event).objects.filter(pk=session.event_id).update(live=False)
    session = type(session).objects.get(pk=session.pk)
    assert client.get(reverse("campaigns:book_session", args=[session.pk])).status_code == 404
    with pytest.raises(ServiceError, match="not open"):
        bookings.book_places(**school_booking(session, campaign))


def test_an_event_published_again_is_bookable_again(client, withdrawn):
    campaign, session, invitation = withdrawn
    session.event.save_revision().publish()
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    response = client.post(url, school_form(submission_key="again"))
    assert response.status_code == 302
    assert Booking.objects.get().organisation == invitation.organisation


# --- 1. a form never hands back an existing booking's or waiting-list entry's link -------------------


def individual_form(email, **overrides):
    return {"booker_name": "Someone", "booker_email": email, "submission_key": f"key-{email}", **overrides}


@pytest.fixture
def full_parent_session():
    session = individual_session(capacity=1, max_guests=0)
    bookings.book_places(session=session, booker_name="First In", booker_email="first@example.org")
    return session


def test_the_waiting_list_form_with_someone_elses_email_does_not_open_their_entry(
    client, full_parent_session
):
    session = full_parent_session
    theirs = waiting_list.join_waiting_list(
        session=session, booker_name="Pat Parent", booker_email="pat@example.org"
    )
    url = reverse("campaigns:book_session", args=[session.pk])
    response = client.post(url, individual_form("PAT@example.org", action="wait"))
    assert response.status_code == 200
    assert links_in(response) == set()
    page = response.content.decode()
    assert "already on the waiting list" in page and "emailed the link again" in page
    again = OutboundMessage.objects.get(template="waiting_link_again")
    assert again.to_email == "pat@example.org" and theirs.token in again.context["waiting_url"]
    # However often the form is sent, the owner gets one such email an hour.
    for n in range(3):
        client.post(url, individual_form("pat@example.org", action="wait", submission_key=f"k{n}"))
    assert OutboundMessage.objects.filter(template="waiting_link_again").count() == 1
    assert WaitingListEntry.objects.count() == 1


def test_a_waiting_list_form_for_a_school_already_waiting_emails_the_school_not_the_sender(client):
    campaign, session = campaign_with_session(capacity=30, open_booking=True)
    bookings.book_places(**school_booking(session, campaign, pupils=28, staff=2))
    school = OrganisationFactory(name="Chafford Hundred Primary")
    waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=school,
        year_group="Y5",
        pupils=20,
        booker_name="Real Teacher",
        booker_email="real.teacher@chafford.example.org",
    )
    response = client.post(
        reverse("campaigns:book_session", args=[session.pk]),
        school_form(organisation=str(school.pk), action="wait", booker_email="someone@elsewhere.example"),
    )
    assert response.status_code == 200 and links_in(response) == set()
    assert "Chafford Hundred Primary is already on the waiting list" in response.content.decode()
    sent = OutboundMessage.objects.filter(template="waiting_link_again")
    assert list(sent.values_list("to_email", flat=True)) == ["real.teacher@chafford.example.org"]


def test_booking_again_for_a_school_that_has_booked_emails_the_booker_not_the_sender(client):
    campaign, session = campaign_with_session(open_booking=True)
    school = OrganisationFactory(name="Chafford Hundred Primary")
    first = bookings.book_places(
        **school_booking(session, campaign, organisation=school, booker_email="real@chafford.example.org")
    )
    url = reverse("campaigns:book_session", args=[session.pk])
    for key in ("one", "two"):
        response = client.post(
            url,
            school_form(organisation=str(school.pk), booker_email="else@example.org", submission_key=key),
        )
        assert response.status_code == 200 and links_in(response) == set()
        assert "already has a booking for this session" in response.content.decode()
    sent = OutboundMessage.objects.get(template="booking_link_again")
    assert sent.to_email == "real@chafford.example.org" and first.manage_token in sent.context["manage_url"]
    # And the waiting list does not hand it out either.
    response = client.post(url, school_form(organisation=str(school.pk), action="wait", submission_key="w"))
    assert links_in(response) == set() and not WaitingListEntry.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == first.places and Booking.objects.count() == 1


def test_the_same_form_sent_twice_still_shows_its_own_booking(client):
    """A double click is the sender's own booking: the form's one-time key proves it, so it is shown."""
    campaign, session = campaign_with_session(open_booking=True)
    school = OrganisationFactory()
    data = school_form(organisation=str(school.pk), submission_key="mine" * 10)
    first = client.post(reverse("campaigns:book_session", args=[session.pk]), data)
    second = client.post(reverse("campaigns:book_session", args=[session.pk]), data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Booking.objects.count() == 1


def _unused():
    return datetime, timezone
