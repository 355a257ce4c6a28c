"""A parent or school who books in another language gets the confirmation, the reminder and the calendar
entry in that language, and staff see which language they booked in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.bookings import emails, reminders, session_changes, waiting_list
from campaigns.bookings import services as bookings
from campaigns.bookings.rules import RELEASE_EXPIRED
from campaigns.mail.sending import build_email
from campaigns.models import Booking, OutboundMessage
from events.models import SessionStatus
from tests.campaigns.factories_bookings import (
    booker,
    campaign_with_session,
    individual_session,
    invitation_for,
    school_booking,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


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


def sent(template, **filters):
    """(the stored message, the email as the pipeline builds it for sending), in English surroundings."""
    message = OutboundMessage.objects.filter(template=template, **filters).latest("pk")
    return message, build_email(message)


def test_a_parent_who_books_in_polish_gets_the_confirmation_in_polish(client):
    session = individual_session()
    response = client.post(f"/pl/sessions/{session.pk}/book/", parent_form())
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pl/bookings/{booking.manage_token}/confirmed/"
    assert booking.language == "pl"
    page = client.get(response["Location"]).content.decode()
    assert "Rezerwacja potwierdzona" in page and '<html lang="pl" dir="ltr">' in page
    manage = client.get(f"/pl/bookings/{booking.manage_token}/").content.decode()
    assert f"Twoja rezerwacja {booking.reference}" in manage and "Zapisz zmiany" in manage
    assert "Nie wpisuj imienia dziecka" in client.get(f"/pl/sessions/{session.pk}/book/").content.decode()

    stored, message = sent("booking_confirmed")
    assert message.subject == f"Rezerwacja potwierdzona: {session.event.title} ({booking.reference})"
    assert "Dziękujemy: Twoja rezerwacja jest potwierdzona." in message.body
    assert "Ty i 1 gość" in message.body and "Numer rezerwacji" in message.body
    assert f"/pl/bookings/{booking.manage_token}/" in message.body  # the manage link stays in Polish
    html = message.alternatives[0][0]
    assert '<html lang="pl" dir="ltr">' in html and "Dziękujemy" in html
    # Helpline numbers are exact inside the translated footer.
    assert "NSPCC Helpline): 0808 800 5000" in message.body and "Childline: 0800 1111" in message.body
    assert "Miejsce: " in stored.calendar.replace("\r\n ", "")
    assert stored.language == "pl"


def test_a_school_that_books_in_arabic_gets_right_to_left_emails_and_an_arabic_reminder():
    campaign, session = campaign_with_session(days_ahead=20)
    booking = bookings.book_places(**school_booking(session, campaign), language="ar")
    _stored, confirmation = sent("booking_confirmed")
    assert confirmation.subject.startswith("تم تأكيد الحجز:")
    assert 'dir="rtl"' in confirmation.alternatives[0][0]
    week_before = session.starts_at - datetime.timedelta(days=6, hours=23)
    assert reminders.send_due_reminders(now=week_before) == 1
    _stored, reminder = sent("reminder_session")
    assert reminder.subject.startswith("تذكير:") and booking.reference in reminder.subject
    assert "تذكير: موعد جلستك" in reminder.body
    # Right to left, the session's times are isolated so they read "09:30–12:00", not backwards.
    assert "\u2066" in reminder.body and "\u2069" in reminder.body
    assert "999" in reminder.body and "0808 800 5000" in reminder.body and "0800 1111" in reminder.body


def test_an_english_booking_and_an_unknown_language_stay_english():
    campaign, session = campaign_with_session()
    booking = bookings.book_places(**school_booking(session, campaign), language="xx")
    assert booking.language == "en-gb"
    _stored, confirmation = sent("booking_confirmed")
    assert confirmation.subject.startswith("Booking confirmed:")
    assert "Thank you: your booking is confirmed." in confirmation.body


def test_a_school_books_through_its_invitation_in_romanian(client):
    campaign, session = campaign_with_session(capacity=90)
    invitation = invitation_for(campaign)
    url = "/ro" + reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    form = client.get(url).content.decode()
    assert "Rezervați locuri" in form and "Elevi" in form
    refused = client.post(url, {"pupils": "-3", "staff": "1", "year_group": "Y5", "action": "book"})
    assert refused.status_code == 400 and "nu poate fi negativ" in refused.content.decode()
    assert not Booking.objects.exists()


def test_staff_see_the_bookers_language_in_the_bookings_list(admin_client):
    campaign, session = campaign_with_session()
    bookings.book_places(**school_booking(session, campaign), language="pl")
    page = admin_client.get(reverse("campaigns_bookings:index")).content.decode()
    assert "Polski (pl)" in page
    assert "Language" in page  # the column heading: staff screens stay English


def test_a_place_from_the_waiting_list_is_booked_in_the_language_the_booker_joined_in():
    campaign, session = campaign_with_session(capacity=60)
    first = bookings.book_places(**school_booking(session, campaign, pupils=56, staff=2))
    entry = waiting_list.join_waiting_list(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(),
        language="pl",
        **{"year_group": "Y5", "pupils": 10, "staff": 1, **booker(booker_email="czeka@example.org")},
    )
    bookings.cancel_booking(first)
    entry.refresh_from_db()
    booking = waiting_list.accept_offer(entry)
    assert booking.language == "pl"
    _stored, confirmation = sent("booking_confirmed", to_email="czeka@example.org")
    assert confirmation.subject.startswith("Rezerwacja potwierdzona:")


def test_a_cancelled_or_changed_session_is_announced_in_each_bookers_language():
    campaign, session = campaign_with_session()
    polish = bookings.book_places(**school_booking(session, campaign), language="pl")
    english = bookings.book_places(
        **school_booking(session, campaign, **booker(booker_email="en@example.org"))
    )
    session_changes.notify_session_changed(session, changed_fields=["starts_at"])
    _stored, changed = sent("booking_session_changed", related_id=polish.pk)
    assert changed.subject.startswith("Zmiana:") and "Sesja, na którą się zapisałeś" in changed.body
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    session_changes.settle_cancelled_session(session)
    _stored, cancelled = sent("booking_session_cancelled", related_id=polish.pk)
    assert cancelled.subject == f"Odwołane: {session.event.title} ({polish.reference})"
    _stored, cancelled_en = sent("booking_session_cancelled", related_id=english.pk)
    assert cancelled_en.subject == f"Cancelled: {session.event.title} ({english.reference})"


def test_the_link_sent_again_and_a_released_request_are_written_in_the_bookers_language():
    campaign, session = campaign_with_session(days_ahead=20)
    booking = bookings.book_places(**school_booking(session, campaign), language="pl")
    emails.send_link_again(booking, now=timezone.now())
    _stored, again = sent("booking_link_again")
    assert again.subject.startswith("Twoja rezerwacja:")
    for english in ("Someone asked to book", "Nothing new has been booked", "If you did not ask"):
        assert english not in again.body
    assert "Ktoś poprosił o ponowną rezerwację tej sesji" in again.body
    assert f"/pl/bookings/{booking.manage_token}/" in again.body

    booking.language = "ar"
    emails.send_request_released(booking, RELEASE_EXPIRED)
    _stored, released = sent("booking_request_released")
    assert "لن يُنفَّذ" in released.body and "Its places have been given back" not in released.body
    assert "is not going ahead" not in released.alternatives[0][0]
    assert 'dir="rtl"' in released.alternatives[0][0]
