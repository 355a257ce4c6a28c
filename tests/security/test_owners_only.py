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
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking

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


def _unused():
    return datetime, timezone, OutboundMessage, links_in
