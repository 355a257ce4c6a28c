"""The booking form under hypothesis-generated input: never a 500, and a refused request saves nothing."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Booking, OutboundMessage
from events.models import Session
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for

pytestmark = pytest.mark.django_db

numbers = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", "0", "-1", "1e3", "3.5", "٣", "NaN", "  12  ", "9" * 40]),
    st.text(max_size=20),
)
texts = st.one_of(st.text(max_size=300), st.sampled_from(["", "a" * 5000, "<script>alert(1)</script>"]))
fields = st.fixed_dictionaries(
    {},
    optional={
        "year_group": st.one_of(st.sampled_from(["Y5", "Y6", "R", "Y13", "X"]), st.text(max_size=5)),
        "pupils": numbers,
        "staff": numbers,
        "adults": numbers,
        "booker_name": texts,
        "booker_email": st.one_of(st.emails(), texts),
        "booker_phone": texts,
        "booker_role": texts,
        "access_needs": texts,
        "safeguarding_confirmed": st.sampled_from(["on", "", "yes", "0"]),
        "photo_consent_confirmed": st.sampled_from(["on", ""]),
        "submission_key": texts,
        "website": st.sampled_from(["", "", "", "http://spam.example"]),
    },
)


@pytest.fixture
def booking_url(settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session(capacity=90)
    invitation = invitation_for(campaign)
    return f"/invitation/{invitation.token}/sessions/{session.pk}/book/", session


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=fields)
def test_any_booking_form_input_gets_an_answer_and_refusals_save_nothing(client, booking_url, data):
    url, session = booking_url
    Booking.objects.all().delete()
    OutboundMessage.objects.all().delete()
    Session.objects.filter(pk=session.pk).update(places_taken=0)
    cache.clear()

    response = client.post(url, data)

    assert response.status_code < 500
    booked = Booking.objects.count()
    taken = Session.objects.get(pk=session.pk).places_taken
    if response.status_code == 302 and booked:
        booking = Booking.objects.get()
        assert 0 < booking.places == taken <= 90
        assert booking.places == booking.pupils + booking.staff + booking.adults
    else:
        assert booked == 0 and taken == 0 and not OutboundMessage.objects.exists()
