"""The safeguarding reviewer reviews a translation with each English string beside its translation."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from campaigns.roles import CAMPAIGN_STAFF
from resources.workflow import MODERATORS_GROUP, REVIEWERS_GROUP
from tests.factories import member_of
from tests.localize.helpers import fill_strings, start_translation, translated_page, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return member_of(MODERATORS_GROUP, "moderator")


@pytest.fixture
def reviewer():
    return member_of(REVIEWERS_GROUP, "reviewer")


def review_url(page):
    return reverse("resources_translation_review", args=[page.pk])


def childrens_page_in(code, words, title="Trusted adults"):
    translated_tree(code)
    english = Page.objects.filter(slug="trusted-adults", locale__language_code="en-gb").first()
    if english is None:
        english = make_resource(title, slug="trusted-adults", audiences=("8-10",))
        english.save_revision().publish()
    translation = start_translation(english, code)
    fill_strings(translation, words)
    return english, translation, translated_page(english, code)


def submitted_for_review(moderator, translation, capture):
    with capture(execute=True):
        translation.save_target(user=moderator, publish=True)


def test_the_reviewer_sees_each_english_string_beside_its_translation(
    client, moderator, reviewer, django_capture_on_commit_callbacks
):
    english, translation, polish = childrens_page_in("pl", {"Trusted adults": "Zaufani dorośli"})
    submitted_for_review(moderator, translation, django_capture_on_commit_callbacks)

    client.force_login(reviewer)
    response = client.get(review_url(polish))
    assert response.status_code == 200
    text = response.content.decode()
    english_cell = text.index('<td lang="en" dir="ltr">Trusted adults</td>')
    polish_cell = text.index('<td lang="pl" dir="ltr">Zaufani dorośli</td>')
    assert english_cell < polish_cell, "the English string and its translation sit side by side"
    assert "Up to date" in text
    assert f"English revision {english.get_latest_revision().pk}" in text


def test_the_review_links_from_the_dashboard_and_the_page(
    client, moderator, reviewer, django_capture_on_commit_callbacks
):
    _english, translation, polish = childrens_page_in("pl", {"Trusted adults": "Zaufani dorośli"})
    submitted_for_review(moderator, translation, django_capture_on_commit_callbacks)
    client.force_login(reviewer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Translations awaiting your review" in dashboard
    assert review_url(polish) in dashboard
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[polish.pk])).content.decode()
    assert review_url(polish) in editor


def test_the_review_says_when_the_english_has_changed_since(
    client, moderator, reviewer, django_capture_on_commit_callbacks
):
    english, translation, polish = childrens_page_in("pl", {"Trusted adults": "Zaufani dorośli"})
    submitted_for_review(moderator, translation, django_capture_on_commit_callbacks)
    english = english.specific
    english.title = "Trusted adults you can tell"
    english.save_revision().publish()

    client.force_login(reviewer)
    text = client.get(review_url(polish)).content.decode()
    assert "Out of date: the English has changed since" in text


def test_strings_not_yet_translated_are_listed(client, moderator, reviewer):
    translated_tree("pl")
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    start_translation(english, "pl")  # nothing translated yet
    polish = translated_page(english, "pl")

    client.force_login(moderator)
    text = client.get(review_url(polish)).content.decode()
    assert "Not translated yet (" in text
    assert '<span lang="en">Trusted adults</span>' in text


def test_a_right_to_left_translation_is_marked_so(client, moderator):
    _english, _translation, arabic = childrens_page_in("ar", {"Trusted adults": "بالغون موثوقون"})
    client.force_login(moderator)
    text = client.get(review_url(arabic)).content.decode()
    assert '<td lang="ar" dir="rtl">بالغون موثوقون</td>' in text


def test_someone_without_permission_on_the_page_is_refused(client):
    _english, _translation, polish = childrens_page_in("pl", {"Trusted adults": "Zaufani dorośli"})
    client.force_login(member_of(CAMPAIGN_STAFF, "campaigner"))
    response = client.get(review_url(polish))
    assert response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] != review_url(polish)
    )
    assert "Zaufani" not in response.content.decode()


def test_a_missing_page_is_not_found(client, moderator):
    client.force_login(moderator)
    assert client.get(reverse("resources_translation_review", args=[999999])).status_code == 404


def test_an_english_page_says_it_is_not_a_translation(client, moderator):
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    client.force_login(moderator)
    response = client.get(review_url(english))
    assert response.status_code == 200
    assert "This page is not a translation: it is the English page" in response.content.decode()
