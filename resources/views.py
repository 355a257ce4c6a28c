"""Adapters: the counted document download and the "Materials due for review" admin report."""

import datetime

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Page

from resources.downloads import InvalidDownloadLink, read_attribution
from resources.models import DownloadCount
from resources.selectors import download_rows_for_report, pages_due_for_review
from resources.services import record_download
from resources.translations import translated_pages, translation_status
from resources.translations import translation_review as review_of_translation


@require_safe
def download(request, document_id, filename):
    """Serve a document and count the download (per day; no cookies, nothing about the person)."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    try:
        resource_id, campaign_id, organisation_id = read_attribution(request.GET.get("t"), document.pk)
    except InvalidDownloadLink:
        return render(request, "resources/link_not_valid.html", status=404)
    response = serve(request, document.pk, document.filename)
    served = response.status_code == 200 or (
        response.status_code == 302 and getattr(settings, "WAGTAILDOCS_SERVE_METHOD", "") == "redirect"
    )
    if served and request.method == "GET":
        record_download(
            document, resource_id=resource_id, campaign_id=campaign_id, organisation_id=organisation_id
        )
    return response


class MaterialsDueForReviewView(ReportView):
    """Resource pages past their review date or due within 30 days, with who reviews them."""

    page_title = "Materials due for review"
    header_icon = "time"
    index_url_name = "resources_review_due"
    index_results_url_name = "resources_review_due_results"
    model = Page
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 50
    columns = [
        TitleColumn("title", label="Page", url_name="wagtailadmin_pages:edit"),
        # The date itself: a relative "3 days ago" would be counted from UTC midnight, and a date to come
        # would read "just now"; the status column says how far off it is, by the same arithmetic.
        Column("review_by_display", label="Review by"),
        Column("review_state", label="Status"),
        Column("review_owner_display", label="Owner"),
        Column("review_owner_email", label="Owner email"),
        Column("status_string", label="Publication"),
    ]
    list_export = [
        "title",
        "review_by",
        "review_state",
        "review_owner_display",
        "review_owner_email",
        "status_string",
        "full_url",
    ]
    export_headings = {
        "title": "Page",
        "review_by": "Review by",
        "review_state": "Status",
        "review_owner_display": "Owner",
        "review_owner_email": "Owner email",
        "status_string": "Publication",
        "full_url": "Address",
    }

    def get_queryset(self):
        return pages_due_for_review()

    def get_filename(self):
        return f"materials-due-for-review-{datetime.date.today():%Y-%m-%d}"


class DownloadCountFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label="Day", widget=DateRangePickerWidget)
    campaign_id = django_filters.NumberFilter(label="Campaign id (0 = not attributed)")
    organisation_id = django_filters.NumberFilter(label="Organisation id (0 = not attributed)")

    class Meta:
        model = DownloadCount
        fields = ["day", "campaign_id", "organisation_id"]


class MaterialDownloadsView(ReportView):
    """Downloads per document, resource and day, with any campaign/organisation attribution. Counts only."""

    page_title = "Material downloads"
    header_icon = "download"
    index_url_name = "resources_downloads"
    index_results_url_name = "resources_downloads_results"
    model = Page
    any_permission_required = ["add", "change", "publish"]
    filterset_class = DownloadCountFilterSet
    columns = [
        DateColumn("day"),
        Column("resource", label="Resource"),
        Column("document", label="Document"),
        Column("campaign_id", label="Campaign id"),
        Column("organisation_id", label="Organisation id"),
        Column("count", label="Downloads"),
    ]
    list_export = ["day", "resource", "document", "campaign_id", "organisation_id", "count"]
    export_headings = {"resource": "Resource", "document": "Document", "count": "Downloads"}

    def get_queryset(self):
        return download_rows_for_report()

    def get_filename(self):
        return f"material-downloads-{datetime.date.today():%Y-%m-%d}"


class TranslationsReportView(ReportView):
    """Every translated page: its language, the English page it follows and as of when, and whether the
    English has changed since (out of date until someone syncs it: "Sync translated pages")."""

    page_title = "Translations"
    header_icon = "globe"
    index_url_name = "resources_translations"
    index_results_url_name = "resources_translations_results"
    model = Page
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 50
    columns = [
        TitleColumn("title", label="Translation", url_name="wagtailadmin_pages:edit"),
        Column("translation_language", label="Language"),
        TitleColumn(
            "english_title",
            label="English page",
            get_url=lambda page: page.english_edit_url,
        ),
        Column("follows_display", label="Follows the English as of"),
        Column("translation_state", label="State"),
        Column("status_string", label="Publication"),
    ]
    list_export = [
        "title",
        "translation_language",
        "english_title",
        "follows_display",
        "translation_state",
        "status_string",
    ]
    export_headings = {
        "title": "Translation",
        "translation_language": "Language",
        "english_title": "English page",
        "follows_display": "Follows the English as of",
        "translation_state": "State",
        "status_string": "Publication",
    }

    def get_queryset(self):
        rows = []
        for page in translated_pages():
            status = translation_status(page)
            if status is None:
                continue
            english = status.source_page
            page.translation_language = page.locale.get_display_name()
            page.english_title = english.title if english else "(deleted)"
            page.english_edit_url = english and reverse_edit_url(english)
            page.follows_display = f"{timezone.localtime(status.follows_as_of):%-d %b %Y %H:%M}"
            page.translation_state = status.label
            rows.append(page)
        # Out of date first: those are the ones to act on.
        return sorted(rows, key=lambda page: page.translation_state.startswith("Up to date"))


def reverse_edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def may_review(page, user):
    """Whether `user` may open the review of this page: they may edit it, or its workflow task is theirs."""
    if page.permissions_for_user(user).can_edit():
        return True
    task = page.current_workflow_task
    return task is not None and bool(task.get_actions(page, user))


@require_safe
def translation_review(request, page_id):
    """A translated page's English strings beside its translation, for the safeguarding reviewer."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_review(page, request.user):
        raise PermissionDenied
    review = review_of_translation(page)
    rtl = translation.get_language_info(page.locale.language_code).get("bidi", False) if review else False
    return render(
        request,
        "resources/admin/translation_review.html",
        {"page": page, "review": review, "rtl": rtl, "locale": page.locale},
    )
