"""A parent finds material for 8–10 year olds, narrows it with a filter and a search, and leaves quickly."""

import pytest

from tests.resources.helpers import ensure_site, make_resource
from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def materials():
    ensure_site()  # a transactional test before this one may have emptied the database
    return {
        "gaming": make_resource(
            "Friends you meet in games",
            audiences=["8-10"],
            topics=["gaming-and-chat"],
            summary="Someone you only know from a game is still a stranger.",
            body=[
                {"type": "text", "value": "<p>If a game friend asks for photos, tell an adult you trust.</p>"}
            ],
        ),
        "help": make_resource(
            "Who to tell about a worry",
            audiences=["8-10"],
            topics=["getting-help"],
            summary="The adults you can tell, and Childline on 0800 1111.",
        ),
        "older_gaming": make_resource(
            "Friends, games and sharing images",
            audiences=["14-18"],
            topics=["gaming-and-chat"],
            summary="What to do when someone you met in a game pushes you to share.",
        ),
    }


def result_titles(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_parent_finds_material_for_8_to_10_filters_searches_and_leaves_quickly(page, materials):
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body="<h1>Weather</h1>"))

    # The home page routes each audience to its part of the library.
    page.goto("/")
    page.get_by_role("link", name="Children aged 8–10 (Key Stage 2)").click()
    page.wait_for_url("**/resources/?age=8-10")
    cards = result_titles(page, ".resource-card__title")
    assert sorted(cards) == ["Friends you meet in games", "Who to tell about a worry"]

    # A topic filter narrows the 8–10 list and keeps the age band.
    page.get_by_role("navigation", name="Topic").get_by_role("link", name="Gaming and chat").click()
    page.wait_for_url("**/resources/?*topic=gaming-and-chat*")
    assert "age=8-10" in page.url
    assert result_titles(page, ".resource-card__title") == ["Friends you meet in games"]

    # A search from the box in the header, then narrowed to 8–10 year olds.
    page.get_by_role("search").first.get_by_role("searchbox").fill("friends")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?query=friends*")
    assert sorted(result_titles(page, ".search-results h3")) == [
        "Friends you meet in games",
        "Friends, games and sharing images",
    ]
    page.get_by_role("main").get_by_role("link", name="Children aged 8–10 (Key Stage 2)").click()
    page.wait_for_url("**/search/?*age=8-10*")
    assert "query=friends" in page.url
    assert result_titles(page, ".search-results h3") == ["Friends you meet in games"]

    # Open the resource, then leave with the quick exit: Back does not return to the material.
    page.get_by_role("link", name="Friends you meet in games").click()
    page.wait_for_url(f"**{materials['gaming'].url}")
    assert "tell an adult you trust" in page.content()
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.go_back()
    assert not page.url.endswith(materials["gaming"].url)
    assert "tell an adult you trust" not in page.content()
    save_screenshot(page, "parent-journey-back-after-quick-exit")
