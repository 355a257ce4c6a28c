"""A booking refused on a translated form says why in the form's language, numbers kept: too many places,
too many guests, a full session, too few adults, a repeated booking."""

import pytest
from django.conf import settings
from django.utils import translation

from campaigns.bookings import places, rules
from campaigns.bookings import services as bookings
from campaigns.models import Booking
from cms.errors import ServiceError
from tests.campaigns.factories_bookings import campaign_with_session, individual_session, school_booking

pytestmark = pytest.mark.django_db

COMMUNITY_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


GUESTS = {
    "pl": "Możesz przyprowadzić najwyżej 2 gości.",
    "ro": "Puteți veni cu cel mult 2 invitați.",
    "ur": "آپ زیادہ سے زیادہ 2 مہمان لا سکتے ہیں۔",
    "ar": "يمكنك إحضار ضيفين على الأكثر (2).",
}


def refusal(call, language):
    with translation.override(language), pytest.raises(ServiceError) as raised:
        call()
    return str(raised.value)


def parent_form(**overrides):
    return {
        "booker_name": "Ola Kowalska",
        "booker_email": "ola@example.org",
        "booker_phone": "",
        "guests": "1",
        "access_needs": "",
        "submission_key": "p" * 43,
        "action": "book",
        **overrides,
    }


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_the_booking_rules_refuse_in_the_bookers_language_with_the_numbers(language):
    campaign, session = campaign_with_session(capacity=90, pupils_per_adult=15)
    english = {}
    cases = {
        "capacity": lambda: bookings.book_places(**school_booking(session, campaign, pupils=95, staff=7)),
        "ratio": lambda: bookings.book_places(**school_booking(session, campaign, pupils=30, staff=1)),
        "negative": lambda: bookings.book_places(**school_booking(session, campaign, pupils=-3)),
        "full": lambda: (_ for _ in ()).throw(places.NotEnoughPlaces(4)),
        "contact": lambda: (_ for _ in ()).throw(ServiceError(rules.contact_sentence(None))),
    }
    for name, call in cases.items():
        english[name] = refusal(call, settings.LANGUAGE_CODE)
        translated = refusal(call, language)
        assert translated != english[name], (language, name, translated)
    assert "holds 90 people" in english["capacity"]
    assert "90" in refusal(cases["capacity"], language)
    ratio = refusal(cases["ratio"], language)
    assert "30" in ratio and "2" in ratio and "15" in ratio
    assert "4" in refusal(cases["full"], language)


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_parent_asking_for_too_many_guests_is_told_in_their_language(client, language):
    session = individual_session(max_guests=2)
    response = client.post(f"/{language}/sessions/{session.pk}/book/", parent_form(guests="5"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "You can bring at most" not in html
    assert GUESTS[language] in html
    assert not Booking.objects.exists()
