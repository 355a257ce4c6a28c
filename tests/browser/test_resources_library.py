"""The library in a real browser: WCAG checks with axe-core on each public page type, and the quick exit."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.resources.helpers import ensure_site, make_document, make_image, make_resource
from tests.support.browser import login, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


@pytest.fixture
def library_pages():
    ensure_site()  # a transactional test before this one may have emptied the database
    document = make_document()
    resource = make_resource(
        "Friends online and offline",
        audiences=["8-10"],
        topics=["gaming-and-chat"],
        image=make_image(),
        summary="Someone you meet in a game is not the same as a friend you know.",
        delivery_formats=["classroom"],
        body=[
            {"type": "text", "value": "<p>Tell an adult you trust.</p>"},
            {
                "type": "talk_about_it",
                "value": {"heading": "Talk about it", "questions": ["Who could you tell?"]},
            },
            {"type": "download", "value": {"document": document.pk, "label": "Lesson plan"}},
            {
                "type": "callout",
                "value": {"kind": "help", "heading": "Get help", "text": "<p>Call 0800 1111.</p>"},
            },
        ],
    )
    return ["/", "/resources/?age=8-10", resource.url, "/search/?query=friends", "/no-such-page/"]


def test_public_pages_pass_wcag_aa_checks(page, library_pages):
    axe = Axe()
    for path in library_pages:
        page.goto(path)
        results = axe.run(page, options=WCAG_AA)
        assert results.violations_count == 0, f"{path}\n{results.generate_report()}"
    save_screenshot(page, "library-not-found")


def test_quick_exit_button_on_a_resource_leaves_without_a_way_back(phone_page, library_pages):
    phone_page.route(
        "https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body="<h1>Weather</h1>")
    )
    phone_page.goto(library_pages[2])
    save_screenshot(phone_page, "resource-on-a-phone")
    phone_page.get_by_role("link", name="Leave this site quickly").click()
    phone_page.wait_for_url("https://www.bbc.co.uk/**")
    phone_page.go_back()
    assert "Friends online and offline" not in phone_page.content()
