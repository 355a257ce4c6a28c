"""On a 390 px phone nothing on the booking pages is wider than the screen: a long unbroken name wraps, and
the invitation's table of sessions fits without sideways scrolling."""

import pytest

from campaigns.bookings import services as bookings
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking
from tests.factories import OrganisationFactory
from tests.resources.helpers import ensure_site
from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
LONG_NAME = "Abcdefghij" * 6  # 60 characters without a space

WIDEST = """() => Math.max(
    document.documentElement.scrollWidth,
    ...Array.from(document.querySelectorAll("main *")).map(el => el.getBoundingClientRect().right)
)"""


def test_a_long_unbroken_name_does_not_widen_the_booking_manage_page(phone_page):
    ensure_site()
    campaign, session = campaign_with_session(capacity=60)
    school = OrganisationFactory(name=LONG_NAME)
    booking = bookings.book_places(
        **school_booking(session, campaign, organisation=school, booker_name=LONG_NAME, booker_role=LONG_NAME)
    )
    phone_page.goto(f"/bookings/{booking.manage_token}/")
    save_screenshot(phone_page, "phone-booking-manage-long-name")
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH


def test_the_invitation_table_fits_a_phone(phone_page):
    ensure_site()
    campaign, session = campaign_with_session(capacity=60)
    session.venue.name = "Stanford-le-Hope Community Centre, Main Hall"
    session.venue.save()
    invitation = invitation_for(campaign, organisation=OrganisationFactory(name=LONG_NAME))
    phone_page.goto(f"/invitation/{invitation.token}/")
    save_screenshot(phone_page, "phone-invitation")
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH
    table = phone_page.locator("main table").first
    assert table.evaluate("el => el.scrollWidth <= el.parentElement.clientWidth")
    # Each session reads as labelled lines, and its button is one line, not a letter a line.
    places = table.locator("td[data-label='Places left']").first
    assert places.evaluate("el => getComputedStyle(el).display") == "block"
    assert "Places left" in places.evaluate("el => getComputedStyle(el, '::before').content")
    book = phone_page.get_by_role("link", name="Book Walk Online")
    assert book.bounding_box()["height"] < 50
