"""Bulk actions on the organisations and bookings listings: tick rows, confirm, and each row goes through the
same service as on its own (emails, places, audit log); refusals are named, and nothing outside the ticked
rows is touched."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.bookings import services as bookings
from campaigns.invitations import services as invitations
from campaigns.models import (
    Booking,
    BookingStatus,
    Invitation,
    Organisation,
    OrganisationKind,
    OutboundMessage,
)
from campaigns.roles import CAMPAIGN_STAFF, REGISTER_TAKERS
from tests.campaigns.factories_bookings import campaign_with_session, school_booking
from tests.campaigns.test_invitations import _campaign_with_sessions, _sent_invitation
from tests.factories import OrganisationFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = member_of(CAMPAIGN_STAFF, "campaign-staff")
    client.force_login(user)
    return user


def bulk_url(model, action, objects, next_url):
    ids = "&".join(f"id={obj.pk}" for obj in objects)
    return f"{reverse('wagtail_bulk_action', args=['campaigns', model, action])}?{ids}&next={next_url}"


@pytest.fixture
def three_bookings():
    campaign, session = campaign_with_session(capacity=200)
    made = [
        bookings.book_places(**school_booking(session, campaign, organisation=OrganisationFactory(name=name)))
        for name in ("Oakfield Primary", "Riverside Primary", "Hillside Primary")
    ]
    return session, made


def test_the_bookings_listing_offers_tick_boxes_and_the_cancel_action(client, staff, three_bookings):
    page = client.get(reverse("campaigns_bookings:index")).content.decode()
    assert page.count('data-bulk-action-checkbox class="bulk-action-checkbox"') == 3
    assert reverse("wagtail_bulk_action", args=["campaigns", "booking", "cancel"]) in page


def test_cancelling_two_ticked_bookings_emails_each_booker_and_frees_their_places(
    client, staff, three_bookings
):
    session, (first, second, third) = three_bookings
    listing = reverse("campaigns_bookings:index")
    url = bulk_url("booking", "cancel", [first, second], listing)
    confirm = client.get(url).content.decode()
    assert (
        "Oakfield Primary" in confirm and "Riverside Primary" in confirm and "Hillside Primary" not in confirm
    )
    emails_before = OutboundMessage.objects.count()

    response = client.post(url, {"reason": "Venue flooded"})

    assert response.status_code == 302 and response.url == listing
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: BookingStatus.CANCELLED,
        second.pk: BookingStatus.CANCELLED,
        third.pk: BookingStatus.CONFIRMED,
    }
    session.refresh_from_db()
    assert session.places_taken == third.places
    assert OutboundMessage.objects.count() == emails_before + 2
    assert ModelLogEntry.objects.filter(action="campaigns.booking.cancelled").count() == 2

    # Back and submit again: nothing more happens, and the refusal is named.
    again = client.post(url, {"reason": "Venue flooded"}, follow=True)
    assert OutboundMessage.objects.count() == emails_before + 2
    assert "already cancelled" in again.content.decode()


def test_all_in_listing_is_refused_so_filters_are_never_bypassed(client, staff, three_bookings):
    url = reverse("wagtail_bulk_action", args=["campaigns", "booking", "cancel"]) + "?id=all&next=/admin/"
    client.post(url)
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


@pytest.mark.parametrize("ids", ["id=abc", "id=-1", "id=99999999999999999999", ""])
def test_bad_ids_change_nothing(client, staff, three_bookings, ids):
    url = reverse("wagtail_bulk_action", args=["campaigns", "booking", "cancel"]) + f"?{ids}&next=/admin/"
    assert client.get(url).status_code < 500
    assert client.post(url).status_code < 500
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


def test_staff_without_the_permission_cannot_cancel_in_bulk(client, django_user_model, three_bookings):
    session, made = three_bookings
    client.force_login(member_of(REGISTER_TAKERS, "taker"))
    url = bulk_url("booking", "cancel", made, "/admin/")
    client.post(url)
    assert not Booking.objects.filter(status=BookingStatus.CANCELLED).exists()


def test_groups_awaiting_a_check_are_confirmed_in_bulk(client, staff):
    groups = [
        OrganisationFactory(name=name, kind=OrganisationKind.FAITH, urn=None, confirmed=False)
        for name in ("St Mary's Youth Club", "Grays Scouts")
    ]
    listing = reverse("campaigns_organisation:index")
    assert 'data-bulk-action-checkbox class="bulk-action-checkbox"' in client.get(listing).content.decode()

    client.post(bulk_url("organisation", "confirm", groups, listing))

    assert Organisation.objects.filter(confirmed=True, pk__in=[g.pk for g in groups]).count() == 2
    assert ModelLogEntry.objects.filter(action="campaigns.organisation.confirmed").count() == 2


def test_ticked_unanswered_invitations_are_reminded_once_and_the_others_left_alone(client, staff):
    campaign = _campaign_with_sessions(14)
    ticked = [_sent_invitation(campaign, 10) for _ in range(2)]
    answered = _sent_invitation(campaign, 10)
    invitations.decline(answered)
    not_ticked = _sent_invitation(campaign, 10)
    listing = reverse("campaigns_invitation:index")
    assert 'data-bulk-action-checkbox class="bulk-action-checkbox"' in client.get(listing).content.decode()
    url = bulk_url("invitation", "remind", [*ticked, answered], listing)

    client.post(url, {"interval_days": "7"})
    client.post(url, {"interval_days": "7"})  # Back and again: nobody is reminded twice

    assert OutboundMessage.objects.filter(template="invitation_reminder").count() == 2
    assert set(Invitation.objects.filter(reminders_sent=1).values_list("pk", flat=True)) == {
        i.pk for i in ticked
    }
    assert Invitation.objects.get(pk=not_ticked.pk).reminders_sent == 0
