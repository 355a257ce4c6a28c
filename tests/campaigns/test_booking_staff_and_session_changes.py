"""Staff screens for bookings and what bookers hear when the events side changes a session."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.bookings import services as bookings
from campaigns.bookings import waiting_list
from campaigns.bookings.session_changes import notify_session_changed
from campaigns.models import Booking, BookingStatus, OutboundMessage
from events.models import Session
from events.signals import session_changed
from tests.campaigns.factories_bookings import booker, campaign_with_session, school_booking
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_changed_session_emails_each_booker_and_waiter_once_per_revision():
    campaign, session = campaign_with_session(capacity=40)
    booking = bookings.book_places(**school_booking(session, campaign, pupils=38, staff=2))
    waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=10,
        **booker(),
    )
    Session.objects.filter(pk=session.pk).update(sequence=1)
    session.refresh_from_db()
    for _ in range(2):
        session_changed.send(sender=Session, session=session, changed_fields=["starts_at"], cancelled=False)
    update = OutboundMessage.objects.get(template="booking_session_changed")
    assert update.related_id == booking.pk and update.calendar_method == "REQUEST"
    assert update.dedupe_key == f"session-change:{session.pk}:1:booking:{booking.pk}"
    assert OutboundMessage.objects.filter(template="waiting_session_changed").count() == 1
    Session.objects.filter(pk=session.pk).update(sequence=2, status="cancelled")
    session.refresh_from_db()
    notify_session_changed(session, changed_fields=["status"], cancelled=True)
    assert OutboundMessage.objects.get(template="booking_session_cancelled").calendar_method == "CANCEL"


def test_staff_see_bookings_filter_them_and_export_a_spreadsheet(admin_client):
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign))
    index = reverse("campaigns_bookings:index")
    assert booking.reference in admin_client.get(index).content.decode()
    assert booking.reference not in admin_client.get(index, {"status": "cancelled"}).content.decode()
    assert booking.reference in admin_client.get(index, {"q": booking.reference}).content.decode()
    export = admin_client.get(index, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert booking.reference in [cell.value for cell in sheet["A"]]


def test_staff_take_a_phone_booking_through_the_same_rules(admin_client):
    campaign, session = campaign_with_session(capacity=40)
    school = OrganisationFactory()
    data = {
        "session": session.pk,
        "campaign": campaign.pk,
        "organisation": school.pk,
        "year_group": "Y5",
        "pupils": 50,
        "staff": 2,
        "adults": 0,
        "guests": 0,
        "booker_name": "Office manager",
        "booker_email": "office@school.example.org",
    }
    too_many = admin_client.post(reverse("campaigns_bookings:add"), data)
    assert too_many.status_code == 200 and "holds 40 people" in too_many.content.decode()
    data["pupils"] = 30
    response = admin_client.post(reverse("campaigns_bookings:add"), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.places_taken == 32 and Booking.objects.get().organisation == school


def test_staff_cancel_a_booking_which_frees_the_places(admin_client):
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign))
    url = reverse("campaigns_bookings:delete", args=[booking.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url)
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and session.places_taken == 0


def test_staff_summary_and_waiting_list_pages_load(admin_client):
    campaign, session = campaign_with_session(capacity=40)
    bookings.book_places(**school_booking(session, campaign, pupils=38, staff=2))
    entry = waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        year_group="Y5",
        pupils=10,
        **booker(),
    )
    summary = admin_client.get(reverse("campaigns_bookings_session_summary"))
    assert summary.status_code == 200
    waiting = admin_client.get(reverse("campaigns_waiting:index"))
    assert waiting.status_code == 200 and entry.booker_name in waiting.content.decode()
    move = admin_client.post(reverse("campaigns_bookings_move_waiting", args=[entry.pk, "up"]))
    assert move.status_code == 302
    assert admin_client.get(reverse("campaigns_drift:index")).status_code == 200
