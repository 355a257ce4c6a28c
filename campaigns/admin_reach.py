"""Admin for attendance, training and reach: the register, reach dashboard, reports, cohorts, partner tokens.

Imported from campaigns/wagtail_hooks.py. Permissions: `campaigns.take_register` (the "Register takers"
group) for registers; `campaigns.view_reach` (the "Partner analysts" group, read-only) for the
dashboard, reports and cohort compliance.
"""

from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from campaigns import reach, selectors_attendance
from campaigns.forms_reach import (
    AttendanceForm,
    CohortUploadForm,
    NamedWalkInForm,
    ReachFilterForm,
    WalkInForm,
)
from campaigns.models import Attendance, Booking, Cohort, PartnerToken, TrainingCourse, TrainingRecord
from campaigns.services import attendance as attendance_service
from campaigns.services import cohorts as cohort_service
from campaigns.services import partner_tokens
from campaigns.services.training import certificate_token
from cms.errors import ServiceError
from events.models import Session

TAKE_REGISTER = "campaigns.take_register"
VIEW_REACH = "campaigns.view_reach"

LOG_ACTIONS = {
    "campaigns.attendance.recorded": "Attendance recorded",
    "campaigns.attendance.corrected": "Attendance corrected",
    "campaigns.attendance.walk_in": "Walk-in recorded",
    "campaigns.attendance.named": "Named attendee ticked",
    "campaigns.training_record.issued": "Training record issued",
    "campaigns.training_record.revoked": "Training record revoked",
    "campaigns.training_record.reinstated": "Training record reinstated",
    "campaigns.cohort.imported": "Cohort members imported",
    "campaigns.partner_token.issued": "Partner API token issued",
    "campaigns.partner_token.revoked": "Partner API token revoked",
}


PERMISSION_NAMES = {TAKE_REGISTER: "take registers", VIEW_REACH: "see reach figures"}


def forbidden(request, perm):
    """A plain 403 page (Wagtail would otherwise redirect to the dashboard, which hides the refusal)."""
    return TemplateResponse(
        request,
        "campaigns/reach/forbidden.html",
        {"what": PERMISSION_NAMES.get(perm, "do this")},
        status=403,
    )


