"""axe-core in Chromium on the booking flow and What's on: no serious or critical accessibility problems."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.campaigns.factories_bookings import campaign_with_session, invitation_for
from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def serious_problems(page):
    results = Axe().run(page, options=WCAG)
    problems = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in problems
    ]


def test_booking_flow_and_whats_on_have_no_serious_accessibility_problems(page, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session(capacity=90)
    invitation = invitation_for(campaign)
    checked = {}

    page.goto(f"/invitation/{invitation.token}/")
    checked["invitation"] = serious_problems(page)
    page.get_by_role("link", name=re.compile("^Book")).first.click()
    checked["booking form"] = serious_problems(page)

    # A form sent back with errors must still be accessible (errors tied to their fields).
    page.get_by_role("button", name="Book places").click()
    checked["booking form with errors"] = serious_problems(page)

    page.get_by_label("Pupils").fill("30")
    page.get_by_label("Staff").fill("2")
    page.get_by_label("Your name").fill("Sam Teacher")
    page.get_by_label("Your email address").fill("sam@school.example.org")
    page.get_by_role("button", name="Book places").click()
    page.get_by_role("heading", name="Booking confirmed").wait_for()
    checked["confirmation"] = serious_problems(page)
    page.get_by_role("link", name="View, change or cancel this booking").click()
    checked["manage booking"] = serious_problems(page)

    page.goto("/events/")
    checked["what's on"] = serious_problems(page)
    page.goto(session.event.url)
    checked["event page"] = serious_problems(page)
    save_screenshot(page, "accessibility-event-page")

    assert {name: found for name, found in checked.items() if found} == {}
