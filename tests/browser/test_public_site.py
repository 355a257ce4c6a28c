"""The public site in a real browser: help is always visible, and the quick exit leaves for good."""

import pytest

from tests.support.browser import login, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_help_and_quick_exit_leaves_without_a_way_back(page):
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body="<h1>Weather</h1>"))
    page.goto("/")
    banner = page.get_by_role("complementary", name="Worried about a child?")
    assert "0808 800 5000" in banner.inner_text()
    save_screenshot(page, "home-page")

    page.keyboard.press("Escape")
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.go_back()
    assert "Worried about a child?" not in page.content()
