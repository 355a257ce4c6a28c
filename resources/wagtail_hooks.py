"""Admin and site-shell wiring for the library: topics, the review reports, the safeguarding refusals, home and search.

The refusals say why in the admin before anything changes; the rule they apply is resources/workflow.py's,
which also guards every publish at the lowest point (Wagtail's publish action).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import translation
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.extensions import HomePagePanel, SearchFilterResult
from cms.page_cache import remembered
from cms.templatetags.site_tags import localized
from resources.filters import ResourceFilters
from resources.models import Topic
from resources.selectors import all_topics, audience_counts, audiences, search_filter
from resources.translations import (
    MACHINE_ASSISTED_ACTION,
    SUBMITTED_FOR_REVIEW,
    needs_review,
    translation_being_edited,
    translations_awaiting_review,
)
from resources.views import (
    MaterialDownloadsView,
    MaterialsDueForReviewView,
    TranslationsReportView,
    may_review,
    translation_review,
)
from resources.workflow import (
    PLACING_NEEDS_REVIEWER,
    PUBLISH_NEEDS_REVIEWER,
    can_approve,
    may_go_live,
    may_move,
    may_place_live_elsewhere,
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
        path("reports/translations/", TranslationsReportView.as_view(), name="resources_translations"),
        path(
            "reports/translations/results/",
            TranslationsReportView.as_view(results_only=True),
            name="resources_translations_results",
        ),
        path("translation-review/<int:page_id>/", translation_review, name="resources_translation_review"),
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
def register_translations_report_menu_item():
    return ReviewReportMenuItem(
        "Translations", reverse("resources_translations"), name="translations", icon_name="globe", order=655
    )


@hooks.register("before_edit_page", order=-1)
def submit_childrens_translation_for_review(request, page):
    """The translation editor's Publish, for a page for children and a user who cannot approve: saved and
    submitted to the safeguarding review (resources/translations.py), and the editor is told so."""
    if request.method != "POST" or request.POST.get("action") != "publish" or can_approve(request.user):
        return None
    translation = translation_being_edited(page)
    if translation is None or not needs_review(translation.source, translation.target_locale):
        return None
    if not page.permissions_for_user(request.user).can_publish():
        return None  # wagtail-localize refuses it
    translation.save_target(user=request.user, publish=True)
    messages.success(request, SUBMITTED_FOR_REVIEW % {"title": page.get_admin_display_title()})
    return redirect("wagtailadmin_pages:edit", page.pk)


def review_translation_button(page, user, priority):
    if page.locale.language_code == settings.LANGUAGE_CODE or translation_being_edited(page) is None:
        return None
    if not may_review(page, user):
        return None
    return Button(
        "Review beside the English",
        reverse("resources_translation_review", args=[page.pk]),
        icon_name="globe",
        priority=priority,
    )


@hooks.register("before_edit_page", order=-2)
def point_reviewers_to_the_review_beside_the_english(request, page):
    """wagtail-localize's translation editor (which is the edit view, and where a workflow "Review" lands) has
    no header buttons of its own: a message there links the review of the translation beside the English."""
    if request.method != "GET":
        return None
    button = review_translation_button(page, request.user, priority=0)
    if button is not None:
        admin_messages.info(
            request,
            "This page is a translation: review it with each English string beside it.",
            buttons=[admin_messages.button(button.url, button.label)],
        )
    return None


@hooks.register("register_page_header_buttons")
def translation_review_header_button(page, user, view_name, next_url=None):
    button = review_translation_button(page, user, priority=66)
    if button is not None:
        yield button


class TranslationsAwaitingReviewPanel(Component):
    """On the dashboard beside "Awaiting your review": the translations in it, each linked to its review
    beside the English."""

    name = "translations_awaiting_review"
    template_name = "resources/admin/translations_awaiting_review.html"
    order = 221

    def __init__(self, pages):
        self.pages = pages

    def get_context_data(self, parent_context):
        return {"pages": self.pages}


@hooks.register("construct_homepage_panels")
def add_translations_awaiting_review_panel(request, panels):
    pages = translations_awaiting_review(request.user)
    if pages:
        panels.append(TranslationsAwaitingReviewPanel(pages))
        panels.sort(key=lambda panel: panel.order)


@hooks.register("register_log_actions")
def register_translation_log_actions(actions):
    actions.register_action(
        MACHINE_ASSISTED_ACTION,
        "Machine-assisted translation",
        "Machine-assisted translation: a human reviewer should check it against the English",
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
def refuse_bulk_publish_or_move_of_childrens_material(request, action_type, objects, action_class_instance):
    """Bulk Publish and Move are refused as a whole, with a reason, when one of the pages needs a reviewer."""
    if action_type not in ("publish", "move"):
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    cleaned_data = action_class_instance.cleaned_form.cleaned_data
    if action_type == "publish":
        refusal = _bulk_publish_refusal(request, pages, cleaned_data.get("include_descendants"))
    else:
        destination = cleaned_data["chooser"]
        refused = next((page for page in pages if not may_move(page, destination, request.user)), None)
        refusal = refused and PLACING_NEEDS_REVIEWER % {"title": refused.get_admin_display_title()}
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect(action_class_instance.next_url)


@hooks.register("before_copy_page")
def refuse_live_copies_of_childrens_material(request, page):
    """A copy kept live, or an alias, of a live page for children is a new live page: only reviewers make one."""
    if request.method != "POST":
        return None
    checkbox = forms.CheckboxInput()
    goes_live = any(
        checkbox.value_from_datadict(request.POST, None, name) for name in ("publish_copies", "alias")
    )
    with_subpages = checkbox.value_from_datadict(request.POST, None, "copy_subpages")
    if not goes_live or may_place_live_elsewhere(page, request.user, include_descendants=with_subpages):
        return None
    messages.error(
        request, PLACING_NEEDS_REVIEWER % {"title": page.specific_deferred.get_admin_display_title()}
    )
    return redirect("wagtailadmin_pages:copy", page.pk)


@hooks.register("before_move_page")
def refuse_moving_childrens_material_elsewhere(request, page, destination):
    if may_move(page, destination, request.user):
        return None
    messages.error(request, PLACING_NEEDS_REVIEWER % {"title": page.get_admin_display_title()})
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("register_home_page_panel")
def audience_routes_panel(request):
    """A way into the library for each audience, with its number of materials.

    The same for everyone until something is published or the taxonomy changes, so it is kept in the cache
    under the public content version (cms.page_cache.remembered) rather than counted on every visit.
    """
    return HomePagePanel(
        template_name="resources/panels/audience_routes.html",
        # Kept once per language: the links carry the page's language prefix.
        context={
            "routes": remembered(f"home:audience-routes:{translation.get_language()}", _audience_routes)
        },
        order=10,
        fingerprint="",  # changes only with published content (the content version)
    )


def _audience_routes():
    counts = audience_counts()
    return [
        {
            "audience": audience,
            "count": counts.get(audience.slug, 0),
            "url": localized("/resources/")
            + "?"
            + ("age=" if audience.is_child_band else "audience=")
            + audience.slug,
        }
        for audience in audiences()
    ]


@hooks.register("register_public_search_filter")
def filter_search_by_audience(request, pages, query):
    filters = ResourceFilters.from_query(request.GET)
    topics = all_topics()
    return SearchFilterResult(
        pages=search_filter(filters, pages),
        groups=filters.groups(topics, extra={"query": query}),
        problems=list(filters.problems),
        params=filters.params(),
    )
