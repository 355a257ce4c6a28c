"""Adapters: the counted document download and the "Materials due for review" admin report."""

import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve
from wagtail.models import Page

from resources.downloads import InvalidDownloadLink, read_attribution
from resources.selectors import pages_due_for_review
from resources.services import record_download


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
        DateColumn("review_by", label="Review by"),
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
