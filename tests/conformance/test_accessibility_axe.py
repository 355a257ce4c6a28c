"""axe-core (every rule it runs by default, any impact) finds nothing on the public pages of the demo, on
a phone (390 px) and on a laptop (1366 px)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "home",
    "library",
    "library-filtered",
    "resource-walk-online-year-5",
    "resource-parental-controls-guide",
    "search",
    "whats-on",
    "event",
    "booking-form",
    "manage-booking",
    "verify",
    "verify-result",
]
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}


def violations(tab, axe):
    found = axe.run(tab).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found
    ]


def test_public_pages_have_no_accessibility_violations(browser, live_server, demo_site):
    axe = Axe()
    pages = demo_site["pages"]
    invitation, session = demo_site["invitation"], demo_site["session"]
    problems = {}
    for size, (width, height) in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=width < 500,
            has_touch=width < 500,
        )
        tab = context.new_page()
        for name in PAGES:
            response = tab.goto(pages[name])
            assert response.ok, (name, response.status)
            problems[f"{name} @ {width}px"] = violations(tab, axe)
        # The booking form sent back with its errors.
        tab.goto(f"/invitation/{invitation.token}/sessions/{session.pk}/book/")
        tab.get_by_role("button", name="Book places").click()
        tab.locator("[aria-invalid=true]").first.wait_for()
        problems[f"booking form with errors @ {width}px"] = violations(tab, axe)
        save_screenshot(tab, f"axe-booking-errors-{size}")
        context.close()
    problems = {name: found for name, found in problems.items() if found}
    print(f"axe-core: {sum(map(len, problems.values()))} violations")
    assert problems == {}


def test_right_to_left_pages_have_no_accessibility_violations(browser, live_server, demo_site):
    """The Arabic shell (right to left) on a phone and a laptop: home, the library, What's on and a booking form."""
    axe = Axe()
    pages = demo_site["pages"]
    problems = {}
    for size, (width, height) in WIDTHS.items():
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        tab = context.new_page()
        for name in ("home", "library", "whats-on", "booking-form"):
            response = tab.goto("/ar" + pages[name])
            assert response.ok, (name, response.status)
            assert tab.locator("html").get_attribute("dir") == "rtl"
            problems[f"/ar {name} @ {width}px"] = violations(tab, axe)
        save_screenshot(tab, f"axe-arabic-booking-{size}")
        context.close()
    problems = {name: found for name, found in problems.items() if found}
    assert problems == {}
