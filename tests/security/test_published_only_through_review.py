"""Nothing for children goes live unreviewed, by any route: each route driven through the admin as its user.

A page for children is any page whose audience (or age band, or year group) is a child band: resource pages
and event pages alike. Only a safeguarding reviewer's approval puts one live; a page that passed review,
and anything for adults, publishes as before.
"""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cms.models import StandardPage
from events.models import EventPage
from resources.models import ResourcePage
from resources.workflow import EDITORS_GROUP, MODERATORS_GROUP, REVIEWERS_GROUP, is_for_children
from tests.factories import EventPageFactory, event_index, home_page
from tests.resources.helpers import library, make_document, make_image, make_resource
from tests.resources.test_review_workflow import page_form

pytestmark = pytest.mark.django_db

GO_LIVE_FORMAT = "%Y-%m-%d %H:%M"


def member_of(django_user_model, group, username):
    user = django_user_model.objects.create_user(username=username, email=f"{username}@example.org")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return member_of(django_user_model, EDITORS_GROUP, "editor")


@pytest.fixture
def moderator(django_user_model):
    return member_of(django_user_model, MODERATORS_GROUP, "moderator")


@pytest.fixture
def reviewer(django_user_model):
    return member_of(django_user_model, REVIEWERS_GROUP, "reviewer")


def as_user(client, user):
    client.force_login(user)
    return client


def add_resource(client, user, title, slug, audiences, **actions):
    url = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", library().pk])
    response = client.post(url, page_form(title, slug, audiences, **actions))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ResourcePage.objects.get(slug=slug)


def edit_resource(client, page, title, audiences, revision=None, **actions):
    if revision is None:
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    else:
        url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])
    return client.post(url, page_form(title, page.slug, audiences, **actions))


def reviewed_childrens_page(client, editor, reviewer, title="Trusted adults", slug="trusted", band="8-10"):
    """Written by an editor, submitted, approved by a safeguarding reviewer: live."""
    as_user(client, editor)
    page = add_resource(client, editor, title, slug, [band], **{"action-submit": "1"})
    approve(client, reviewer, page)
    page = ResourcePage.objects.get(pk=page.pk)
    assert page.live
    return page


def workflow_state(page):
    return WorkflowState.objects.filter(base_content_type__model="page", object_id=str(page.pk)).first()


def approve(client, user, page):
    as_user(client, user)
    task_state = workflow_state(page).current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": "Checked."})


def bulk(client, action, pages, **data):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    ids = "&".join(f"id={page.pk}" for page in pages)
    return client.post(f"{url}?{ids}&next=/admin/pages/", data, follow=True)


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


def live_audiences(page):
    return ResourcePage.objects.get(pk=page.pk).audience_slugs()


def in_the_future(**delta):
    return timezone.localtime(timezone.now() + datetime.timedelta(**delta)).strftime(GO_LIVE_FORMAT)


def publish_scheduled_two_hours_later(monkeypatch):
    """Run `manage.py publish_scheduled` as the scheduler would once the go-live dates have passed."""
    later = timezone.now() + datetime.timedelta(hours=2)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")


