"""The staff booking screens run the same number of queries with a few bookings as with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from tests.campaigns.factories_bookings import another_session, booker, campaign_with_session, school_booking
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SCREENS = [
    ("campaigns_bookings:index", {}),
    ("campaigns_bookings:index", {"status": "confirmed"}),
    ("campaigns_bookings_session_summary", {}),
    ("campaigns_waiting:index", {}),
]


def add_bookings(campaign, sessions, per_session):
    """Fill each session with `per_session` school bookings and put one group on its waiting list."""
    for session in sessions:
        for _ in range(per_session):
            bookings.book_places(**school_booking(session, campaign, pupils=8, staff=1))
        waiting_list.join_waiting_list(
            session=session,
            campaign=campaign,
            organisation=OrganisationFactory(),
            year_group="Y5",
            pupils=100,
            **booker(),
        )


def queries_for(client, name, params):
    client.get(reverse(name), params)  # warm per-process caches (permissions, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.both_databases
@pytest.mark.parametrize("name,params", SCREENS)
def test_staff_booking_screens_do_not_query_more_for_more_bookings(admin_client, name, params):
    campaign, first = campaign_with_session(capacity=100)
    add_bookings(campaign, [first], per_session=2)
    few = queries_for(admin_client, name, params)
    more_sessions = [another_session(campaign, capacity=100) for _ in range(4)]
    add_bookings(campaign, [first, *more_sessions], per_session=3)
    many = queries_for(admin_client, name, params)
    assert many <= few, f"{name}: {few} queries with 3 bookings, {many} with 18"
