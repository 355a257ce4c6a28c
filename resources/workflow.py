"""The "Safeguarding review" workflow: nothing aimed at children goes live without a reviewer's approval.

Routing. One workflow, "Safeguarding review", is assigned to the home page, so every page on the site goes
through it. It has two steps, each a `GroupApprovalTask` that decides for itself whether it applies to the
revision in front of it:

1. `EditorialReviewTask` ("Editor moderation", group "Moderators") for pages *not* aimed at children
   (parents' guides, professional briefings, about pages). Skipped for child-band pages.
2. `SafeguardingReviewTask` ("Safeguarding review", group "Safeguarding reviewers") for any page whose
   latest revision has a child age band (4-7, 8-10, 11-13, 14-18) among its audiences. Skipped otherwise.
   It is the last step and looks at the latest revision when it starts, so a page edited during
   moderation to add a child band still waits for a reviewer.

A skipped step is approved at once (without a user) and Wagtail moves on, so each page waits for exactly
one group. Per-section workflows would not do: every resource lives under /resources/ and the audience is
chosen per page, so only a task that reads the page can tell a Year 5 lesson from a parents' guide.

No bypass. Wagtail publishes a finished workflow as the last approver, so approvers need publish permission:
Moderators keep Wagtail's default publish permission and Safeguarding reviewers get it too. Editors have none:
they can only submit, and "Publish" is not offered to them. Because a moderator could otherwise publish a
child-band page directly, the `before_publish_page` hook in `resources/wagtail_hooks.py` (run by Wagtail's
create, edit and bulk-publish views) refuses a direct publish of a child-band page by anyone who is not a
safeguarding reviewer (or a superuser), and leaves the page unpublished.

`ensure_editorial_workflow` is idempotent and runs after every `migrate` (post_migrate) and from `seed_demo`.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupApprovalTask

REVIEWERS_GROUP = "Safeguarding reviewers"
MODERATORS_GROUP = "Moderators"
EDITORS_GROUP = "Editors"
WORKFLOW_NAME = "Safeguarding review"
MODERATION_TASK_NAME = "Editor moderation"
SAFEGUARDING_TASK_NAME = "Safeguarding review"


def revision_is_for_children(workflow_state):
    """Whether the latest revision of the object in this workflow has a child age band among its audiences."""
    obj = workflow_state.content_object
    specific = getattr(obj, "specific", obj)
    revision = specific.get_latest_revision() if hasattr(specific, "get_latest_revision") else None
    candidate = revision.as_object() if revision else specific
    check = getattr(candidate, "is_for_children", None)
    return bool(check and check())


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
        return not revision_is_for_children(workflow_state)


class SafeguardingReviewTask(ConditionalApprovalMixin, GroupApprovalTask):
    """Approval by a safeguarding reviewer for any page aimed at a child age band."""

    skip_reason = "Not needed: this page has no child audience."

    class Meta:
        verbose_name = "safeguarding review task"

    def applies_to(self, workflow_state):
        return revision_is_for_children(workflow_state)


def ensure_editorial_workflow(home_page=None):
    """Create the groups, tasks and workflow, and assign it to the home page. Safe to run again."""
    from wagtail.models import GroupPagePermission, Page, Site, Workflow, WorkflowPage, WorkflowTask

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
    return workflow