def png_file(name="new.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (32, 32), "#c00").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# The rule ------------------------------------------------------------------------------------------------


def test_one_rule_reads_who_a_page_of_any_type_is_for():
    assert is_for_children(make_resource(audiences=("8-10",)))
    assert is_for_children(make_resource(audiences=("parents-carers",), year_groups=["Y5"]))
    assert not is_for_children(make_resource(audiences=("parents-carers", "professionals")))
    assert is_for_children(EventPage(title="Assembly", audience="4-7"))
    assert not is_for_children(EventPage(title="Briefing", audience="professionals"))
    assert not is_for_children(StandardPage(title="About"))


# Single publish ------------------------------------------------------------------------------------------


def test_a_moderator_cannot_publish_a_page_for_children_directly(client, editor, moderator, reviewer):
    waiting = add_resource(
        as_user(client, editor), editor, "Secrets", "secrets", ["4-7"], **{"action-submit": "1"}
    )
    as_user(client, moderator)
    edit_resource(client, waiting, "Secrets", ["4-7"], **{"action-publish": "1"})
    assert not Page.objects.get(pk=waiting.pk).live
    assert workflow_state(waiting).status == WorkflowState.STATUS_IN_PROGRESS

    # Nor by taking the child band off a reviewed live page: children would see the unreviewed version.
    page = reviewed_childrens_page(client, editor, reviewer)
    as_user(client, moderator)
    response = edit_resource(client, page, "Something else", ["parents-carers"], **{"action-publish": "1"})
    assert response.status_code == 302
    assert live_audiences(page) == {"8-10"}
    assert Page.objects.get(pk=page.pk).title == "Trusted adults"


# Bulk publish --------------------------------------------------------------------------------------------


def test_bulk_publish_does_not_put_a_page_waiting_for_review_live(client, editor, moderator):
    page = add_resource(
        as_user(client, editor), editor, "Secrets", "secrets", ["4-7"], **{"action-submit": "1"}
    )
    response = bulk(as_user(client, moderator), "publish", [page])
    assert "safeguarding reviewer" in messages_of(response)
    assert not Page.objects.get(pk=page.pk).live
    assert workflow_state(page).status == WorkflowState.STATUS_IN_PROGRESS, "the review is not cancelled"
    assert client.get("/resources/secrets/").status_code == 404


# Scheduled publishing ------------------------------------------------------------------------------------


def test_a_go_live_date_does_not_schedule_a_page_for_children_past_review(
    client, editor, moderator, monkeypatch
):
    as_user(client, editor)
    page = add_resource(client, editor, "Secrets", "secrets", ["4-7"], go_live_at=in_the_future(hours=1))
    assert page.go_live_at is not None
    bulk(as_user(client, moderator), "publish", [page])

    publish_scheduled_two_hours_later(monkeypatch)
    assert not Page.objects.get(pk=page.pk).live
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()


def test_publish_scheduled_withdraws_a_schedule_no_reviewer_approved(client, editor, moderator, monkeypatch):
    # A schedule left on a revision of a page for children without a review (as the old bulk route left them).
    as_user(client, editor)
    page = add_resource(client, editor, "Secrets", "secrets", ["4-7"], go_live_at=in_the_future(hours=1))
    Revision.objects.filter(pk=page.latest_revision_id).update(approved_go_live_at=page.go_live_at)
    # And a page for parents a moderator scheduled: it still goes live in the same run.
    as_user(client, moderator)
    guide = add_resource(
        client,
        moderator,
        "Guide",
        "guide",
        ["parents-carers"],
        go_live_at=in_the_future(hours=1),
        **{"action-publish": "1"},
    )
    assert not Page.objects.get(pk=guide.pk).live

    publish_scheduled_two_hours_later(monkeypatch)
    assert not Page.objects.get(pk=page.pk).live
    assert Revision.objects.get(pk=page.latest_revision_id).approved_go_live_at is None
    assert PageLogEntry.objects.filter(page=page, action="wagtail.schedule.cancel").exists()
    assert Page.objects.get(pk=guide.pk).live


# Copy and publish ----------------------------------------------------------------------------------------


def copy_form(page, slug, **options):
    return {
        "new_title": f"Copy of {page.title}",
        "new_slug": slug,
        "new_parent_page": library().pk,
        **options,
    }


def test_a_copy_of_a_page_for_children_is_not_published_without_review(client, editor, moderator, reviewer):
    page = reviewed_childrens_page(client, editor, reviewer)
    as_user(client, moderator)
    url = reverse("wagtailadmin_pages:copy", args=[page.pk])
    response = client.post(url, copy_form(page, "copy-live", publish_copies="on"), follow=True)
    assert "safeguarding reviewer" in messages_of(response)
    assert not Page.objects.filter(slug="copy-live").exists()
    client.post(url, copy_form(page, "alias-live", alias="on"))
    assert not Page.objects.filter(slug="alias-live").exists()

    # A copy left as a draft is fine: it goes to review like any new page.
    client.post(url, copy_form(page, "copy-draft"))
    assert not Page.objects.get(slug="copy-draft").live


# Move ----------------------------------------------------------------------------------------------------


def test_a_live_page_for_children_is_not_moved_to_a_new_place_without_review(client, moderator, reviewer):
    event = EventPageFactory(title="Walk Online roadshow")  # for 8-10 year olds, live
    about = StandardPage(title="About", slug="about")
    home_page().add_child(instance=about)
    whats_on = event_index()
    url = reverse("wagtailadmin_pages:move_confirm", args=[whats_on.pk, about.pk])

    as_user(client, moderator).post(url)
    assert Page.objects.get(pk=whats_on.pk).get_parent().pk == home_page().pk
    assert Page.objects.get(pk=event.pk).url_path == "/home/events/" + event.slug + "/"

    as_user(client, reviewer).post(url)
    assert Page.objects.get(pk=whats_on.pk).get_parent().pk == about.pk


# Revert --------------------------------------------------------------------------------------------------


def test_reverting_a_page_for_children_to_an_old_version_needs_review(client, moderator, reviewer):
    # First a parents' guide, then rewritten for 4-7 year olds and published by a reviewer.
    page = add_resource(
        as_user(client, moderator), moderator, "Guide", "guide", ["parents-carers"], **{"action-publish": "1"}
    )
    old_revision = Page.objects.get(pk=page.pk).live_revision
    as_user(client, reviewer)
    edit_resource(client, page, "Kind hands", ["4-7"], **{"action-publish": "1"})
    assert live_audiences(page) == {"4-7"}

    as_user(client, moderator)
    edit_resource(client, page, "Guide", ["parents-carers"], revision=old_revision, **{"action-publish": "1"})
    assert live_audiences(page) == {"4-7"}
    assert Page.objects.get(pk=page.pk).title == "Kind hands"


# Unpublish, then publish again ---------------------------------------------------------------------------


def test_an_unpublished_page_for_children_is_not_republished_with_unreviewed_changes(
    client, editor, moderator, reviewer
):
    page = reviewed_childrens_page(client, editor, reviewer)
    as_user(client, moderator)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert not Page.objects.get(pk=page.pk).live
    edit_resource(client, page, "Trusted adults, rewritten", ["8-10"])  # a draft: fine

    edit_resource(client, page, "Trusted adults, rewritten", ["8-10"], **{"action-publish": "1"})
    bulk(client, "publish", [page])
    assert not Page.objects.get(pk=page.pk).live


# Event pages ---------------------------------------------------------------------------------------------


def event_form(title, slug, audience, **actions):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "kind": "pupil-roadshow",
            "audience": audience,
            "description": rich_text(""),
            "what_to_bring": "",
            "booking_mode": "organisation",
            "max_guests_per_booking": 0,
            "materials": inline_formset([]),
            **actions,
        }
    )


