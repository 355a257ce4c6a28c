"""A session's own staff page: its bookings and waiting list, a printable sign-in sheet that counts children and
never names them, and one message emailed to everyone booked."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from campaigns.models import OutboundMessage
from campaigns.roles import CAMPAIGN_STAFF, PARTNER_ANALYSTS, REGISTER_TAKERS
from events.models import EventKind
from tests.campaigns.factories_bookings import (
    booker,
    campaign_with_session,
    individual_session,
    school_booking,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group):
    user = django_user_model.objects.create_user(username=group.lower().replace(" ", "-"))
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def booked_session():
    campaign, session = campaign_with_session(capacity=40)
    oak = bookings.book_places(
        **school_booking(
            session, campaign, organisation=OrganisationFactory(name="Oakfield Primary"), pupils=30
        )
    )
    elm = bookings.book_places(
        **school_booking(
            session, campaign, organisation=OrganisationFactory(name="Elm Tree Primary"), pupils=6, staff=2
        )
    )
    waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(name="Birch Lane Primary"),
        year_group="Y5",
        pupils=20,
        **booker(booker_email="birch@school.example.org"),
    )
    return session, [oak, elm]


def page_url(session):
    return reverse("campaigns_bookings_session", args=[session.pk])


def sheet_url(session):
    return reverse("campaigns_bookings_sign_in_sheet", args=[session.pk])


def message_url(session):
    return reverse("campaigns_bookings_message", args=[session.pk])


def test_the_session_page_lists_its_bookings_and_waiting_list(admin_client, booked_session):
    session, booked = booked_session
    page = admin_client.get(page_url(session)).content.decode()
    for text in ("Oakfield Primary", "Elm Tree Primary", "Birch Lane Primary", booked[0].reference):
        assert text in page
    assert sheet_url(session) in page and message_url(session) in page


def test_the_sign_in_sheet_counts_pupils_per_school_and_prints_cleanly(admin_client, booked_session):
    session, booked = booked_session
    response = admin_client.get(sheet_url(session))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Oakfield Primary" in page and "Elm Tree Primary" in page
    assert "sign_in_sheet.css" in page  # its print stylesheet
    assert "36 pupils" in page  # the total booked, counted
    assert "Sam Teacher" not in page  # bookers of school groups are not listed by name either


def test_the_sign_in_sheet_names_only_adults_booked_on_to_training(admin_client):
    training = individual_session(kind=EventKind.PROFESSIONAL_TRAINING, max_guests=0)
    bookings.book_places(
        session=training,
        **booker(booker_name="Jo Example Driver", booker_email="jo@example.org"),
        licence_number="PH 1234",
        safeguarding_confirmed=True,
        photo_consent_confirmed=True,
    )
    parents = individual_session(kind=EventKind.PARENT_SESSION)
    bookings.book_places(
        session=parents,
        guests=1,
        **booker(booker_name="Pat Example Parent", booker_email="pat@example.org"),
        safeguarding_confirmed=True,
        photo_consent_confirmed=True,
    )
    assert "Jo Example Driver" in admin_client.get(sheet_url(training)).content.decode()
    assert "Pat Example Parent" not in admin_client.get(sheet_url(parents)).content.decode()


def test_emailing_everyone_booked_sends_each_booker_once_and_logs_it(admin_client, booked_session):
    session, booked = booked_session
    form = admin_client.get(message_url(session)).context["form"]
    data = {"subject": "Room change", "message": "We are in the main hall now.", "key": form.initial["key"]}
    assert admin_client.post(message_url(session), data).status_code == 302
    admin_client.post(message_url(session), data)  # the same form sent twice
    sent = OutboundMessage.objects.filter(template="session_message")
    # Both schools' bookings were made by the same teacher's address: one email.
    assert sent.count() == 1
    assert sent.get().subject.startswith("Room change")
    assert sent.get().context["message"] == "We are in the main hall now."
    entry = ModelLogEntry.objects.get(action="campaigns.session.messaged")
    assert entry.data["subject"] == "Room change" and entry.data["recipients"] == 1


def test_each_address_gets_the_message(admin_client):
    campaign, session = campaign_with_session(capacity=90)
    bookings.book_places(**school_booking(session, campaign, booker_email="a@school.example.org"))
    bookings.book_places(**school_booking(session, campaign, booker_email="b@school.example.org"))
    key = admin_client.get(message_url(session)).context["form"].initial["key"]
    admin_client.post(
        message_url(session), {"subject": "Parking", "message": "Use the rear car park.", "key": key}
    )
    assert set(
        OutboundMessage.objects.filter(template="session_message").values_list("to_email", flat=True)
    ) == {
        "a@school.example.org",
        "b@school.example.org",
    }


@pytest.mark.parametrize(
    "data",
    [
        {"subject": "", "message": "Hello"},
        {"subject": "Hello", "message": "   "},
        {"subject": "x" * 151, "message": "Hello"},
        {"subject": "Hello", "message": "Hello"},  # no form key
    ],
)
def test_a_bad_message_form_sends_nothing(admin_client, booked_session, data):
    session, _ = booked_session
    response = admin_client.post(message_url(session), data)
    assert response.status_code == 400
    assert not OutboundMessage.objects.filter(template="session_message").exists()


def test_who_may_see_and_use_the_session_screens(django_user_model, booked_session):
    session, _ = booked_session
    taker = member_of(django_user_model, REGISTER_TAKERS)
    assert taker.get(sheet_url(session)).status_code == 200
    assert taker.get(page_url(session)).status_code == 403
    assert taker.post(message_url(session), {"subject": "a", "message": "b", "key": "k"}).status_code == 403
    analyst = member_of(django_user_model, PARTNER_ANALYSTS)
    for url in (page_url(session), sheet_url(session), message_url(session)):
        assert analyst.get(url).status_code == 403
    staff = member_of(django_user_model, CAMPAIGN_STAFF)
    for url in (page_url(session), sheet_url(session), message_url(session)):
        assert staff.get(url).status_code == 200
    assert not OutboundMessage.objects.filter(template="session_message").exists()
