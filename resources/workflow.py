"""The "Safeguarding review": nothing aimed at children goes live without a reviewer's approval, by any route.

The rule. `is_for_children(page)` is the one answer to "is this for children?" for every page type, present
and future: it reads the page's own fields, so any field whose choices come from the audience taxonomy
(`Audience`, `AgeBand`, `YearGroup`, a year group counting as its age band) or that relates to the audience
table declares who the page is for. A resource page with the 8-10 band, an event page whose audience is
4-7 and a page with "Year 5" among its year groups are all for children. `needs_safeguarding_review(version)`
adds the version now live: taking the child band off a live children's page (or reverting it to an older
version without one) changes what children see, so it needs a reviewer too.

Who may put such a page live: a safeguarding reviewer ("Safeguarding reviewers") or a superuser, or anyone
publishing a revision that a reviewer has already approved (in the workflow, or by publishing or scheduling
that very revision), so a reviewed page that was unpublished can be published again unchanged.

Where the rule is enforced, lowest point first:

- Every page publish in Wagtail (the create and edit views, reverting, bulk Publish, a finished workflow,
  `publish_scheduled`) runs `PublishPageRevisionAction.check()`. `install_publish_guard()` (run when this
  module is imported, which `resources.models` does, so in every process) makes that check refuse with
  `SafeguardingReviewRequired` before anything changes. A publish with no user is code (migrations, demo
  data) unless it is a scheduled go-live, which needs a reviewer's approval of the revision.
- Scheduled go-lives are checked when scheduled and again when due: this app's `publish_scheduled`
  withdraws a due schedule no reviewer approved before Wagtail's command publishes the rest.
- Copies kept live, aliases and moves to another parent put live pages at a new place without publishing
  a revision: `resources/wagtail_hooks.py` refuses them for pages for children (or sections holding some)
  unless the user can approve, as it refuses bulk Publish and Move up front with a message.
- Images and documents have no workflow: replacing the file behind one that a page for children uses is
  refused to anyone who cannot approve (`resources/forms.py`, Wagtail's image and document form bases).

Routing. One workflow, "Safeguarding review", is assigned to the home page and the tree's root, so every page
on the site, in every language, goes through it (translations: resources/translations.py). It has two steps, each a `GroupApprovalTask` that decides for itself whether it applies:

1. `EditorialReviewTask` ("Editor moderation", group "Moderators") for pages that do not need a safeguarding
   review (parents' guides, professional briefings, about pages). Skipped otherwise.
2. `SafeguardingReviewTask` ("Safeguarding review", group "Safeguarding reviewers") for any page whose
   latest revision needs one. It is the last step and looks at the latest revision when it starts, so a
   page edited during moderation to add a child band still waits for a reviewer.

A skipped step is approved at once (without a user) and Wagtail moves on, so each page waits for exactly
one group. Per-section workflows would not do: every resource lives under /resources/ and the audience is
chosen per page, so only a task that reads the page can tell a Year 5 lesson from a parents' guide.

Wagtail publishes a finished workflow as the last approver, so approvers need publish permission:
Moderators keep Wagtail's default publish permission and Safeguarding reviewers get it too. Editors have
none: they can only submit, and "Publish" is not offered to them.

`ensure_editorial_workflow` is idempotent and runs after every `migrate` (post_migrate) and from `seed_demo`.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.actions.publish_page_revision import PublishPagePermissionError, PublishPageRevisionAction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Site,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from resources.taxonomy import CHILD_AUDIENCES, YEAR_GROUP_AGE_BAND, AgeBand, Audience, YearGroup

REVIEWERS_GROUP = "Safeguarding reviewers"
MODERATORS_GROUP = "Moderators"
EDITORS_GROUP = "Editors"
WORKFLOW_NAME = "Safeguarding review"
MODERATION_TASK_NAME = "Editor moderation"
SAFEGUARDING_TASK_NAME = "Safeguarding review"

# The audience table (resources.AudienceTag, keyed by slug). Named, not imported: resources.models imports us.
AUDIENCE_MODEL = "resources.AudienceTag"
TAXONOMY_VALUES = frozenset(Audience.values) | frozenset(AgeBand.values) | frozenset(YearGroup.values)

# Log entries that record a user putting a revision live or scheduling it.
PUBLISHING_ACTIONS = ("wagtail.publish", "wagtail.publish.schedule")

PUBLISH_NEEDS_REVIEWER = (
    "“%(title)s” is for children, so a safeguarding reviewer must approve it before it goes live. "
    "Submit it for review instead."
)
PLACING_NEEDS_REVIEWER = (
    "“%(title)s” is for children (or holds pages for children) and is live, so only a safeguarding reviewer "
    "can put it live at another place. Copy it without publishing, or ask a reviewer."
)
FILE_NEEDS_REVIEWER = (
    "This file is used by a page for children (“%(title)s”), so only a safeguarding reviewer can replace it. "
    "Upload the new file as a new item and add it to the page, then submit the page for review."
)


class SafeguardingReviewRequired(PublishPagePermissionError):
    """A page for children would go live (or be scheduled) without a safeguarding reviewer's approval."""