def test_an_event_page_for_children_waits_for_a_safeguarding_reviewer(client, editor, moderator, reviewer):
    add_url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", event_index().pk])
    as_user(client, moderator).post(
        add_url, event_form("Roadshow", "roadshow", "8-10", **{"action-publish": "1"})
    )
    assert not EventPage.objects.get(slug="roadshow").live

    as_user(client, editor).post(add_url, event_form("Assembly", "assembly", "4-7", **{"action-submit": "1"}))
    event = EventPage.objects.get(slug="assembly")
    assert workflow_state(event).current_task_state.task.name == "Safeguarding review"
    approve(client, moderator, event)
    assert not Page.objects.get(pk=event.pk).live
    approve(client, reviewer, event)
    assert Page.objects.get(pk=event.pk).live

    # An event for parents is moderated and published by moderators as before.
    as_user(client, moderator).post(
        add_url, event_form("Parents' evening", "parents", "parents-carers", **{"action-publish": "1"})
    )
    assert EventPage.objects.get(slug="parents").live


# Images and documents ------------------------------------------------------------------------------------


def test_the_image_behind_a_page_for_children_is_replaced_only_by_a_reviewer(client, editor, reviewer):
    image = make_image("Hands")
    make_resource("Kind hands", audiences=("4-7",), image=image)
    original = image.file.name
    url = reverse("wagtailimages:edit", args=[image.pk])

    response = as_user(client, editor).post(url, {"title": "Hands", "file": png_file(), "tags": ""})
    assert response.status_code == 200
    assert "safeguarding reviewer" in response.content.decode()
    image.refresh_from_db()
    assert image.file.name == original

    assert as_user(client, editor).post(url, {"title": "Hands, renamed", "tags": ""}).status_code == 302
    assert (
        as_user(client, reviewer).post(url, {"title": "Hands", "file": png_file(), "tags": ""}).status_code
        == 302
    )
    image.refresh_from_db()
    assert image.file.name != original


