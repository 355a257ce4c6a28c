"""Staff screens for training: courses, training records and certificates, cohorts and their compliance,
and loading a cohort from a file. Adapters over campaigns.training."""

import csv

from django.contrib import messages
from django.db.models import Case, CharField, Count, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from campaigns.models import Cohort, TrainingCourse, TrainingRecord
from campaigns.policies import forbidden, require_permission
from campaigns.roles import CHECK_LICENCES, ISSUE_CERTIFICATES, VIEW_COHORT_MEMBERS, VIEW_REACH
from campaigns.training import cohorts as cohort_service
from campaigns.training import selectors as training_selectors
from campaigns.training import services as training
from campaigns.training.forms import CohortUploadForm, LicenceCheckForm
from campaigns.training.services import certificate_token
from cms.errors import ServiceError
from cms.exports import TitledExportMixin, neutralise
from cms.partnership import ScopedViewSetMixin, scope, scope_form


@require_permission(VIEW_REACH)
def cohort_compliance(request, cohort_id=None):
    cohorts = scope(Cohort.objects.all(), request.user)
    cohort = get_object_or_404(cohorts, pk=cohort_id) if cohort_id else None
    visible = set(cohorts.values_list("pk", flat=True))
    status = request.GET.get("status", "")
    members = training_selectors.cohort_members_for(request.user, cohort, status=status)
    return TemplateResponse(
        request,
        "campaigns/training/cohorts.html",
        {
            "cohort": cohort,
            "cohorts": [row for row in training_selectors.cohorts_summary() if row["cohort_id"] in visible],
            "compliance": training_selectors.cohort_compliance(cohort) if cohort else None,
            "members": members,
            "status": status,
            "statuses": training_selectors.COMPLIANCE_STATUSES,
            "upload_form": scope_form(CohortUploadForm(initial={"cohort": cohort}), request.user),
            "can_upload": request.user.has_perm("campaigns.change_cohort"),
        },
    )


@require_permission("campaigns.change_cohort")
@require_http_methods(["POST"])
def cohort_upload(request):
    form = scope_form(CohortUploadForm(request.POST, request.FILES), request.user)
    if not form.is_valid():
        messages.error(request, "Choose a cohort and a CSV file.")
        return redirect("campaigns_cohorts")
    cohort = form.cleaned_data["cohort"]
    upload = form.cleaned_data["file"]
    if upload.size > cohort_service.MAX_BYTES:
        messages.error(request, "The file is larger than 5 MB.")
        return redirect("campaigns_cohort", cohort.pk)
    result = cohort_service.import_members(cohort, upload.read(), user=request.user)
    if result.ok:
        messages.success(request, f"Imported {result.created} new and updated {result.updated} members.")
    else:
        messages.error(request, "Nothing was imported. " + " ".join(result.errors[:20]))
    return redirect("campaigns_cohort", cohort.pk)


