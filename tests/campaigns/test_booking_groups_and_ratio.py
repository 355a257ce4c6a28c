"""Booking numbers a teacher or group leader gives: enough adults for the children when the campaign asks
for a ratio, and an age range instead of a year group for groups that are not schools."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.bookings import services as bookings
from campaigns.models import Booking, OrganisationKind
from cms.errors import ServiceError
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def form_data(**overrides):
    data = {
        "year_group": "Y5",
        "pupils": "30",
        "staff": "2",
        "adults": "0",
        "booker_name": "Sam Leader",
        "booker_email": "sam@group.example.org",
        "submission_key": "b" * 43,
        "action": "book",
    }
    data.update(overrides)
    return data


def test_a_campaign_ratio_refuses_too_few_adults_with_a_clear_message_and_books_nothing():
    campaign, session = campaign_with_session(pupils_per_adult=15)
    with pytest.raises(ServiceError) as refused:
        bookings.book_places(**school_booking(session, campaign, pupils=30, staff=0))
    assert "at least 2 adults" in refused.value.message
    assert "one adult for every 15 children" in refused.value.message
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0


def test_staff_and_other_adults_both_count_towards_the_ratio():
    campaign, session = campaign_with_session(pupils_per_adult=15)
    booking = bookings.book_places(**school_booking(session, campaign, pupils=31, staff=2, adults=1))
    assert (booking.pupils, booking.staff, booking.adults) == (31, 2, 1)


def test_without_a_ratio_any_number_of_adults_is_accepted():
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign, pupils=30, staff=0))
    assert booking.pupils == 30


def test_changing_a_booking_keeps_to_the_ratio():
    campaign, session = campaign_with_session(pupils_per_adult=15)
    booking = bookings.book_places(**school_booking(session, campaign, pupils=30, staff=2))
    with pytest.raises(ServiceError):
        bookings.change_booking(booking, staff=1)
    booking.refresh_from_db()
    assert booking.staff == 2


def test_the_booking_page_refuses_thirty_pupils_with_no_staff(client):
    campaign, session = campaign_with_session(pupils_per_adult=15)
    invitation = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    assert "for every 15 children" in client.get(url).content.decode()
    response = client.post(url, form_data(staff="0"))
    assert response.status_code == 400
    assert "please bring at least 2 adults" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize("kind", [OrganisationKind.COMMUNITY, OrganisationKind.FAITH])
def test_a_group_that_is_not_a_school_gives_an_age_range_not_a_year_group(client, kind):
    campaign, session = campaign_with_session()
    group = OrganisationFactory(kind=kind, name="Riverside Youth Club", urn=None)
    invitation = invitation_for(campaign, organisation=group)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    page = client.get(url).content.decode()
    assert 'name="age_from"' in page and 'name="age_to"' in page
    assert 'name="year_group"' not in page

    missing = client.post(url, form_data(year_group=""))
    assert missing.status_code == 400
    assert "Give the age of the youngest child coming." in missing.content.decode()
    assert not Booking.objects.exists()

    backwards = client.post(url, form_data(age_from="12", age_to="9"))
    assert backwards.status_code == 400
    assert "The youngest age cannot be more than the oldest age." in backwards.content.decode()

    response = client.post(url, form_data(age_from="9", age_to="12"))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.age_from, booking.age_to, booking.year_group, booking.pupils) == (9, 12, "", 30)
    confirmed = client.get(response["Location"]).content.decode()
    assert "30 children aged 9 to 12" in confirmed


def test_a_school_still_gives_a_year_group(client):
    campaign, session = campaign_with_session()
    invitation = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    page = client.get(url).content.decode()
    assert 'name="year_group"' in page and 'name="age_from"' not in page


def test_ages_outside_childhood_are_refused_by_the_rules():
    campaign, session = campaign_with_session()
    group = OrganisationFactory(kind=OrganisationKind.COMMUNITY, urn=None)
    with pytest.raises(ServiceError):
        bookings.book_places(
            **school_booking(session, campaign, organisation=group, year_group="", age_from=2, age_to=40)
        )
    assert not Booking.objects.exists()


def test_staff_book_a_group_by_its_ages_and_can_correct_them(admin_client, admin_user):
    campaign, session = campaign_with_session()
    group = OrganisationFactory(kind=OrganisationKind.FAITH, urn=None)
    form = admin_client.get("/admin/bookings/new/").content.decode()
    assert 'name="age_from"' in form and 'name="age_to"' in form
    booking = bookings.book_places(
        **school_booking(session, campaign, organisation=group, year_group="", age_from=8, age_to=11),
        user=admin_user,
    )
    bookings.change_booking(booking, age_from=9, age_to=12, user=admin_user)
    booking.refresh_from_db()
    assert (booking.age_from, booking.age_to) == (9, 12)