def test_the_document_behind_a_page_for_children_is_replaced_only_by_a_reviewer(client, editor, reviewer):
    document = make_document("Lesson plan", b"The reviewed lesson.")
    make_resource(
        "Kind hands",
        audiences=("4-7",),
        body=[("download", {"document": document, "label": "Lesson plan", "description": ""})],
    )
    url = reverse("wagtaildocs:edit", args=[document.pk])

    new_file = SimpleUploadedFile("lesson.txt", b"Something else.")
    response = as_user(client, editor).post(url, {"title": "Lesson plan", "file": new_file, "tags": ""})
    assert response.status_code == 200
    assert "safeguarding reviewer" in response.content.decode()
    document.refresh_from_db()
    assert document.file.read() == b"The reviewed lesson."

    new_file = SimpleUploadedFile("lesson.txt", b"A reviewed change.")
    response = as_user(client, reviewer).post(url, {"title": "Lesson plan", "file": new_file, "tags": ""})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.file.read() == b"A reviewed change."


def test_files_used_only_by_pages_for_adults_are_replaced_as_before(client, editor):
    image = make_image("Parents")
    make_resource("For parents", audiences=("parents-carers",), image=image)
    original = image.file.name
    response = as_user(client, editor).post(
        reverse("wagtailimages:edit", args=[image.pk]), {"title": "Parents", "file": png_file(), "tags": ""}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name != original


# What still publishes normally ---------------------------------------------------------------------------


def test_reviewed_pages_for_children_and_pages_for_adults_publish_normally(
    client, editor, moderator, reviewer
):
    page = reviewed_childrens_page(client, editor, reviewer)
    assert client.get("/resources/trusted/").status_code == 200

    # Unpublished and published again unchanged: it is still the version the reviewer approved.
    as_user(client, moderator)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    bulk(client, "publish", [page])
    assert Page.objects.get(pk=page.pk).live

    # A reviewer publishes directly; moderators publish and approve material for adults.
    add_resource(
        as_user(client, reviewer), reviewer, "Consent", "consent", ["14-18"], **{"action-publish": "1"}
    )
    assert Page.objects.get(slug="consent").live
    add_resource(
        as_user(client, moderator),
        moderator,
        "Drivers",
        "drivers",
        ["professionals"],
        **{"action-publish": "1"},
    )
    assert Page.objects.get(slug="drivers").live
    guide = add_resource(
        as_user(client, editor), editor, "Guide", "guide", ["parents-carers"], **{"action-submit": "1"}
    )
    approve(client, moderator, guide)
    assert Page.objects.get(pk=guide.pk).live
    bulk(as_user(client, moderator), "publish", [guide])
    assert Page.objects.get(pk=guide.pk).live


def test_a_schedule_a_reviewer_approved_goes_live_when_due(client, editor, reviewer, monkeypatch):
    as_user(client, editor)
    page = add_resource(
        client,
        editor,
        "Secrets",
        "secrets",
        ["4-7"],
        go_live_at=in_the_future(hours=1),
        **{"action-submit": "1"},
    )
    approve(client, reviewer, page)
    assert not Page.objects.get(pk=page.pk).live
    assert Revision.objects.filter(approved_go_live_at__isnull=False).count() == 1

    publish_scheduled_two_hours_later(monkeypatch)
    assert Page.objects.get(pk=page.pk).live


def test_scheduled_publishing_runs_from_the_scheduler():
    from django.conf import settings

    from cms.celery import app

    app.loader.import_default_modules()
    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "resources.publish_scheduled" in entries
    assert "resources.publish_scheduled" in app.tasks
