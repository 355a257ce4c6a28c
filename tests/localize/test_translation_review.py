"""A translation of a page for children goes live only through the safeguarding review, by every route.

wagtail-localize saves translations from its editor's Publish button, "Sync translated pages" (with
"publish"), "Translate this page" and code; each is driven here as its user would, as the English routes
are in tests/security/test_published_only_through_review.py.
"""

import pytest
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from resources.models import ResourcePage
from resources.workflow import EDITORS_GROUP, MODERATORS_GROUP, REVIEWERS_GROUP, SafeguardingReviewRequired
from tests.factories import member_of
from tests.localize.helpers import fill_strings, start_translation, translated_page, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return member_of(EDITORS_GROUP, "editor")


@pytest.fixture
def moderator():
    return member_of(MODERATORS_GROUP, "moderator")


@pytest.fixture
def reviewer():
    return member_of(REVIEWERS_GROUP, "reviewer")


@pytest.fixture
def polish_library():
    return translated_tree("pl")


def workflow_state(page):
    return WorkflowState.objects.filter(
        base_content_type__model="page", object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).first()


def live_title(page):
    return Page.objects.get(pk=page.pk).title


def edit_translation_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def publish_in_editor(client, user, page, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(edit_translation_url(page), {"action": "publish"}, follow=True)


def approve(client, reviewer, page, capture):
    client.force_login(reviewer)
    task_state = workflow_state(page).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    with capture(execute=True):
        return client.post(url, {"comment": "Checked the Polish beside the English."})


def childrens_page_in_polish(polish_library):
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    translation = start_translation(english, "pl")
    fill_strings(translation, {"Trusted adults": "Zaufani dorośli"})
    return english, translation


def test_the_workflow_covers_every_locales_tree(polish_library):
    assert polish_library.get_workflow() is not None
    assert polish_library.get_parent().specific.get_workflow() is not None


def test_a_new_translation_starts_as_a_draft(polish_library):
    english, _translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")
    assert not polish.live
    assert polish.locale.language_code == "pl"


def test_publish_in_the_translation_editor_submits_a_childrens_page_for_review(
    client, polish_library, moderator, reviewer, django_capture_on_commit_callbacks
):
    english, _translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")

    response = publish_in_editor(client, moderator, polish, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "submitted for safeguarding review" in " ".join(str(m) for m in response.context["messages"])
    assert not Page.objects.get(pk=polish.pk).live
    assert workflow_state(polish) is not None, "the translation waits for a safeguarding reviewer"
    assert (
        client.get("/pl/resources/trusted-adults/").status_code != 200
        or "Zaufani" not in client.get("/pl/resources/trusted-adults/").content.decode()
    )

    approve(client, reviewer, polish, django_capture_on_commit_callbacks)
    polish = Page.objects.get(pk=polish.pk)
    assert polish.live and polish.title == "Zaufani dorośli"
    client.logout()
    assert "Zaufani dorośli" in client.get("/pl/resources/trusted-adults/").content.decode()


def test_an_editor_cannot_publish_a_translation_at_all(
    client, polish_library, editor, django_capture_on_commit_callbacks
):
    english, _translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")
    response = publish_in_editor(client, editor, polish, django_capture_on_commit_callbacks)
    assert response.status_code in (200, 403)
    assert not Page.objects.get(pk=polish.pk).live


def test_syncing_a_live_childrens_translation_leaves_the_live_page_alone(
    client, polish_library, moderator, reviewer, django_capture_on_commit_callbacks
):
    english, translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")
    publish_in_editor(client, moderator, polish, django_capture_on_commit_callbacks)
    approve(client, reviewer, polish, django_capture_on_commit_callbacks)
    assert live_title(polish) == "Zaufani dorośli"

    # The English changes (reviewed) and a moderator syncs the translations with "publish" ticked.
    english = ResourcePage.objects.get(pk=english.pk)
    english.title = "Trusted adults you can tell"
    english.save_revision().publish()
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[translation.source.pk]),
            {"publish_translations": "on"},
        )
    assert response.status_code == 302
    assert live_title(polish) == "Zaufani dorośli", "visitors still see the reviewed translation"
    assert workflow_state(polish) is not None

    # The translator translates the new title and publishes: the reviewer approves it.
    translation.refresh_from_db()
    fill_strings(translation, {"Trusted adults you can tell": "Zaufani dorośli, którym możesz powiedzieć"})
    publish_in_editor(client, moderator, polish, django_capture_on_commit_callbacks)
    assert live_title(polish) == "Zaufani dorośli"
    approve(client, reviewer, polish, django_capture_on_commit_callbacks)
    assert live_title(polish) == "Zaufani dorośli, którym możesz powiedzieć"


def test_code_saving_a_translation_for_a_user_cannot_publish_it(
    polish_library, moderator, django_capture_on_commit_callbacks
):
    english, translation = childrens_page_in_polish(polish_library)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=moderator, publish=True)
    polish = translated_page(english, "pl")
    assert not Page.objects.get(pk=polish.pk).live
    assert workflow_state(polish) is not None


def test_bulk_publish_of_a_translation_is_refused(
    client, polish_library, moderator, django_capture_on_commit_callbacks
):
    english, translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}?id={polish.pk}&next=/admin/pages/", {}, follow=True)
    assert "safeguarding reviewer" in " ".join(str(m) for m in response.context["messages"])
    assert not Page.objects.get(pk=polish.pk).live


def test_a_reviewer_publishes_a_translation_directly_under_their_name(
    client, polish_library, reviewer, django_capture_on_commit_callbacks
):
    english, _translation = childrens_page_in_polish(polish_library)
    polish = translated_page(english, "pl")
    publish_in_editor(client, reviewer, polish, django_capture_on_commit_callbacks)
    polish = Page.objects.get(pk=polish.pk)
    assert polish.live
    assert polish.live_revision.user == reviewer or polish.get_latest_revision().user == reviewer


def test_a_translation_for_parents_publishes_as_before(
    client, polish_library, moderator, django_capture_on_commit_callbacks
):
    english = make_resource("Talking about online life", slug="talking", audiences=("parents-carers",))
    english.save_revision().publish()
    translation = start_translation(english, "pl")
    fill_strings(translation, {"Talking about online life": "Rozmowa o życiu w sieci"})
    polish = translated_page(english, "pl")
    publish_in_editor(client, moderator, polish, django_capture_on_commit_callbacks)
    polish = Page.objects.get(pk=polish.pk)
    assert polish.live and polish.title == "Rozmowa o życiu w sieci"


def test_publishing_a_translations_revision_directly_needs_a_reviewer(polish_library, moderator, reviewer):
    # Scheduled publishing, revert and any code calling Wagtail's publish pass the same guard.
    english, translation = childrens_page_in_polish(polish_library)
    translation.save_target(user=None, publish=False)
    polish = translated_page(english, "pl")
    revision = polish.get_latest_revision()
    with pytest.raises(SafeguardingReviewRequired):
        revision.publish(user=moderator)
    assert not Page.objects.get(pk=polish.pk).live
    revision.publish(user=reviewer)
    assert Page.objects.get(pk=polish.pk).live
