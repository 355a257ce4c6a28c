"""Nobody reaches another person's booking or place: no form hands back someone else's link, one person or
school holds one booking per session, an open booking for a school is the school's only once it confirms,
withdrawn events cannot be booked, certificates need the right role, and analysts see counts, not names."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.bookings import reconciliation, tasks, waiting_list
from campaigns.bookings import services as bookings
from campaigns.mail.sending import build_email
from campaigns.models import (
    Attendance,
    Booking,
    BookingKind,
    BookingStatus,
    NamedAttendee,
    OutboundMessage,
    TrainingRecord,
    WaitingListEntry,
    WaitingListStatus,
)
from campaigns.register import services as attendance_service
from campaigns.roles import CAMPAIGN_STAFF, PARTNER_ANALYSTS, REGISTER_TAKERS
from campaigns.training import services as training
from cms.errors import ServiceError
from events.models import EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_bookings import (
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.campaigns.factories_reach import (
    CohortFactory,
    CohortMemberFactory,
    PastSessionFactory,
    ReachBookingFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)
from tests.factories import BookingFactory, ContactFactory, EventPageFactory, OrganisationFactory

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


def test_an_open_waiting_list_entry_for_a_school_does_not_keep_its_invitation_off_the_list(client):
    campaign, session = campaign_with_session(capacity=30, open_booking=True)
    bookings.book_places(**school_booking(session, campaign, pupils=28, staff=2))
    school = OrganisationFactory()
    client.post(
        reverse("campaigns:book_session", args=[session.pk]),
        school_form(organisation=str(school.pk), action="wait", booker_email="someone@elsewhere.example"),
    )
    invitation = invitation_for(campaign, organisation=school)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    response = client.post(url, school_form(action="wait", booker_email="real@school.example.org"))
    mine = WaitingListEntry.objects.get(invitation=invitation)
    assert response.status_code == 302 and mine.token in response["Location"]
    assert mine.booker_email == "real@school.example.org"
    assert not OutboundMessage.objects.filter(template="waiting_link_again").exists()


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


# --- 2. one confirmed booking per person per session -----------------------------------------------


def test_one_email_cannot_book_the_same_session_again_and_again(client):
    session = individual_session(capacity=38, max_guests=2)
    url = reverse("campaigns:book_session", args=[session.pk])
    first = client.post(url, individual_form("alex@example.org", guests="2"))
    assert first.status_code == 302
    booking = Booking.objects.get()
    for n, email in enumerate(["alex@example.org", "Alex@Example.org", " ALEX@example.org "] * 2):
        response = client.post(url, individual_form(email, guests="2", submission_key=f"again-{n}"))
        assert response.status_code == 200, n
        assert links_in(response) == set()
        assert "You already have a booking for this session" in response.content.decode()
    session.refresh_from_db()
    assert Booking.objects.count() == 1 and session.places_taken == 3
    sent = OutboundMessage.objects.get(template="booking_link_again")
    assert sent.to_email == "alex@example.org" and booking.manage_token in sent.context["manage_url"]


def test_one_licence_number_books_a_training_session_once(client):
    session = individual_session(kind=EventKind.PROFESSIONAL_TRAINING, max_guests=0)
    url = reverse("campaigns:book_session", args=[session.pk])
    client.post(url, individual_form("pat@example.org", licence_number="PH-7781"))
    response = client.post(url, individual_form("other@example.org", licence_number="ph-7781"))
    assert response.status_code == 200 and "already have a booking" in response.content.decode()
    assert Booking.objects.count() == 1
    assert OutboundMessage.objects.get(template="booking_link_again").to_email == "pat@example.org"


def test_another_session_or_a_cancelled_booking_leaves_the_person_free_to_book():
    session = individual_session(max_guests=0)
    other = individual_session(max_guests=0)
    first = bookings.book_places(session=session, booker_name="Alex", booker_email="alex@example.org")
    bookings.book_places(session=other, booker_name="Alex", booker_email="alex@example.org")
    bookings.cancel_booking(first)
    again = bookings.book_places(session=session, booker_name="Alex", booker_email="ALEX@example.org")
    assert again.pk != first.pk and Booking.objects.confirmed().count() == 2


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"booker_email": "alex@example.org"}, {"booker_email": "ALEX@Example.ORG"}),
        (
            {"booker_email": "a@example.org", "licence_number": "ph 20481"},
            {"booker_email": "b@example.org", "licence_number": "PH 20481"},
        ),
    ],
)
def test_the_database_refuses_a_second_confirmed_booking_for_one_person(first, second):
    session = individual_session(max_guests=0)
    row = {"session": session, "kind": BookingKind.INDIVIDUAL, "organisation": None, "pupils": 0, "staff": 0}
    BookingFactory(**row, adults=1, **first)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(**row, adults=1, **second)
    # Cancelled and anonymised rows do not count.
    BookingFactory(**row, adults=1, status=BookingStatus.CANCELLED, **second)
    BookingFactory(**row, adults=1, booker_email="", licence_number="")
    BookingFactory(**row, adults=1, booker_email="", licence_number="")


@pytest.mark.both_databases
def test_the_migration_names_existing_double_bookings_instead_of_failing_blindly():
    migration = importlib.import_module("campaigns.migrations.0006_one_individual_booking_per_session")
    session = individual_session(max_guests=0)
    row = {"session": session, "kind": BookingKind.INDIVIDUAL, "organisation": None, "pupils": 0, "staff": 0}
    with transaction.atomic():
        # As before the migration: an expression constraint is a unique index on both databases.
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX booking_one_confirmed_per_email_per_session")
        one = BookingFactory(**row, adults=1, booker_email="alex@example.org")
        two = BookingFactory(**row, adults=1, booker_email="Alex@example.org")
        with pytest.raises(RuntimeError, match=f"session {session.pk}: .*{one.reference}") as raised:
            migration.refuse_existing_duplicates(django_apps, None)
        assert two.reference in str(raised.value)
        transaction.set_rollback(True)


def test_someone_already_booked_is_not_put_on_the_waiting_list(full_parent_session):
    with pytest.raises(ServiceError, match="already have a booking"):
        waiting_list.join_waiting_list(
            session=full_parent_session, booker_name="First In", booker_email="First@example.org"
        )
    assert not WaitingListEntry.objects.exists()
    assert OutboundMessage.objects.get(template="booking_link_again").to_email == "first@example.org"


def test_accepting_an_offer_after_booking_directly_passes_the_places_on(full_parent_session):
    session = full_parent_session
    type(session).objects.filter(pk=session.pk).update(capacity=2)
    session.refresh_from_db()
    entry = waiting_list.join_waiting_list(session=session, booker_name="Pat", booker_email="pat@example.org")
    nxt = waiting_list.join_waiting_list(session=session, booker_name="Sam", booker_email="sam@example.org")
    entry.refresh_from_db()
    assert entry.status == WaitingListStatus.OFFERED
    # Pat also booked directly, when one more place came free.
    type(session).objects.filter(pk=session.pk).update(capacity=3)
    bookings.book_places(session=session, booker_name="Pat", booker_email="pat@example.org")
    with pytest.raises(ServiceError, match="already have a booking"):
        waiting_list.accept_offer(entry)
    entry.refresh_from_db()
    nxt.refresh_from_db()
    assert entry.status == WaitingListStatus.LEFT and nxt.status == WaitingListStatus.OFFERED
    assert OutboundMessage.objects.filter(template="booking_link_again", to_email="pat@example.org").exists()
    session.refresh_from_db()
    assert session.places_taken == 3 and not reconciliation.sessions_with_drift().exists()


# --- 3. an open booking for a school is the school's only once the school confirms it -------------------


@pytest.fixture
def open_school():
    """An open-booking campaign with a 24-place session, and a school the register has an address for."""
    campaign, session = campaign_with_session(capacity=24, open_booking=True)
    school = OrganisationFactory(name="Chafford Hundred Primary")
    ContactFactory(organisation=school, email="office@chafford.example.org")
    return campaign, session, school


def book_openly(client, session, school, *, email="someone@elsewhere.example", key="open-1", pupils="10"):
    return client.post(
        reverse("campaigns:book_session", args=[session.pk]),
        school_form(
            organisation=str(school.pk), booker_email=email, submission_key=key, pupils=pupils, staff="0"
        ),
    )


def taken(session):
    session.refresh_from_db()
    return session.places_taken


def test_an_open_booking_for_a_known_school_holds_places_until_the_school_confirms_it(client, open_school):
    campaign, session, school = open_school
    response = book_openly(client, session, school)
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.status == BookingStatus.UNCONFIRMED
    assert (
        "Waiting for Chafford Hundred Primary to confirm" in client.get(response["Location"]).content.decode()
    )
    assert taken(session) == 10
    hold = booking.hold_expires_at - booking.created_at
    assert datetime.timedelta(hours=23, minutes=59) < hold <= datetime.timedelta(hours=24)
    # Nothing is confirmed to the sender; the school is asked, at its own address, without the manage link.
    assert not OutboundMessage.objects.filter(template="booking_confirmed").exists()
    request = OutboundMessage.objects.get(template="booking_confirm_request")
    assert request.to_email == "office@chafford.example.org"
    assert booking.manage_token not in str(request.context) and "someone@elsewhere.example" in str(
        request.context
    )
    confirm = request.context["confirm_url"].removeprefix("http://testserver")
    page = client.get(confirm)
    assert page.status_code == 200 and "Yes, confirm this booking" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.UNCONFIRMED  # looking at the link confirms nothing
    response = client.post(confirm, {"action": "confirm"})
    assert response.status_code == 200 and "Booking confirmed" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and taken(session) == 10
    sent = OutboundMessage.objects.get(template="booking_confirmed")
    assert sent.to_email == "someone@elsewhere.example" and booking.manage_token in sent.context["manage_url"]
    assert not reconciliation.sessions_with_drift().exists()


def test_the_school_can_say_the_booking_was_not_theirs(client, open_school):
    campaign, session, school = open_school
    book_openly(client, session, school)
    confirm = OutboundMessage.objects.get(template="booking_confirm_request").context["confirm_url"]
    response = client.post(confirm.removeprefix("http://testserver"), {"action": "decline"})
    assert response.status_code == 200 and "Nothing is booked" in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.CANCELLED and taken(session) == 0
    released = OutboundMessage.objects.get(template="booking_request_released")
    assert released.to_email == "someone@elsewhere.example" and "did not ask" in released.context["reason"]
    again = client.post(confirm.removeprefix("http://testserver"), {"action": "confirm"})
    assert again.status_code == 409 and Booking.objects.get().status == BookingStatus.CANCELLED


def test_a_tampered_confirmation_link_is_not_valid(client, open_school):
    campaign, session, school = open_school
    book_openly(client, session, school)
    confirm = OutboundMessage.objects.get(template="booking_confirm_request").context["confirm_url"]
    response = client.post(confirm.removeprefix("http://testserver")[:-3] + "xx/", {"action": "confirm"})
    assert response.status_code == 404 and Booking.objects.get().status == BookingStatus.UNCONFIRMED


def test_unconfirmed_places_are_released_when_the_hold_runs_out_and_offered_on(client, open_school):
    campaign, session, school = open_school
    book_openly(client, session, school, pupils="24")
    waiting = waiting_list.join_waiting_list(
        session=session, campaign=campaign, organisation=OrganisationFactory(), **school_booking_details(12)
    )
    later = timezone.now() + datetime.timedelta(hours=25)
    assert bookings.expire_unconfirmed_bookings(now=later - datetime.timedelta(hours=2)) == 0
    assert bookings.expire_unconfirmed_bookings(now=later) == 1
    assert bookings.expire_unconfirmed_bookings(now=later) == 0  # running again changes nothing
    waiting.refresh_from_db()
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert waiting.status == WaitingListStatus.OFFERED and taken(session) == 12
    assert OutboundMessage.objects.filter(template="booking_request_released").count() == 1
    assert not reconciliation.sessions_with_drift().exists()


def test_a_confirmation_after_the_hold_ran_out_releases_instead(open_school):
    campaign, session, school = open_school
    booking = bookings.book_places(
        **school_booking(session, campaign, organisation=school, pupils=10, staff=0)
    )
    assert booking.status == BookingStatus.UNCONFIRMED
    with pytest.raises(ServiceError, match="not confirmed in time"):
        bookings.confirm_booking_request(booking, now=timezone.now() + datetime.timedelta(hours=25))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and taken(session) == 0


def test_the_periodic_job_releases_expired_holds(open_school, settings):
    campaign, session, school = open_school
    settings.OPEN_BOOKING_HOLD_HOURS = 0
    bookings.book_places(**school_booking(session, campaign, organisation=school, pupils=10, staff=0))
    assert tasks.expire_unconfirmed_bookings.delay().get() == 1
    assert taken(session) == 0
    assert "bookings-expire-unconfirmed" in django_settings.CELERY_BEAT_SCHEDULE


def test_the_real_teacher_with_the_invitation_replaces_an_unconfirmed_booking_for_the_school(
    client, open_school
):
    campaign, session, school = open_school
    book_openly(client, session, school, pupils="20")
    invitation = invitation_for(campaign, organisation=school)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    response = client.post(url, school_form(booker_email="real@chafford.example.org", submission_key="real"))
    assert response.status_code == 302, response.content.decode()
    real = Booking.objects.confirmed().get()
    assert real.booker_email == "real@chafford.example.org" and real.invitation == invitation
    assert Booking.objects.get(status=BookingStatus.CANCELLED).booker_email == "someone@elsewhere.example"
    assert taken(session) == 22
    released = OutboundMessage.objects.get(template="booking_request_released")
    assert released.to_email == "someone@elsewhere.example" and "invitation" in released.context["reason"]
    assert not reconciliation.sessions_with_drift().exists()


def test_fake_open_bookings_filling_a_session_never_keep_an_invited_school_out(client, open_school):
    campaign, session, school = open_school
    fakes = []
    for n in range(3):
        other = OrganisationFactory()
        ContactFactory(organisation=other)
        book_openly(client, session, other, key=f"fake-{n}", pupils="8")
        fakes.append(Booking.objects.get(organisation=other))
    assert taken(session) == 24
    # The public form finds the session full...
    response = book_openly(client, session, school, key="open-school", pupils="5")
    assert response.status_code == 409
    # ...but the invited school is not refused: the newest unconfirmed bookings make room for it.
    invited = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[invited.token, session.pk])
    response = client.post(url, school_form(pupils="10", staff="0", submission_key="invited"))
    assert response.status_code == 302, response.content.decode()
    for fake in fakes:
        fake.refresh_from_db()
    assert [fake.status for fake in fakes] == [
        BookingStatus.UNCONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
    ]
    assert taken(session) == 8 + 10 and not reconciliation.sessions_with_drift().exists()
    # More than the unconfirmed bookings hold is still refused, and changes nothing.
    another = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[another.token, session.pk])
    response = client.post(url, school_form(pupils="15", staff="0", submission_key="too-many"))
    assert response.status_code == 409 and taken(session) == 18
    fakes[0].refresh_from_db()
    assert fakes[0].status == BookingStatus.UNCONFIRMED


def test_booking_again_for_a_school_awaiting_confirmation_asks_the_school_again(client, open_school):
    campaign, session, school = open_school
    book_openly(client, session, school)
    for n in range(3):
        response = book_openly(client, session, school, email="real@chafford.example.org", key=f"again-{n}")
        assert response.status_code == 200 and links_in(response) == set()
        assert "waiting for the school or group to confirm" in response.content.decode()
    requests = OutboundMessage.objects.filter(template="booking_confirm_request")
    assert list(requests.values_list("to_email", flat=True)) == ["office@chafford.example.org"] * 2
    assert Booking.objects.count() == 1 and taken(session) == 10


def test_the_booker_can_withdraw_an_unconfirmed_booking(client, open_school):
    campaign, session, school = open_school
    book_openly(client, session, school)
    booking = Booking.objects.get()
    manage = reverse("campaigns:manage_booking", args=[booking.manage_token])
    assert "Withdraw booking" in client.get(manage).content.decode()
    client.post(reverse("campaigns:cancel_booking", args=[booking.manage_token]), {"confirm": "on"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and taken(session) == 0


def test_a_school_the_register_has_no_address_for_is_booked_straight_away(client):
    campaign, session = campaign_with_session(open_booking=True)
    school = OrganisationFactory()
    assert book_openly(client, session, school).status_code == 302
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


# --- 5. certificates need the right role, and old registers stay closed ------------------------------


def staff_with(django_user_model, username, *dotted):
    user = django_user_model.objects.create_user(username=username, password="password")
    perms = [Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")]
    for name in dotted:
        app_label, codename = name.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.user_permissions.add(*perms)
    return user


@pytest.fixture
def register_taker(django_user_model):
    return staff_with(django_user_model, "taker", "campaigns.take_register")


@pytest.fixture
def trainer(django_user_model):
    return staff_with(django_user_model, "trainer", "campaigns.take_register", "campaigns.add_trainingrecord")


def training_session(days_ago):
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS, attendees_named=True
    )
    TrainingCourseFactory(name="CSE awareness for drivers").events.add(event)
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return PastSessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))


def named_walk_in(client, session, name="Robin Example"):
    return client.post(
        reverse("campaigns_register_session", args=[session.pk]),
        {"action": "named-walk-in", "named-name": name, "named-licence_number": "HC 77"},
        follow=True,
    )


def test_a_register_taker_cannot_add_a_walk_in_to_a_session_from_last_year(client, register_taker):
    old = training_session(days_ago=400)
    client.force_login(register_taker)
    page = named_walk_in(client, old).content.decode()
    assert "This register closed on" in page
    assert not NamedAttendee.objects.exists() and not TrainingRecord.objects.exists()
    with pytest.raises(ServiceError, match="closed"):
        attendance_service.record_walk_in(old, adults=3, user=register_taker)
    assert not Attendance.objects.exists()


def test_a_register_taker_ticks_people_off_but_does_not_issue_certificates(client, register_taker, trainer):
    session = training_session(days_ago=1)
    client.force_login(register_taker)
    named_walk_in(client, session)
    attendee = NamedAttendee.objects.get()
    assert attendee.attended and not TrainingRecord.objects.exists()
    page = client.get(reverse("campaigns_register_session", args=[session.pk])).content.decode()
    assert 'data-certificates-waiting="1"' in page and "Issue their certificates" not in page
    assert ModelLogEntry.objects.filter(action="campaigns.training_record.held").exists()
    # Pressing the button anyway changes nothing.
    client.post(reverse("campaigns_register_session", args=[session.pk]), {"action": "issue-certificates"})
    assert not TrainingRecord.objects.exists()
    with pytest.raises(ServiceError, match="Only staff who manage training"):
        training.issue_training_record(attendee, user=register_taker)
    # Staff who manage training issue it.
    client.force_login(trainer)
    assert (
        "Issue their certificates"
        in client.get(reverse("campaigns_register_session", args=[session.pk])).content.decode()
    )
    client.post(reverse("campaigns_register_session", args=[session.pk]), {"action": "issue-certificates"})
    record = TrainingRecord.objects.get()
    assert record.attendee == attendee and not record.revoked
    assert ModelLogEntry.objects.get(action="campaigns.training_record.issued").user == trainer


def test_a_register_taker_cannot_withdraw_an_issued_certificate(register_taker, trainer):
    session = training_session(days_ago=1)
    booking = ReachBookingFactory(
        session=session,
        kind=BookingKind.INDIVIDUAL,
        organisation=None,
        year_group="",
        pupils=0,
        staff=0,
        adults=1,
        booker_name="Sam Driver",
        booker_email="sam@example.org",
    )
    attendance_service.tick_named_attendee(booking, attended=True, user=trainer)
    with pytest.raises(ServiceError, match="Only staff who manage training"):
        attendance_service.tick_named_attendee(booking, attended=False, user=register_taker)
    assert not TrainingRecord.objects.get().revoked
    assert NamedAttendee.objects.get().attended


def test_registers_close_a_set_number_of_days_after_the_session(settings, register_taker):
    session = training_session(days_ago=10)
    attendance_service.add_named_walk_in(session, name="Within", user=register_taker)
    settings.REGISTER_EDIT_DAYS = 5
    with pytest.raises(ServiceError, match="5 days after the session"):
        attendance_service.add_named_walk_in(session, name="After", user=register_taker)
    assert list(NamedAttendee.objects.values_list("name", flat=True)) == ["Within"]


def test_staff_allowed_to_correct_closed_registers_do_so_and_it_is_logged(django_user_model):
    old = training_session(days_ago=400)
    manager = staff_with(
        django_user_model,
        "manager",
        "campaigns.take_register",
        "campaigns.add_trainingrecord",
        "campaigns.correct_closed_registers",
    )
    attendance_service.add_named_walk_in(old, name="Late Correction", user=manager)
    entry = ModelLogEntry.objects.get(action="campaigns.attendance.named")
    assert entry.user == manager and entry.data["after_register_closed"] is True
    assert TrainingRecord.objects.get().name == "Late Correction"


def test_campaign_staff_issue_certificates_and_register_takers_do_not(django_user_model):
    session = training_session(days_ago=1)
    staff = django_user_model.objects.create_user(username="staff")
    staff.groups.add(Group.objects.get(name=CAMPAIGN_STAFF))
    taker = django_user_model.objects.create_user(username="taker-group")
    taker.groups.add(Group.objects.get(name=REGISTER_TAKERS))
    attendance_service.add_named_walk_in(session, name="By Taker", user=taker)
    attendance_service.add_named_walk_in(session, name="By Staff", user=staff)
    assert list(TrainingRecord.objects.values_list("name", flat=True)) == ["By Staff"]
    assert (
        not Group.objects.get(name=CAMPAIGN_STAFF)
        .permissions.filter(codename="correct_closed_registers")
        .exists()
    )


# --- 6. partner analysts see how many are trained, never who -----------------------------------------


def member_of(django_user_model, group):
    user = django_user_model.objects.create_user(username=group.lower().replace(" ", "-"))
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cohort():
    course = TrainingCourseFactory()
    cohort = CohortFactory(course=course)
    CohortMemberFactory(cohort=cohort, name="Jo Licensee", email="jo@example.org", licence_number="PH 4242")
    TrainingRecordFactory(course=course, name="Jo Licensee", email="jo@example.org", licence_number="PH 4242")
    CohortMemberFactory(
        cohort=cohort, name="Kit Untrained", email="kit@example.org", licence_number="PH 9999"
    )
    return cohort


PERSONAL = ("Jo Licensee", "jo@example.org", "PH 4242", "Kit Untrained", "kit@example.org", "PH 9999")


def test_partner_analysts_see_cohort_counts_without_names(django_user_model, cohort):
    client = member_of(django_user_model, PARTNER_ANALYSTS)
    for query in ("", "?status=current", "?status=never", "?status=expired"):
        response = client.get(reverse("campaigns_cohort", args=[cohort.pk]) + query)
        assert response.status_code == 200
        text = response.content.decode()
        assert "All 2" in text, query
        assert not [value for value in PERSONAL if value in text], query
    overview = client.get(reverse("campaigns_cohorts")).content.decode()
    assert cohort.name in overview and not [value for value in PERSONAL if value in overview]
    for url in (
        "/admin/training-records/",
        "/admin/training-records/?export=csv",
        "/admin/cohorts/",
        f"/admin/cohorts/edit/{cohort.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not [value for value in PERSONAL if value in response.content.decode()], url


def test_staff_who_manage_training_see_the_names(django_user_model, cohort):
    client = member_of(django_user_model, CAMPAIGN_STAFF)
    text = client.get(reverse("campaigns_cohort", args=[cohort.pk])).content.decode()
    assert "Jo Licensee" in text and "Kit Untrained" in text


def school_booking_details(pupils):
    return {"year_group": "Y5", "pupils": pupils, "booker_name": "Wait", "booker_email": "wait@example.org"}


def test_every_new_email_renders_in_text_and_html(client, open_school, full_parent_session):
    campaign, session, school = open_school
    book_openly(client, session, school)
    book_openly(client, session, school, key="again")  # the confirmation request again
    bookings.decline_booking_request(Booking.objects.get(organisation=school))  # released
    waiting_list.join_waiting_list(
        session=full_parent_session, booker_name="Pat", booker_email="pat@example.org"
    )
    with pytest.raises(ServiceError):
        waiting_list.join_waiting_list(
            session=full_parent_session, booker_name="Pat", booker_email="pat@example.org"
        )
    with pytest.raises(ServiceError):
        bookings.book_places(session=full_parent_session, booker_name="F", booker_email="first@example.org")
    templates = {
        "booking_confirm_request",
        "booking_request_released",
        "waiting_link_again",
        "booking_link_again",
    }
    for message in OutboundMessage.objects.filter(template__in=templates):
        email = build_email(message)
        html = email.alternatives[0][0]
        assert "{{" not in email.body and "{%" not in email.body and "{{" not in html
        templates.discard(message.template)
    assert not templates
