"""An editor submits a page for 4–7 year olds in the admin; it is not live until a safeguarding reviewer approves it."""

import pytest
from django.contrib.auth.models import Group

from resources.models import ResourcePage
from resources.workflow import EDITORS_GROUP, REVIEWERS_GROUP
from tests.resources.helpers import ensure_site, library
from tests.support.browser import login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Safe and unsafe secrets"


@pytest.fixture
def staff(django_user_model):
    ensure_site()  # a transactional test before this one may have emptied the database

    def member(username, group_name):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "password")
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return {"editor": member("editor", EDITORS_GROUP), "reviewer": member("reviewer", REVIEWERS_GROUP)}


@pytest.fixture
def new_tab(browser, live_server):
    """Open further tabs, each in its own browser context (its own cookies), closed after the test."""
    contexts = []

    def open_tab():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def test_page_for_4_to_7_year_olds_is_not_live_until_a_safeguarding_reviewer_approves_it(
    page, new_tab, staff
):
    # The editor writes the page in the admin and submits it: they are not offered "Publish".
    login(page, "editor")
    page.goto(f"/admin/pages/add/resources/resourcepage/{library().pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill(
        "A surprise party is a safe secret. A secret that makes you feel worried is not."
    )
    page.get_by_label("Children aged 4–7 (Key Stage 1)").check()
    footer = page.locator("footer")
    assert footer.get_by_role("button", name="Publish").count() == 0
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Submit to Safeguarding review").click()
    page.wait_for_url("**/admin/pages/**")
    assert "submitted" in page.locator(".messages").inner_text().lower()

    resource = ResourcePage.objects.get(title=TITLE)
    assert not resource.live
    public_url = resource.url
    anonymous = new_tab()
    assert anonymous.goto(public_url).status == 404

    # A safeguarding reviewer approves it in the admin, and it goes live.
    reviewer = new_tab()
    login(reviewer, "reviewer")
    reviewer.goto(f"/admin/pages/{resource.pk}/edit/")
    reviewer_footer = reviewer.locator("footer")
    reviewer_footer.get_by_role("button", name="More actions").click()
    with reviewer.expect_navigation():
        reviewer_footer.get_by_role("button", name="Approve and Publish", exact=True).click()
    resource.refresh_from_db()
    assert resource.live

    response = anonymous.goto(public_url)
    assert response.status == 200
    assert anonymous.get_by_role("heading", level=1).inner_text() == TITLE
    save_screenshot(anonymous, "review-journey-live-after-approval")
