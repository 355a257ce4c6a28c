"""A parent who reads Arabic goes from the home page to a parents' page in Arabic and books a place at a
parents' session, every page right to left, and gets the confirmation in Arabic."""

import pytest

from campaigns.models import Booking, OutboundMessage
from tests.browser.conftest import save_screenshot
from tests.campaigns.factories_bookings import individual_session
from tests.localize.helpers import fill_strings, publish_by_code, start_translation, translated_tree
from tests.resources.helpers import ensure_site, make_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_TITLE = "التحدث مع طفلك عن الألعاب عبر الإنترنت"


@pytest.fixture
def arabic_parents_page():
    ensure_site()
    translated_tree("ar")
    english = make_resource(
        "Talking with your child about online games",
        slug="online-games",
        audiences=("parents-carers",),
        summary="How to talk with your child about the games they play.",
    )
    english.save_revision().publish()
    translation = start_translation(english, "ar")
    fill_strings(translation, {"Talking with your child about online games": ARABIC_TITLE}, suffix="")
    publish_by_code(translation)
    return english


def test_a_parent_reads_a_parents_page_in_arabic_and_books_a_session(page, settings, arabic_parents_page):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    session = individual_session(max_guests=1)

    page.goto("/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "0800 1111" in page.content()  # the helpline numbers are exact in every language
    save_screenshot(page, "arabic-home")

    page.goto("/ar/resources/")
    page.get_by_role("link", name=ARABIC_TITLE).click()
    page.wait_for_url("**/ar/resources/online-games/")
    assert page.locator("h1").inner_text() == ARABIC_TITLE
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto("/ar/events/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator(f'a[href="/ar/sessions/{session.pk}/book/"]').first.click()
    page.wait_for_url(f"**/ar/sessions/{session.pk}/book/")
    page.locator('input[name="booker_name"]').fill("Layla Hassan")
    page.locator('input[name="booker_email"]').fill("layla@example.org")
    save_screenshot(page, "arabic-booking-form")
    page.locator('button[name="action"][value="book"]').click()
    page.wait_for_url("**/ar/bookings/*/confirmed/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    save_screenshot(page, "arabic-booking-confirmed")

    booking = Booking.objects.get()
    assert booking.language == "ar"
    assert booking.reference in page.content()
    confirmation = OutboundMessage.objects.get(template="booking_confirmed")
    assert confirmation.language == "ar" and confirmation.subject.startswith("تم تأكيد الحجز:")
    assert page.context.cookies() == [] or all(c["name"] == "csrftoken" for c in page.context.cookies())
