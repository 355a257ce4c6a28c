"""A school books, changes and cancels in a real browser; and a second school gets a place from the waiting list."""

import re
from urllib.parse import urlsplit

import pytest

from campaigns.bookings import services as bookings
from campaigns.invitations.services import send_invitations
from campaigns.mail.sending import build_email
from campaigns.models import (
    Booking,
    BookingStatus,
    Organisation,
    OutboundMessage,
    WaitingListEntry,
    WaitingListStatus,
)
from tests.browser.conftest import save_screenshot
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking
from tests.factories import ContactFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_booking_form(page, pupils, staff, email):
    page.get_by_label("Pupils").fill(str(pupils))
    page.get_by_label("Staff").fill(str(staff))
    page.get_by_label("Your name").fill("Sam Teacher")
    page.get_by_label("Your email address").fill(email)


def test_a_teacher_books_changes_and_cancels_from_the_invitation_link(page, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session(capacity=90, code="WO27")
    school = ContactFactory(email="office@riverside.example.org").organisation
    send_invitations(campaign, Organisation.objects.filter(pk=school.pk))

    # The teacher follows the link in the invitation email, as the school receives it.
    sent = OutboundMessage.objects.get(template="invitation")
    body = build_email(sent).body
    link = re.search(r"https?://\S+/invitation/[\w-]+/", body).group(0)
    page.goto(urlsplit(link).path)
    page.get_by_role("link", name=re.compile("^Book")).first.click()
    fill_booking_form(page, 60, 4, "sam@school.example.org")
    page.get_by_role("button", name="Book places").click()
    page.get_by_role("heading", name="Booking confirmed").wait_for()
    booking = Booking.objects.get()
    assert booking.reference in page.content() and booking.reference.startswith("WO27-")
    email = OutboundMessage.objects.get(template="booking_confirmed")
    assert email.calendar_method == "REQUEST" and "BEGIN:VCALENDAR" in email.calendar
    save_screenshot(page, "booking-confirmed")

    page.get_by_role("link", name="View, change or cancel this booking").click()
    page.get_by_label("Pupils").fill("58")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your booking has been changed").wait_for()
    booking.refresh_from_db()
    assert booking.places == 62

    page.get_by_label("Yes, cancel this booking").check()
    page.get_by_role("button", name="Cancel booking").click()
    page.get_by_text("Your booking has been cancelled").wait_for()
    booking.refresh_from_db()
    session.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and session.places_taken == 0
    save_screenshot(page, "booking-cancelled")


def test_a_second_school_joins_the_waiting_list_and_accepts_the_offer(page, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session(capacity=60)
    first = invitation_for(campaign)
    second = invitation_for(campaign)

    page.goto(f"/invitation/{second.token}/sessions/{session.pk}/book/")
    fill_booking_form(page, 28, 2, "second@school.example.org")
    # While the second school fills in the form, the first takes most of the places.
    details = school_booking(session, campaign, pupils=50, staff=4)
    del details["campaign"], details["organisation"]
    taken = bookings.book_places(invitation=first, **details)
    page.get_by_role("button", name="Book places").click()
    page.get_by_text("only 6 places").wait_for()
    page.get_by_role("button", name="Join the waiting list").click()
    page.get_by_text("You are on the waiting list").wait_for()
    entry = WaitingListEntry.objects.get()
    assert entry.places_wanted == 30

    bookings.cancel_booking(taken)
    entry.refresh_from_db()
    assert entry.status == WaitingListStatus.OFFERED
    offer = OutboundMessage.objects.get(template="waiting_offer")
    assert offer.to_email == "second@school.example.org"
    page.goto(offer.context["waiting_url"].split("testserver", 1)[-1])
    page.get_by_role("button", name="Accept the places").click()
    page.get_by_role("heading", name="Booking confirmed").wait_for()
    booking = Booking.objects.get(status=BookingStatus.CONFIRMED)
    assert booking.organisation == second.organisation and booking.places == 30
    session.refresh_from_db()
    assert session.places_taken == 30
    save_screenshot(page, "waiting-list-offer-accepted")
