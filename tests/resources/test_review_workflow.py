"""The "Safeguarding review" workflow, driven through the Wagtail admin as editors and reviewers would."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from resources.models import ResourcePage
from resources.workflow import EDITORS_GROUP, MODERATORS_GROUP, REVIEWERS_GROUP, ensure_editorial_workflow
from tests.resources.helpers import library

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def member_of(django_user_model, group, username):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="password"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return member_of(django_user_model, EDITORS_GROUP, "ed")


@pytest.fixture
def reviewer(django_user_model):
    return member_of(django_user_model, REVIEWERS_GROUP, "rev")


@pytest.fixture
def moderator(django_user_model):
    return member_of(django_user_model, MODERATORS_GROUP, "mod")


def page_form(title, slug, audiences, **actions):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": f"About {title}.",
            "body": streamfield([]),
            "related_links": inline_formset([]),
            **actions,
        }
    )
    return {**data, "audiences": audiences, "delivery_formats": ["classroom"]}


def create_as(client, user, title, slug, audiences, **actions):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", library().pk])
    response = client.post(url, page_form(title, slug, audiences, **actions))
    assert response.status_code == 302, (
        response.context["form"].errors.as_text() if response.context else response
    )
    return ResourcePage.objects.get(slug=slug)


def current_task_state(page):
    return WorkflowState.objects.get(
        base_content_type__model="page", object_id=str(page.pk)
    ).current_task_state


def approve_as(client, user, page):
    client.force_login(user)
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "Checked."})


def test_childrens_page_waits_for_a_safeguarding_reviewer(client, editor, reviewer):
    page = create_as(client, editor, "Secrets and surprises", "secrets", ["4-7"], **{"action-submit": "1"})
    page.refresh_from_db()
    assert not page.live
    assert current_task_state(page).task.name == "Safeguarding review"
    assert client.get("/resources/secrets/").status_code == 404

    response = approve_as(client, reviewer, page)
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get("/resources/secrets/").status_code == 200


def test_a_moderator_cannot_approve_childrens_material(client, editor, moderator):
    page = create_as(client, editor, "Friends online", "friends", ["8-10"], **{"action-submit": "1"})
    response = approve_as(client, moderator, page)
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live


def test_adult_material_goes_through_editor_moderation(client, editor, moderator):
    page = create_as(client, editor, "For parents", "parents", ["parents-carers"], **{"action-submit": "1"})
    assert current_task_state(page).task.name == "Editor moderation"
    approve_as(client, moderator, page)
    page.refresh_from_db()
    assert page.live


def test_an_editor_cannot_bypass_review_with_publish(client, editor):
    page = create_as(client, editor, "Trusted adults", "trusted", ["8-10"], **{"action-publish": "1"})
    page.refresh_from_db()
    assert not page.live
    assert client.get("/resources/trusted/").status_code == 404


def test_the_publish_guard_stops_a_publisher_who_is_not_a_reviewer(client, django_user_model):
    # Moderators can publish (they approve adult material) but never children's material directly.
    publisher = member_of(django_user_model, MODERATORS_GROUP, "publisher")
    client.force_login(publisher)
    url = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", library().pk])
    client.post(url, page_form("Consent", "consent", ["14-18"], **{"action-publish": "1"}))
    assert not ResourcePage.objects.get(slug="consent").live
    assert client.get("/resources/consent/").status_code == 404
    client.post(url, page_form("Adults", "adults", ["professionals"], **{"action-publish": "1"}))
    assert ResourcePage.objects.get(slug="adults").live


def test_setting_up_the_workflow_twice_changes_nothing():
    from wagtail.models import GroupPagePermission, Task, Workflow, WorkflowTask

    def state():
        return (
            Group.objects.count(),
            Task.objects.count(),
            Workflow.objects.count(),
            WorkflowTask.objects.count(),
            GroupPagePermission.objects.count(),
        )

    before = state()
    ensure_editorial_workflow()
    assert state() == before
    assert not GroupPagePermission.objects.filter(
        group__name=EDITORS_GROUP, permission__codename="publish_page"
    ).exists()


def test_a_moderator_cannot_publish_a_child_band_by_editing_live_adult_material(client, django_user_model):
    moderator = member_of(django_user_model, MODERATORS_GROUP, "mod2")
    page = create_as(
        client, moderator, "For parents", "for-parents", ["parents-carers"], **{"action-publish": "1"}
    )
    page.refresh_from_db()
    assert page.live and page.audience_slugs() == {"parents-carers"}

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(
        url, page_form("For parents", "for-parents", ["parents-carers", "8-10"], **{"action-publish": "1"})
    )
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.audience_slugs() == {"parents-carers"}, "the live page still has only its approved audience"
    assert page.has_unpublished_changes