def _require(perm):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                return forbidden(request, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- the register ------------------------------------------------------------------------------------


@_require(TAKE_REGISTER)
def register_index(request):
    sessions = selectors_attendance.register_sessions()
    return TemplateResponse(request, "campaigns/reach/register_index.html", {"sessions": sessions})


def _int(request, name):
    try:
        return int(request.POST.get(name) or 0)
    except ValueError:
        raise ServiceError(f"Enter a whole number of {name}.") from None


@_require(TAKE_REGISTER)
@require_http_methods(["GET", "POST"])
def register_session(request, session_id):
    session = get_object_or_404(Session.objects.select_related("event", "venue"), pk=session_id)
    named = session.event.specific.attendees_named
    organisations = selectors_attendance.walk_in_organisations(session)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            message = _register_action(request, session, action, organisations)
        except ServiceError as exc:
            messages.error(request, exc.message)
        except (Booking.DoesNotExist, Attendance.DoesNotExist, ValueError):
            messages.error(request, "That line is no longer on this register. Reload the page and try again.")
        else:
            messages.success(request, message)
            return redirect(
                reverse("campaigns_register_session", args=[session.pk]) + request.POST.get("anchor", "")
            )
    context = {
        "session": session,
        "named": named,
        "register": selectors_attendance.register(session),
        "walk_in_form": WalkInForm(organisations=organisations, prefix="walkin"),
        "named_walk_in_form": NamedWalkInForm(prefix="named"),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "campaigns/reach/register.html", context)


def _booking(request, session):
    return Booking.objects.get(pk=int(request.POST.get("booking", 0)), session=session)


def _register_action(request, session, action, organisations):
    user = request.user
    if action == "all-as-booked":
        count = attendance_service.record_all_as_booked(session, user=user)
        return f"Recorded {count} booking{'s' if count != 1 else ''} as booked. Adjust any that differ."
    if action in ("save", "no-show"):
        booking = _booking(request, session)
        if action == "no-show":
            attendance_service.record_attendance(
                booking, no_show=True, notes=request.POST.get("notes", ""), user=user
            )
            return f"{booking.organisation or booking.booker_name}: marked as not attending."
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            raise ServiceError("Enter whole numbers of 0 or more for pupils, staff and adults.")
        attendance_service.record_attendance(booking, **form.cleaned_data, user=user)
        return f"{booking.organisation or booking.booker_name}: attendance saved."
    if action in ("came", "did-not-come"):
        booking = _booking(request, session)
        attendance_service.tick_named_attendee(booking, attended=action == "came", user=user)
        return f"{booking.booker_name}: {'attended' if action == 'came' else 'did not attend'}."
    if action == "walk-in":
        line = None
        if request.POST.get("attendance"):
            line = Attendance.objects.get(
                pk=int(request.POST["attendance"]), session=session, booking__isnull=True
            )
        form = WalkInForm(request.POST, organisations=organisations, prefix="walkin")
        if not form.is_valid():
            raise ServiceError(
                "Check the walk-in: " + "; ".join(e for errs in form.errors.values() for e in errs)
            )
        attendance_service.record_walk_in(session, **form.cleaned_data, user=user, attendance=line)
        return "Walk-in saved."
    if action == "named-walk-in":
        form = NamedWalkInForm(request.POST, prefix="named")
        if not form.is_valid():
            raise ServiceError(
                "Check the name and email: " + "; ".join(e for es in form.errors.values() for e in es)
            )
        attendee = attendance_service.add_named_walk_in(session, **form.cleaned_data, user=user)
        return f"{attendee.name} added as attended."
    raise ServiceError("Choose an action.")


# --- reach dashboard -----------------------------------------------------------------------------------


def _bars(rows, value_key, label_key="label"):
    top = max((r[value_key] or 0 for r in rows), default=0)
    return [{**r, "bar": round(100 * (r[value_key] or 0) / top, 1) if top else 0} for r in rows]


def _line(points, width=600, height=200, pad=30):
    """Coordinates for a server-rendered SVG line chart of (label, value) points."""
    if not points:
        return None
    top = max(v for _label, v in points) or 1
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = []
    for index, (label, value) in enumerate(points):
        x = pad + index * step if len(points) > 1 else width / 2
        y = height - pad - (height - 2 * pad) * value / top
        coords.append({"x": round(x, 1), "y": round(y, 1), "label": label, "value": value})
    return {
        "width": width,
        "height": height,
        "points": coords,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in coords),
        "baseline": height - pad,
    }


def reach_context(filters):
    figures = reach.cached_dashboard(filters)
    figures["funnel_bars"] = _bars(figures["funnel"]["steps"], "value")
    for breakdown in figures["breakdowns"].values():
        breakdown["rows"] = _bars(breakdown["rows"][:25], "attended_pupils")
    figures["year_group_bars"] = _bars(figures["year_groups"], "booked_pupils")
    figures["audience_bars"] = _bars(figures["audiences"], "people")
    figures["sector_bars"] = _bars(figures["trained_by_sector"], "cohort_members")
    figures["year_on_year_line"] = _line([(r["code"], r["attended_pupils"]) for r in figures["year_on_year"]])
    return figures


@_require(VIEW_REACH)
def reach_dashboard(request, campaign_id=None):
    data = request.GET.copy()
    if campaign_id is not None:
        data["campaign"] = str(campaign_id)
    form = ReachFilterForm(data)
    filters = form.to_filter() if form.is_valid() else reach.ReachFilter(campaign_id=campaign_id)
    figures = reach_context(filters)
    campaign = (
        figures["filters"].campaigns[0] if filters.campaign_id and figures["filters"].campaigns else None
    )
    if campaign_id is not None and campaign is None:
        raise Http404
    return TemplateResponse(
        request,
        "campaigns/reach/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "campaign": campaign,
            "query": request.GET.urlencode(),
            "never_reached_count": reach.count_never_reached(figures["filters"])
            if filters.campaign_id
            else None,
        },
    )


