"""Admin and site-shell wiring for the library: topics, the review report, the publish guard, home and search."""

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
from resources.workflow import REVIEWERS_GROUP


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
    """Second line of defence: a page for children goes live only through a safeguarding reviewer."""
    check = getattr(page, "is_for_children", None)
    user = request.user
    if not check or not check() or user.is_superuser or user.groups.filter(name=REVIEWERS_GROUP).exists():
        return None
    if page.live_revision_id is None:
        # Wagtail's create view has already saved the new page as live before asking us: take that back.
        Page.objects.filter(pk=page.pk).update(live=False)
        page.live = False
    messages.error(
        request,
        "This page is for children, so a safeguarding reviewer must approve it. Submit it for review instead.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


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
