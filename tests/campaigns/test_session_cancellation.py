"""Cancelling a session settles everyone on it: bookings moved or cancelled, the waiting list closed, each
person emailed once, and the figures stop counting the places."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from campaigns.bookings.session_changes import move_session_bookings
from campaigns.models import Booking, BookingStatus, OutboundMessage, WaitingListEntry, WaitingListStatus
from campaigns.partner_api import services as partner_tokens
from campaigns.roles import CAMPAIGN_STAFF, PARTNER_ANALYSTS, REGISTER_TAKERS
from cms.errors import ServiceError
from events import services as session_service
from events.models import Session, SessionStatus
from tests.campaigns.factories_bookings import another_session, booker, campaign_with_session, school_booking
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def member_of(django_user_model, group):
    user = django_user_model.objects.create_user(username=group.lower().replace(" ", "-"))
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def full_session_with_waiting():
    """A 40-place session with two school bookings (38 places) and one school waiting. Returns the lot."""
    campaign, session = campaign_with_session(capacity=40)
    first = bookings.book_places(**school_booking(session, campaign, pupils=20, staff=2))
    second = bookings.book_places(**school_booking(session, campaign, pupils=14, staff=2))
    entry = waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=10,
        **booker(booker_email="waiting@school.example.org"),
    )
    return campaign, session, [first, second], entry


def cancel_url(session):
    return reverse("campaigns_bookings_cancel_session", args=[session.pk])


def test_cancelling_a_session_cancels_its_bookings_closes_its_waiting_list_and_emails_each_once(admin_client):
    campaign, session, booked, entry = full_session_with_waiting()
    response = admin_client.post(cancel_url(session), {"settle": "cancel"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.places_taken == 0
    assert set(Booking.objects.filter(session=session).values_list("status", flat=True)) == {
        BookingStatus.CANCELLED
    }
    assert WaitingListEntry.objects.get(pk=entry.pk).status == WaitingListStatus.LEFT
    for booking in booked:
        sent = OutboundMessage.objects.filter(related_id=booking.pk, template="booking_session_cancelled")
        assert sent.count() == 1 and sent.get().calendar_method == "CANCEL"
    assert (
        OutboundMessage.objects.filter(
            template="waiting_session_changed", to_email=entry.booker_email
        ).count()
        == 1
    )
    # Settling again (the screen reopened, or the session cancelled twice) sends nothing more.
    admin_client.post(cancel_url(session), {"settle": "cancel"})
    assert OutboundMessage.objects.filter(template="booking_session_cancelled").count() == 2


def test_setting_the_status_on_the_session_form_settles_the_bookings_too():
    campaign, session, booked, _entry = full_session_with_waiting()
    session_service.cancel_session(session)
    assert not Booking.objects.holding_places().filter(session=session).exists()
    assert Session.objects.get(pk=session.pk).places_taken == 0


def test_staff_move_every_booking_to_another_session_with_room(admin_client):
    campaign, session, booked, entry = full_session_with_waiting()
    target = another_session(campaign, capacity=60)
    response = admin_client.post(cancel_url(session), {"settle": "move", "target": target.pk})
    assert response.status_code == 302
    target.refresh_from_db()
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.places_taken == 0
    assert target.places_taken == 38
    for booking in booked:
        booking.refresh_from_db()
        assert booking.session_id == target.pk and booking.status == BookingStatus.CONFIRMED
        # One "moved" pair (old entry withdrawn, new entry set), and no separate cancellation email.
        assert (
            OutboundMessage.objects.filter(related_id=booking.pk, template="booking_moved_from").count() == 1
        )
        assert not OutboundMessage.objects.filter(related_id=booking.pk, template="booking_session_cancelled")
    assert WaitingListEntry.objects.get(pk=entry.pk).status == WaitingListStatus.LEFT


def test_a_move_that_would_overbook_the_other_session_changes_nothing(admin_client):
    campaign, session, booked, _entry = full_session_with_waiting()
    target = another_session(campaign, capacity=40)
    bookings.book_places(**school_booking(target, campaign, pupils=10, staff=2))
    emails_before = OutboundMessage.objects.count()
    response = admin_client.post(cancel_url(session), {"settle": "move", "target": target.pk})
    assert response.status_code == 400
    assert "places left" in response.content.decode()
    session.refresh_from_db()
    target.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED and session.places_taken == 38
    assert target.places_taken == 12
    assert OutboundMessage.objects.count() == emails_before


def test_the_move_itself_never_overbooks_even_when_the_form_saw_room():
    campaign, session, booked, _entry = full_session_with_waiting()
    target = another_session(campaign, capacity=40)
    Session.objects.filter(pk=target.pk).update(places_taken=10)  # taken since the form was shown
    with pytest.raises(ServiceError):
        move_session_bookings(session, target)
    assert Session.objects.get(pk=target.pk).places_taken == 10
    assert Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED).count() == 2


def test_bad_choices_are_refused_with_a_message(admin_client):
    campaign, session, booked, _entry = full_session_with_waiting()
    other_event_campaign, elsewhere = campaign_with_session(capacity=200)
    for data in ({"settle": "move"}, {"settle": "move", "target": elsewhere.pk}, {"settle": "sideways"}):
        response = admin_client.post(cancel_url(session), data)
        assert response.status_code == 400
        assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    assert admin_client.get(reverse("campaigns_bookings_cancel_session", args=[999999])).status_code == 404


def test_only_staff_who_manage_sessions_and_bookings_may_cancel(django_user_model):
    campaign, session, booked, _entry = full_session_with_waiting()
    for group in (REGISTER_TAKERS, PARTNER_ANALYSTS):
        client = member_of(django_user_model, group)
        assert client.get(cancel_url(session)).status_code == 403
        assert client.post(cancel_url(session), {"settle": "cancel"}).status_code == 403
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
    staff = member_of(django_user_model, CAMPAIGN_STAFF)
    assert staff.get(cancel_url(session)).status_code == 200
    assert staff.post(cancel_url(session), {"settle": "cancel"}).status_code == 302
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED


def test_a_booking_left_on_a_cancelled_session_can_still_be_cancelled_or_moved_by_staff(admin_user):
    campaign, session = campaign_with_session(capacity=40)
    first = bookings.book_places(**school_booking(session, campaign, pupils=20, staff=2))
    second = bookings.book_places(**school_booking(session, campaign, pupils=10, staff=2))
    # As a session cancelled before cancellations settled its bookings was left.
    Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)
    with pytest.raises(ServiceError, match="cancelled"):
        bookings.cancel_booking(first)  # the booker's own link still refuses
    with pytest.raises(ServiceError, match="move the booking"):
        bookings.change_booking(first, pupils=5, user=admin_user)
    target = another_session(campaign, capacity=40)
    bookings.change_booking(first, session=target, user=admin_user)
    bookings.cancel_booking(second, user=admin_user)
    assert Booking.objects.get(pk=first.pk).session_id == target.pk
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CANCELLED
    assert Session.objects.get(pk=session.pk).places_taken == 0


def test_the_session_page_links_to_cancelling_for_those_who_may(admin_client, django_user_model):
    campaign, session, booked, _entry = full_session_with_waiting()
    page = admin_client.get(reverse("campaigns_bookings_session", args=[session.pk])).content.decode()
    assert cancel_url(session) in page and booked[0].reference in page
    edit = admin_client.get(reverse("events_sessions:edit", args=[session.pk])).content.decode()
    assert reverse("campaigns_bookings_session", args=[session.pk]) in edit
    analyst = member_of(django_user_model, PARTNER_ANALYSTS)
    assert analyst.get(reverse("campaigns_bookings_session", args=[session.pk])).status_code == 403


def test_after_cancelling_the_partner_api_and_places_per_session_count_nothing(admin_client, client):
    campaign, session, booked, _entry = full_session_with_waiting()
    admin_client.post(cancel_url(session), {"settle": "cancel"})
    _, raw = partner_tokens.issue_token("Safeguarding partnership analysts")
    rows = client.get("/api/v1/sessions", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    row = next(r for r in rows if r["id"] == session.pk)
    assert (row["status"], row["taken"], row["left"]) == ("cancelled", 0, 0)
    summary = admin_client.get(reverse("campaigns_bookings_session_summary"), {"export": "csv"})
    lines = b"".join(summary.streaming_content).decode().splitlines()
    # The cancelled session: no places taken, no confirmed bookings, nobody waiting.
    assert any(",cancelled,40,0,0,0,0,0,0" in line for line in lines), lines


def test_the_partner_api_stops_counting_a_cancelled_sessions_bookings_at_once(
    admin_client, client, django_capture_on_commit_callbacks
):
    campaign, session = campaign_with_session(capacity=90)
    bookings.book_places(**school_booking(session, campaign, pupils=30))
    _, raw = partner_tokens.issue_token("Partnership analysts")

    def booked_pupils():
        body = client.get(
            "/api/v1/reach", {"campaign": campaign.pk}, HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).json()
        return body["people"]["booked"]["pupils"]

    assert booked_pupils() == 30
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(cancel_url(session), {"settle": "cancel"})

    assert booked_pupils() == 0