# --- reports with CSV/XLSX export ------------------------------------------------------------------


class ReachReportMixin:
    header_icon = "list-ul"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_REACH):
            return forbidden(request, VIEW_REACH)
        return super().dispatch(request, *args, **kwargs)

    @property
    def permission_policy(self):
        return None

    def reach_filter(self):
        form = ReachFilterForm(self.request.GET)
        filters = form.to_filter() if form.is_valid() else reach.ReachFilter()
        return reach.resolve(filters)


class NeverReachedReportView(ReachReportMixin, ReportView):
    page_title = "Eligible schools never reached"
    index_url_name = "campaigns_reach_never_reached"
    index_results_url_name = "campaigns_reach_never_reached_results"
    columns = [
        Column("name", label="Organisation"),
        Column("urn", label="URN"),
        Column("local_authority", label="Local authority"),
        Column("district", label="District"),
        Column("ward", label="Ward"),
        Column("establishment_type", label="Type"),
        Column("postcode", label="Postcode"),
        Column("number_of_pupils", label="Pupils on roll"),
    ]
    list_export = [
        "name",
        "urn",
        "local_authority",
        "district",
        "ward",
        "establishment_type",
        "postcode",
        "number_of_pupils",
    ]
    export_headings = {
        "name": "Name",
        "urn": "URN",
        "local_authority": "Local authority",
        "district": "District",
        "ward": "Ward",
        "establishment_type": "Type",
        "postcode": "Postcode",
        "number_of_pupils": "Pupils on roll",
    }

    def get_filename(self):
        return f"never-reached-{timezone.localdate().isoformat()}"

    @property
    def scope(self):
        scope = self.request.GET.get("scope", "series")
        return scope if scope in reach.NEVER_REACHED_SCOPES else "series"

    def get_page_subtitle(self):
        return f"Eligible for the chosen campaigns and not reached {reach.NEVER_REACHED_SCOPES[self.scope]}"

    def get_queryset(self):
        return reach.never_reached(self.reach_filter(), self.scope)


class ReachByAreaReportView(ReachReportMixin, ReportView):
    page_title = "Reach by area"
    index_url_name = "campaigns_reach_by_area"
    index_results_url_name = "campaigns_reach_by_area_results"
    columns = [
        Column("label", label="Area or kind"),
        Column("eligible", label="Eligible"),
        Column("invited", label="Invited"),
        Column("booked", label="Booked"),
        Column("attended", label="Reached"),
        Column("coverage_rate", label="Coverage %"),
        Column("booked_pupils", label="Pupils booked"),
        Column("attended_pupils", label="Pupils reached"),
        Column("attended_staff", label="Staff"),
        Column("attended_adults", label="Adults"),
    ]
    list_export = [
        "label",
        "eligible",
        "invited",
        "booked",
        "attended",
        "coverage_rate",
        "booked_pupils",
        "attended_pupils",
        "attended_staff",
        "attended_adults",
    ]
    export_headings = {
        "label": "Area or kind",
        "eligible": "Eligible",
        "invited": "Invited",
        "booked": "Booked",
        "attended": "Reached",
        "coverage_rate": "Coverage %",
        "booked_pupils": "Pupils booked",
        "attended_pupils": "Pupils reached",
        "attended_staff": "Staff",
        "attended_adults": "Adults",
    }

    @property
    def dimension(self):
        value = self.request.GET.get("by", "local_authority")
        return value if value in reach.BREAKDOWN_DIMENSIONS else "local_authority"

    def get_page_subtitle(self):
        return f"By {reach.BREAKDOWN_DIMENSIONS[self.dimension].lower()}"

    def get_filename(self):
        return f"reach-by-{self.dimension.replace('_', '-')}-{timezone.localdate().isoformat()}"

    def get_queryset(self):
        return reach.breakdown(self.reach_filter(), self.dimension)