class CohortMembersReportView(TitledExportMixin, ReportView):
    """Who in a cohort is trained, due or expired, for the licensing team: a list and its CSV/XLSX export.
    Names are shown only to staff who manage training."""

    page_title = "Cohort compliance"
    header_icon = "group"
    paginate_by = 100
    index_url_name = "campaigns_cohort_members"
    index_results_url_name = "campaigns_cohort_members_results"
    columns = [
        Column("name", label="Name"),
        Column("email", label="Email"),
        Column("licence_number", label="Licence number"),
        Column("status_label", label="Status"),
        Column("latest_course_name", label="Course"),
        Column("latest_valid_until", label="Valid until"),
    ]
    list_export = [
        "name",
        "email",
        "licence_number",
        "get_sector_display",
        "status_label",
        "latest_course_name",
        "latest_completed_on",
        "latest_valid_until",
    ]
    export_headings = {
        "name": "Name",
        "email": "Email",
        "licence_number": "Licence number",
        "get_sector_display": "Sector",
        "status_label": "Status",
        "latest_course_name": "Course",
        "latest_completed_on": "Completed on",
        "latest_valid_until": "Valid until",
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_COHORT_MEMBERS):
            return forbidden(request, VIEW_COHORT_MEMBERS)
        self.cohort = get_object_or_404(scope(Cohort.objects.all(), request.user), pk=kwargs["cohort_id"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_policy(self):
        return None

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.cohort.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.cohort.pk])

    @property
    def status(self):
        status = self.request.GET.get("status", "")
        return status if status in training_selectors.COMPLIANCE_STATUSES else ""

    def get_page_subtitle(self):
        label = training_selectors.COMPLIANCE_STATUSES.get(self.status, "Everyone")
        return f"{self.cohort.name}: {label}"

    def get_filename(self):
        status = f"-{self.status}" if self.status else ""
        return f"cohort-{slugify(self.cohort.name)}{status}-{timezone.localdate().isoformat()}"

    def get_queryset(self):
        labels = training_selectors.COMPLIANCE_STATUSES
        members = training_selectors.cohort_members_for(self.request.user, self.cohort, status=self.status)
        return members.annotate(
            status_label=Case(
                *(When(status=key, then=Value(label)) for key, label in labels.items()),
                output_field=CharField(),
            )
        )

    def export_title_rows(self):
        compliance = training_selectors.cohort_compliance(self.cohort)
        return [
            f"Cohort compliance: {self.cohort.name}",
            f"Showing: {training_selectors.COMPLIANCE_STATUSES.get(self.status, 'everyone in the cohort')}",
            f"Trained (valid today): {compliance['trained']} of {compliance['total']}",
            f"Downloaded {timezone.localtime():%d %b %Y %H:%M}",
        ]

    def export_totals_row(self, queryset):
        counts = dict(
            queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        parts = [
            f"{label}: {counts.get(key, 0)}" for key, label in training_selectors.COMPLIANCE_STATUSES.items()
        ]
        return {"name": f"Total: {sum(counts.values())}", "email": "; ".join(parts)}


@require_permission(CHECK_LICENCES)
@require_http_methods(["GET", "POST"])
def licence_check(request):
    """A licensing officer pastes or uploads licence numbers and sees (or exports) each one's training."""
    form = LicenceCheckForm(request.POST or None, request.FILES or None)
    rows = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            rows = training_selectors.licence_statuses(form.cleaned_data["numbers"])
            for row in rows:
                row["sentence"] = training_selectors.licence_status_sentence(row)
            if request.POST.get("export") == "csv":
                return _licence_csv(rows)
            # The numbers checked stay in the box, so the export works for an uploaded file too.
            form = LicenceCheckForm(initial={"licences": "\n".join(form.cleaned_data["numbers"])})
        else:
            status = 400
    return TemplateResponse(
        request, "campaigns/training/licence_check.html", {"form": form, "rows": rows}, status=status
    )


@require_permission(ISSUE_CERTIFICATES)
@require_http_methods(["GET", "POST"])
def issue_certificate(request, pk):
    """Staff who manage training issue a certificate that waits for the trainee's evaluation (a trainee
    without email, or who cannot answer): asked first, then issued, emailed and logged."""
    record = get_object_or_404(
        scope(TrainingRecord.objects.select_related("course"), request.user, for_change=True), pk=pk
    )
    inspect_url = reverse("campaigns_trainingrecord:inspect", args=[record.pk])
    if request.method == "POST":
        try:
            issued = training.issue_without_evaluation(record, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(inspect_url)
        if issued:
            messages.success(
                request, f"Certificate issued to {record.name}" + (" and emailed." if record.email else ".")
            )
        else:
            messages.warning(
                request, "This certificate was not waiting for the evaluation: nothing was changed."
            )
        return redirect(inspect_url)
    return TemplateResponse(
        request,
        "campaigns/training/issue_certificate.html",
        {"record": record, "inspect_url": inspect_url},
    )


def _licence_csv(rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="licence-check.csv"'
    writer = csv.writer(response)
    writer.writerow(["Licence number", "Status", "Course", "Completed on", "Valid until"])
    for row in rows:
        writer.writerow(
            [
                neutralise(row["licence_number"]),
                row["sentence"],
                neutralise(row["course"]),
                row["completed_on"].isoformat() if row["completed_on"] else "",
                row["valid_until"].isoformat() if row["valid_until"] else "",
            ]
        )
    return response


class TrainingCourseViewSet(ModelViewSet):
    model = TrainingCourse
    url_prefix = "training-courses"
    url_namespace = "campaigns_trainingcourse"
    icon = "doc-full"
    form_fields = ["name", "slug", "sector", "renewal_months", "events", "evaluation_before_certificate"]
    list_display = ["name", "sector", "renewal_months", "evaluation_before_certificate"]
    copy_view_enabled = False


def certificate_link(record):
    return reverse("campaigns:certificate", args=[certificate_token(record)])


def _issue_url(user, record):
    """The staff override's address for a record waiting for its evaluation, to those who may issue."""
    if record.awaiting_evaluation and not record.revoked and user.has_perm(ISSUE_CERTIFICATES):
        return reverse("campaigns_trainingrecord_issue_certificate", args=[record.pk])
    return None


class TrainingRecordIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := _issue_url(self.request.user, instance):
            buttons.append(MenuItem("Issue certificate now", url=url, icon_name="tick", priority=5))
        return buttons


class TrainingRecordInspectView(InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if url := _issue_url(self.request.user, self.object):
            buttons.append(Button("Issue certificate now", url=url, icon_name="tick", priority=5))
        return buttons


class TrainingRecordViewSet(ScopedViewSetMixin, ModelViewSet):
    index_view_class = TrainingRecordIndexView
    inspect_view_class = TrainingRecordInspectView
    model = TrainingRecord
    url_prefix = "training-records"
    url_namespace = "campaigns_trainingrecord"
    icon = "tick-inverse"
    form_fields = ["name", "email", "licence_number", "organisation_name", "sector", "revoked"]
    list_display = [
        "name",
        "course",
        "licence_number",
        "completed_on",
        "valid_until",
        "awaiting_evaluation",
        "revoked",
    ]
    list_filter = ["course", "sector", "awaiting_evaluation", "revoked"]
    search_fields = ["name", "email", "licence_number"]
    list_export = [
        "name",
        "email",
        "licence_number",
        "organisation_name",
        "sector",
        "course",
        "completed_on",
        "valid_until",
        "verification_code",
        "awaiting_evaluation",
        "evaluated_at",
        "revoked",
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "course",
        "completed_on",
        "valid_until",
        "verification_code",
        "licence_number",
        "email",
        "organisation_name",
        "awaiting_evaluation",
        "evaluated_at",
        "revoked",
    ]
    copy_view_enabled = False
    add_view_enabled = False


class CohortViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Cohort
    url_prefix = "cohorts"
    url_namespace = "campaigns_cohort"
    icon = "group"
    form_fields = ["name", "authority", "sector", "course", "description"]
    list_display = ["name", "authority", "sector", "course"]
    copy_view_enabled = False


def admin_urls():
    return [
        path("reach/cohorts/", cohort_compliance, name="campaigns_cohorts"),
        path("reach/cohorts/<int:cohort_id>/", cohort_compliance, name="campaigns_cohort"),
        path("reach/cohorts/upload/", cohort_upload, name="campaigns_cohort_upload"),
        path(
            "reach/cohorts/<int:cohort_id>/members/",
            CohortMembersReportView.as_view(),
            name="campaigns_cohort_members",
        ),
        path(
            "reach/cohorts/<int:cohort_id>/members/results/",
            CohortMembersReportView.as_view(results_only=True),
            name="campaigns_cohort_members_results",
        ),
        path("training/licence-check/", licence_check, name="campaigns_licence_check"),
        path(
            "training/records/<int:pk>/issue-certificate/",
            issue_certificate,
            name="campaigns_trainingrecord_issue_certificate",
        ),
    ]
