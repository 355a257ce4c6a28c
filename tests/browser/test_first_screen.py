"""On a phone, help is one glance away and the content starts on the first screen; Esc while typing is
typing, not leaving; a cancel button does not look like a save button."""

import pytest

from campaigns.bookings import services as bookings
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking
from tests.resources.helpers import ensure_site, make_resource
from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_HEIGHT = 844


@pytest.fixture
def public_pages():
    ensure_site()
    resource = make_resource("Friends online and offline", audiences=["8-10"], summary="A friend in a game.")
    campaign, session = campaign_with_session(capacity=60)
    invitation = invitation_for(campaign)
    return {
        "home": "/",
        "library": "/resources/",
        "resource": resource.url,
        "booking-form": f"/invitation/{invitation.token}/sessions/{session.pk}/book/",
    }


def test_on_a_phone_content_starts_on_the_first_screen_with_help_in_view(phone_page, public_pages):
    for name, url in public_pages.items():
        phone_page.goto(url)
        save_screenshot(phone_page, f"phone-{name}")
        banner = phone_page.get_by_role("complementary", name="Worried about a child?")
        assert "0808 800 5000" in banner.inner_text() and "0800 1111" in banner.inner_text()
        heading = phone_page.locator("main h1").first.bounding_box()
        # The page's own heading starts in the top half and is whole on the first screen.
        assert heading["y"] < PHONE_HEIGHT / 2 and heading["y"] + heading["height"] < PHONE_HEIGHT, (
            name,
            heading,
        )
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (name, width)


def test_escape_while_typing_in_a_field_does_not_leave_the_site(page, public_pages):
    page.goto("/search/")
    page.locator("main input[name=query]").fill("online")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/search/")


def test_cancel_looks_different_from_save(page, public_pages, django_db_blocker):
    campaign, session = campaign_with_session(capacity=60)
    booking = bookings.book_places(**school_booking(session, campaign))
    page.goto(f"/bookings/{booking.manage_token}/")
    save = page.get_by_role("button", name="Save changes")
    cancel = page.get_by_role("button", name="Cancel booking")
    colour = "el => getComputedStyle(el).backgroundColor"
    assert save.evaluate(colour) != cancel.evaluate(colour)