# --- cohorts -------------------------------------------------------------------------------------------


@_require(VIEW_REACH)
def cohort_compliance(request, cohort_id=None):
    cohort = get_object_or_404(Cohort, pk=cohort_id) if cohort_id else None
    status = request.GET.get("status", "")
    members = None
    if cohort is not None:
        members = reach.members_with_status(cohort=cohort).order_by("name")
        if status in reach.COMPLIANCE_STATUSES:
            members = members.filter(status=status)
    return TemplateResponse(
        request,
        "campaigns/reach/cohorts.html",
        {
            "cohort": cohort,
            "cohorts": reach.cohorts_summary(),
            "compliance": reach.cohort_compliance(cohort) if cohort else None,
            "members": members,
            "status": status,
            "statuses": reach.COMPLIANCE_STATUSES,
            "upload_form": CohortUploadForm(initial={"cohort": cohort}),
            "can_upload": request.user.has_perm("campaigns.change_cohort"),
        },
    )


@_require("campaigns.change_cohort")
@require_http_methods(["POST"])
def cohort_upload(request):
    form = CohortUploadForm(request.POST, request.FILES)
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


# --- partner tokens ------------------------------------------------------------------------------------


class PartnerTokenCreateView(CreateView):
    def form_valid(self, form):
        try:
            with transaction.atomic():
                token, raw = partner_tokens.issue_token(form.cleaned_data["name"], user=self.request.user)
        except ServiceError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        return render(
            self.request,
            "campaigns/reach/partner_token_created.html",
            {"token": token, "raw_token": raw, "index_url": reverse(self.index_url_name)},
        )


class PartnerTokenViewSet(ModelViewSet):
    model = PartnerToken
    url_prefix = "partner-tokens"
    url_namespace = "campaigns_partnertoken"
    icon = "key"
    menu_label = "Partner API tokens"
    form_fields = ["name", "active"]
    list_display = ["name", "prefix", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    add_view_class = PartnerTokenCreateView
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["name", "prefix", "active", "created_by", "created_at", "last_used_at"]


class TrainingCourseViewSet(ModelViewSet):
    model = TrainingCourse
    url_prefix = "training-courses"
    url_namespace = "campaigns_trainingcourse"
    icon = "doc-full"
    form_fields = ["name", "slug", "sector", "renewal_months", "events"]
    list_display = ["name", "sector", "renewal_months"]
    copy_view_enabled = False


def certificate_link(record):
    return reverse("campaigns:certificate", args=[certificate_token(record)])


class TrainingRecordViewSet(ModelViewSet):
    model = TrainingRecord
    url_prefix = "training-records"
    url_namespace = "campaigns_trainingrecord"
    icon = "tick-inverse"
    form_fields = ["name", "email", "licence_number", "organisation_name", "sector", "revoked"]
    list_display = ["name", "course", "licence_number", "completed_on", "valid_until", "revoked"]
    list_filter = ["course", "sector", "revoked"]
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
        "revoked",
    ]
    copy_view_enabled = False
    add_view_enabled = False


class CohortViewSet(ModelViewSet):
    model = Cohort
    url_prefix = "cohorts"
    url_namespace = "campaigns_cohort"
    icon = "group"
    form_fields = ["name", "sector", "course", "description"]
    list_display = ["name", "sector", "course"]
    copy_view_enabled = False


class ReachViewSetGroup(ModelViewSetGroup):
    menu_label = "Training and API"
    menu_icon = "tick-inverse"
    menu_order = 260
    items = (TrainingCourseViewSet, TrainingRecordViewSet, CohortViewSet, PartnerTokenViewSet)


# --- registration ----------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_reach_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_reach_viewsets():
    return ReachViewSetGroup()