# Who approves ---------------------------------------------------------------------------------------------


def can_approve(user):
    """Whether this user's word is a safeguarding approval: a superuser or a safeguarding reviewer."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=REVIEWERS_GROUP).exists()


def approvers():
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=REVIEWERS_GROUP), is_active=True
    )


def revision_passed_review(revision):
    """Whether a reviewer approved this very revision in the workflow, or published or scheduled it."""
    approved_in_workflow = TaskState.objects.filter(
        revision=revision,
        status=TaskState.STATUS_APPROVED,
        task__in=SafeguardingReviewTask.objects.values("pk"),
        finished_by__in=approvers(),
    )
    put_live_by_reviewer = PageLogEntry.objects.filter(
        revision=revision, action__in=PUBLISHING_ACTIONS, user__in=approvers()
    )
    return approved_in_workflow.exists() or put_live_by_reviewer.exists()


# What is for children -------------------------------------------------------------------------------------


def _taxonomy_choice_values(field):
    """The choice values of a field that takes its choices from the audience taxonomy, else None."""
    choices = getattr(field, "item_choices", None) or getattr(field, "flatchoices", None)
    base_field = getattr(field, "base_field", None)  # a PostgreSQL ArrayField of choices
    if not choices and base_field is not None:
        choices = base_field.flatchoices
    values = {str(value) for value, _label in choices or ()}
    return values if values and values <= TAXONOMY_VALUES else None


def _field_values(obj, field):
    value = getattr(obj, field.attname, None)
    if value in (None, ""):
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def declared_audiences(obj):
    """Every audience slug an object (a page of any type) declares, a year group counting as its age band."""
    values = set()
    meta = obj._meta
    for field in [*meta.concrete_fields, *meta.many_to_many]:
        related = field.related_model
        if related is not None and related._meta.label == AUDIENCE_MODEL:
            if not field.many_to_many:
                values.update(_field_values(obj, field))
            elif obj.pk is not None:
                values.update(str(tag.pk) for tag in getattr(obj, field.name).all())
        elif _taxonomy_choice_values(field) is not None:
            values.update(_field_values(obj, field))
    year_group_bands = {YEAR_GROUP_AGE_BAND[value].value for value in values & set(YearGroup.values)}
    return (values & set(Audience.values)) | year_group_bands


def is_for_children(obj):
    """The one rule: is this page (any type) for children? Pass the specific page, as it is or would be."""
    return bool(declared_audiences(obj) & CHILD_AUDIENCES)


def live_version(page):
    """The page as it is live now (the page row holds the live content), or None if it is not live."""
    if page.pk is None:
        return None
    return Page.objects.filter(pk=page.pk, live=True).specific().first()


def needs_safeguarding_review(version):
    """Whether putting this version of a page live needs a reviewer: it, or the version now live, is for children."""
    if not isinstance(version, Page):
        return False
    if is_for_children(version):
        return True
    live = live_version(version)
    return live is not None and is_for_children(live)


# May it go live -------------------------------------------------------------------------------------------


def may_go_live(version, revision, user=None):
    """Whether `revision` (whose content is `version`) may be published or scheduled by `user`.

    No user means code (migrations, demo data, fixtures), except for a scheduled go-live, whose revision
    must have been approved by a reviewer.
    """
    if not needs_safeguarding_review(version):
        return True
    if can_approve(user):
        return True
    if user is None and revision.approved_go_live_at is None:
        return True
    return revision_passed_review(revision)


def live_pages_for_children(page, include_descendants=True):
    """The live pages for children among this page (and, if asked, its descendants)."""
    pages = [page.specific]
    if include_descendants:
        pages += list(page.get_descendants().live().specific())
    return [candidate for candidate in pages if candidate.live and is_for_children(candidate)]


def may_place_live_elsewhere(page, user, include_descendants=True):
    """Whether `user` may put this live page (and its live descendants) live at a new place: copy, alias, move."""
    return can_approve(user) or not live_pages_for_children(page, include_descendants)


def may_move(page, destination, user):
    """A move within the same parent only reorders; a move to a new parent places the pages elsewhere."""
    parent = page.get_parent()
    if parent is not None and destination.pk == parent.pk:
        return True
    return may_place_live_elsewhere(page, user)


def pages_using(obj):
    """The pages whose saved content uses this image or document (Wagtail's reference index), specific."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type).values("object_id")
    return Page.objects.filter(pk__in=[int(row["object_id"]) for row in ids]).specific()


def childrens_page_using(obj):
    """A page for children that uses this image or document, or None."""
    if obj.pk is None:
        return None
    return next((page for page in pages_using(obj) if is_for_children(page)), None)


def may_replace_file(user, obj):
    """Replacing the file behind an image or document changes every page using it at once, unreviewed."""
    return obj.pk is None or can_approve(user) or childrens_page_using(obj) is None


# The guard every page publish passes ----------------------------------------------------------------------


def _with_safeguarding_check(check):
    @functools.wraps(check)
    def checked(action, skip_permission_checks=False):
        check(action, skip_permission_checks=skip_permission_checks)
        if not may_go_live(action.object, action.revision, action.user):
            raise SafeguardingReviewRequired(PUBLISH_NEEDS_REVIEWER % {"title": action.object.title})

    checked.safeguarding_guard = True
    return checked


def install_publish_guard():
    """Make Wagtail's page publish action (every route to "live" for a revision) apply `may_go_live`."""
    if not getattr(PublishPageRevisionAction.check, "safeguarding_guard", False):
        PublishPageRevisionAction.check = _with_safeguarding_check(PublishPageRevisionAction.check)


install_publish_guard()


# The workflow's steps -------------------------------------------------------------------------------------


def revision_needs_safeguarding_review(workflow_state):
    """Whether the latest revision of the object in this workflow needs a safeguarding reviewer."""
    obj = workflow_state.content_object
    specific = getattr(obj, "specific", obj)
    revision = specific.get_latest_revision() if hasattr(specific, "get_latest_revision") else None
    return needs_safeguarding_review(revision.as_object() if revision else specific)


class ConditionalApprovalMixin:
    """A group approval step that approves itself at once when it does not apply to the revision."""

    skip_reason = ""

    def applies_to(self, workflow_state):
        raise NotImplementedError

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        if not self.applies_to(workflow_state):
            # Approved without a user: WorkflowState.update() sees it is no longer in progress and moves on.
            task_state.approve(user=None, update=False, comment=self.skip_reason)
        return task_state


class EditorialReviewTask(ConditionalApprovalMixin, GroupApprovalTask):
    """Editor moderation for pages that are not aimed at children."""

    skip_reason = "Not needed: this page is for children and goes to safeguarding review."

    class Meta:
        verbose_name = "editorial review task"

    def applies_to(self, workflow_state):
        return not revision_needs_safeguarding_review(workflow_state)


class SafeguardingReviewTask(ConditionalApprovalMixin, GroupApprovalTask):
    """Approval by a safeguarding reviewer for any page aimed at a child age band."""

    skip_reason = "Not needed: this page has no child audience."

    class Meta:
        verbose_name = "safeguarding review task"

    def applies_to(self, workflow_state):
        return revision_needs_safeguarding_review(workflow_state)


# Setting it up --------------------------------------------------------------------------------------------

REVIEWER_MEDIA_PERMISSIONS = [
    ("wagtailimages", codename) for codename in ("add_image", "change_image", "choose_image")
] + [("wagtaildocs", codename) for codename in ("add_document", "change_document", "choose_document")]


def ensure_editorial_workflow(home_page=None):
    """Create the groups, tasks and workflow, and assign it to the home page. Safe to run again."""
    access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    root = Page.get_first_root_node()
    change_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    add_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="add_page")
    publish_page = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    for group in (editors, moderators, reviewers):
        group.permissions.add(access_admin)
        for permission in (add_page, change_page):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    for group in (moderators, reviewers):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=publish_page)
    GroupPagePermission.objects.filter(group=editors, permission=publish_page).delete()
    # Reviewers may replace the file behind an image or document used by a page for children: others may not.
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app_label, codename in REVIEWER_MEDIA_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            GroupCollectionPermission.objects.get_or_create(
                group=reviewers, collection=root_collection, permission=permission
            )

    moderation = EditorialReviewTask.objects.filter(name=MODERATION_TASK_NAME).first()
    if moderation is None:
        moderation = EditorialReviewTask.objects.create(name=MODERATION_TASK_NAME)
    moderation.groups.add(moderators)
    safeguarding = SafeguardingReviewTask.objects.filter(name=SAFEGUARDING_TASK_NAME).first()
    if safeguarding is None:
        safeguarding = SafeguardingReviewTask.objects.create(name=SAFEGUARDING_TASK_NAME)
    safeguarding.groups.add(reviewers)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, task in enumerate([moderation, safeguarding]):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task.task_ptr, defaults={"sort_order": order}
        )

    if home_page is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        home_page = site.root_page if site else None
    if home_page is not None:
        WorkflowPage.objects.update_or_create(page=home_page, defaults={"workflow": workflow})
    # And on the tree's root: each translation's home page (a sibling of the English one) and its pages.
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow
