"""Admin and site-shell wiring for the library: topics, the review reports, the safeguarding refusals, home and search.

The refusals say why in the admin before anything changes; the rule they apply is resources/workflow.py's,
which also guards every publish at the lowest point (Wagtail's publish action).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.extensions import HomePagePanel, SearchFilterResult
from resources.filters import ResourceFilters
from resources.models import Topic
from resources.selectors import audience_counts, audiences, search_filter
from resources.views import MaterialDownloadsView, MaterialsDueForReviewView
from resources.workflow import (
    PUBLISH_NEEDS_REVIEWER,
    can_approve,
    may_go_live,
    needs_safeguarding_review,
)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    add_to_admin_menu = False
    list_display = ["name", "slug"]
    search_fields = ["name"]
    list_export = ["name", "slug", "description"]


register_snippet(TopicViewSet)


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return [
        path(
            "reports/materials-due-for-review/",
            MaterialsDueForReviewView.as_view(),
            name="resources_review_due",
        ),
        path(
            "reports/materials-due-for-review/results/",
            MaterialsDueForReviewView.as_view(results_only=True),
            name="resources_review_due_results",
        ),
        path("reports/material-downloads/", MaterialDownloadsView.as_view(), name="resources_downloads"),
        path(
            "reports/material-downloads/results/",
            MaterialDownloadsView.as_view(results_only=True),
            name="resources_downloads_results",
        ),
    ]


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewReportMenuItem(
        "Materials due for review",
        reverse("resources_review_due"),
        name="materials-due-for-review",
        icon_name="time",
        order=650,
    )


@hooks.register("register_reports_menu_item")
def register_downloads_report_menu_item():
    return ReviewReportMenuItem(
        "Material downloads",
        reverse("resources_downloads"),
        name="material-downloads",
        icon_name="download",
        order=660,
    )


@hooks.register("before_publish_page")
def refuse_direct_publish_of_childrens_material(request, page):
    """Publishing a page for children without a reviewer's approval: say why, before Wagtail's guard refuses."""
    revision = page.get_latest_revision()
    if revision is None or may_go_live(page, revision, request.user):
        return None
    if page.live_revision_id is None:
        # Wagtail's create view has already saved the new page as live before asking us: take that back.
        Page.objects.filter(pk=page.pk).update(live=False)
        page.live = False
    messages.error(request, PUBLISH_NEEDS_REVIEWER % {"title": page.get_admin_display_title()})
    return redirect("wagtailadmin_pages:edit", page.pk)


def _bulk_publish_refusal(request, pages, include_descendants):
    """The reason bulk Publish may not put one of these pages (or their drafts below) live, or None."""
    for page in pages:
        candidates = [page.specific]
        if include_descendants:
            candidates += list(page.get_descendants().not_live().specific())
        for candidate in candidates:
            revision = candidate.get_latest_revision()
            if revision is None:
                allowed = can_approve(request.user) or not needs_safeguarding_review(candidate)
            else:
                allowed = may_go_live(revision.as_object(), revision, request.user)
            if not allowed:
                return PUBLISH_NEEDS_REVIEWER % {"title": candidate.get_admin_display_title()}
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish_of_childrens_material(request, action_type, objects, action_class_instance):
    """Bulk Publish is refused as a whole, with a reason, when one of the pages needs a reviewer."""
    if action_type != "publish":
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    include_descendants = action_class_instance.cleaned_form.cleaned_data.get("include_descendants")
    refusal = _bulk_publish_refusal(request, pages, include_descendants)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(action_class_instance.next_url)


@hooks.register("register_home_page_panel")
def audience_routes_panel(request):
    counts = audience_counts()
    routes = [
        {
            "audience": audience,
            "count": counts.get(audience.slug, 0),
            "url": "/resources/?" + ("age=" if audience.is_child_band else "audience=") + audience.slug,
        }
        for audience in audiences()
    ]
    return HomePagePanel(
        template_name="resources/panels/audience_routes.html", context={"routes": routes}, order=10
    )


@hooks.register("register_public_search_filter")
def filter_search_by_audience(request, pages, query):
    filters = ResourceFilters.from_query(request.GET)
    topics = list(Topic.objects.all())
    return SearchFilterResult(
        pages=search_filter(filters, pages),
        groups=filters.groups(topics, extra={"query": query}),
        problems=list(filters.problems),
        params=filters.params(),
    )