@hooks.register("register_admin_urls")
def register_reach_urls():
    return [
        path("register/", register_index, name="campaigns_register"),
        path("register/<int:session_id>/", register_session, name="campaigns_register_session"),
        path("reach/", reach_dashboard, name="campaigns_reach"),
        path("reach/campaign/<int:campaign_id>/", reach_dashboard, name="campaigns_reach_campaign"),
        path("reach/never-reached/", NeverReachedReportView.as_view(), name="campaigns_reach_never_reached"),
        path(
            "reach/never-reached/results/",
            NeverReachedReportView.as_view(results_only=True),
            name="campaigns_reach_never_reached_results",
        ),
        path("reach/by-area/", ReachByAreaReportView.as_view(), name="campaigns_reach_by_area"),
        path(
            "reach/by-area/results/",
            ReachByAreaReportView.as_view(results_only=True),
            name="campaigns_reach_by_area_results",
        ),
        path("reach/cohorts/", cohort_compliance, name="campaigns_cohorts"),
        path("reach/cohorts/<int:cohort_id>/", cohort_compliance, name="campaigns_cohort"),
        path("reach/cohorts/upload/", cohort_upload, name="campaigns_cohort_upload"),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_register_menu_item():
    return PermissionMenuItem(
        "Registers",
        reverse("campaigns_register"),
        icon_name="clipboard-list",
        order=250,
        permission=TAKE_REGISTER,
    )


@hooks.register("register_admin_menu_item")
def register_reach_menu_item():
    return PermissionMenuItem(
        "Reach", reverse("campaigns_reach"), icon_name="view", order=255, permission=VIEW_REACH
    )


@hooks.register("register_reports_menu_item")
def register_never_reached_report():
    return PermissionMenuItem(
        "Schools never reached",
        reverse("campaigns_reach_never_reached"),
        icon_name="warning",
        order=1100,
        permission=VIEW_REACH,
    )


@hooks.register("register_reports_menu_item")
def register_reach_by_area_report():
    return PermissionMenuItem(
        "Reach by area",
        reverse("campaigns_reach_by_area"),
        icon_name="site",
        order=1110,
        permission=VIEW_REACH,
    )


@hooks.register("register_reports_menu_item")
def register_cohorts_report():
    return PermissionMenuItem(
        "Cohort training compliance",
        reverse("campaigns_cohorts"),
        icon_name="group",
        order=1120,
        permission=VIEW_REACH,
    )


@hooks.register("register_permissions")
def register_reach_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="campaigns", codename__in=["take_register", "view_reach"]
    )


# --- panels on the campaign's admin page ------------------------------------------------------------------


class AttendancePanel:
    """Campaign page panel: registers taken for the campaign's past sessions."""

    title = "Attendance"
    order = 60
    template_name = "campaigns/reach/panel_attendance.html"

    def is_shown(self, campaign, request):
        return request.user.has_perm(TAKE_REGISTER) or request.user.has_perm(VIEW_REACH)

    def get_context(self, campaign, request):
        filters = reach.resolve(reach.ReachFilter(campaign_id=campaign.pk))
        return {
            "people": reach.people(filters),
            "sessions": selectors_attendance.campaign_register_sessions(campaign),
            "can_take_register": request.user.has_perm(TAKE_REGISTER),
        }


class ReachPanel:
    """Campaign page panel: the funnel and coverage, with a link to the full reach dashboard."""

    title = "Reach"
    order = 70
    template_name = "campaigns/reach/panel_reach.html"

    def is_shown(self, campaign, request):
        return request.user.has_perm(VIEW_REACH)

    def get_context(self, campaign, request):
        filters = reach.resolve(reach.ReachFilter(campaign_id=campaign.pk))
        funnel = reach.funnel(filters)
        return {
            "funnel": funnel,
            "funnel_bars": _bars(funnel["steps"], "value"),
            "people": reach.people(filters),
            "reach_url": reverse("campaigns_reach_campaign", args=[campaign.pk]),
        }


@hooks.register("register_campaign_dashboard_panel")
def register_reach_panels():
    return [AttendancePanel(), ReachPanel()]
