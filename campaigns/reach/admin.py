"""Staff screens for reach: the dashboard (whole programme or one campaign), the "never reached" and "by
area" reports with their exports, and the campaign dashboard's attendance and reach panels. Seen by staff
holding `campaigns.view_reach` (Campaign staff, and Partner analysts read-only)."""

from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from campaigns.evaluation import selectors as evaluation
from campaigns.figures import targets_schools_only
from campaigns.models import Campaign, Phase, QuestionKind
from campaigns.policies import forbidden, require_permission
from campaigns.reach import cache as reach_cache
from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach
from campaigns.reach.forms import (
    ReachFilterForm,
)
from campaigns.register import selectors as selectors_attendance
from campaigns.roles import TAKE_REGISTER, VIEW_REACH
from cms import partnership
from cms.exports import TitledExportMixin
from cms.models import Authority

# --- the register ------------------------------------------------------------------------------------


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


SCALE_TOP = 5  # the 1 to 5 scales of evaluations


def _answer_bars(rows):
    """A question's answers in one phase as bars: each option's share of those who answered. None when
    the phase's counts are suppressed (answered by too few)."""
    if any(count is None for _label, count in rows):
        return None
    answered = sum(count for _label, count in rows)
    return [
        {"label": label, "count": count, "percent": round(100 * count / answered) if answered else 0}
        for label, count in rows
    ]


def evaluation_context(campaign):
    """ "Did it work?" for a campaign's dashboard: each of its questionnaires' figures, with bars.

    A question answered by fewer than the threshold gets no bar and no number (the selectors give None for
    each of its counts); only "fewer than 5" is said. A fixed number of queries per questionnaire, whatever
    the number of sessions, questions and answers."""
    results = []
    for figures in evaluation.campaign_figures(campaign):
        questions = []
        for question in figures.questions:
            shown = {
                "text": question.text,
                "version": question.version,
                "suppressed": question.suppressed,
                "phases": [],
                "scale": None,
            }
            if not question.suppressed:
                shown["phases"] = [
                    {"label": str(Phase(phase).label), "rows": _answer_bars(rows)}
                    for phase, rows in question.distribution.items()
                ]
            if question.kind == QuestionKind.SCALE and not question.suppressed:
                shown["scale"] = [
                    {
                        "label": str(Phase(phase).label),
                        "mean": mean,
                        "bar": round(100 * mean / SCALE_TOP, 1) if mean is not None else None,
                    }
                    for phase, mean in (
                        (Phase.BEFORE, question.mean_before),
                        (Phase.AFTER, question.mean_after),
                    )
                    if phase in question.distribution
                ]
                shown["shift"] = question.shift
            questions.append(shown)
        results.append({"figures": figures, "questions": questions})
    return {"results": results, "suppressed_text": evaluation.suppressed_text()}


# Rows of each breakdown on the dashboard (most pupils reached first); the by-area report and its
# exports list every row.
DASHBOARD_BREAKDOWN_ROWS = 10


def reach_context(filters):
    figures = reach_cache.cached_dashboard(filters)
    figures["funnel_bars"] = _bars(figures["funnel"]["steps"], "value")
    for breakdown in figures["breakdowns"].values():
        breakdown["count"] = len(breakdown["rows"])
        breakdown["rows"] = _bars(breakdown["rows"][:DASHBOARD_BREAKDOWN_ROWS], "attended_pupils")
    figures["year_group_bars"] = _bars(figures["year_groups"], "booked_pupils")
    figures["audience_bars"] = _bars(figures["audiences"], "people")
    figures["sector_bars"] = _bars(figures["trained_by_sector"], "cohort_members")
    figures["year_on_year_line"] = _line([(r["code"], r["attended_pupils"]) for r in figures["year_on_year"]])
    return figures


@require_permission(VIEW_REACH)
def reach_dashboard(request, campaign_id=None):
    data = request.GET.copy()
    if campaign_id is not None:
        get_object_or_404(partnership.scope(Campaign.objects.all(), request.user), pk=campaign_id)
        data["campaign"] = str(campaign_id)
    # The campaign choices are those the user sees; another council's id is refused as a bad choice.
    form = partnership.scope_form(ReachFilterForm(data), request.user, filtering=True)
    filters = form.to_filter() if form.is_valid() else reach_filters.ReachFilter(campaign_id=campaign_id)
    # A council's staff see their councils' figures only (cms.partnership); coordinators everything.
    filters = reach_filters.limited_to(filters, partnership.council_ids(request.user))
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
            # The reports' filter: this page's, with its campaign when the campaign is in the address.
            "report_query": data.urlencode(),
            # Both counts in one query, kept with the figures (and shared with the API) until the data changes.
            "never_reached": reach_cache.cached_never_reached_counts(figures["filters"])
            if filters.campaign_id
            else None,
            # Not cached with the reach figures: answers arrive at any time, and these are a few queries.
            "evaluation": evaluation_context(campaign) if campaign is not None else None,
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
        if not hasattr(self, "_reach_filter"):
            form = partnership.scope_form(
                ReachFilterForm(self.request.GET), self.request.user, filtering=True
            )
            filters = form.to_filter() if form.is_valid() else reach_filters.ReachFilter()
            filters = reach_filters.limited_to(filters, partnership.council_ids(self.request.user))
            self._reach_filter = reach_filters.resolve(filters)
        return self._reach_filter

    def export_title_rows(self):
        return [
            f"{self.page_title}: {self.get_page_subtitle()}",
            *describe_filter(self.reach_filter()),
            f"Downloaded {timezone.localtime():%d %b %Y %H:%M}",
        ]

    def filter_slug(self):
        filters = self.reach_filter()
        if reach_filters.scoped(filters):
            return "-".join(slugify(c.code or c.slug) for c in filters.campaigns) or "no-campaign"
        return "all-campaigns"


def describe_filter(filters):
    """The filter in words, for the first rows of an export."""
    if filters.campaign_id or filters.series:
        names = ", ".join(f"{c.name} ({c.code})" if c.code else c.name for c in filters.campaigns)
        lines = [f"Campaign: {names or 'none matches'}"]
        if filters.series:
            lines.append(f"Series: {filters.series}")
    elif filters.council_ids is not None:
        lines = ["Campaign: every campaign of the council and every joint campaign"]
    else:
        lines = ["Campaign: every campaign"]
    if filters.council_ids is not None:
        councils = Authority.objects.filter(pk__in=filters.council_ids).values_list("name", flat=True)
        lines.append(f"Partner council: {', '.join(councils) or 'none'} (its organisations only)")
    if filters.date_from or filters.date_to:
        lines.append(f"Sessions from {filters.date_from or 'the start'} to {filters.date_to or 'the end'}")
    for name, label in (
        ("local_authority", "Local authority"),
        ("district", "District"),
        ("ward", "Ward"),
        ("kind", "Kind of organisation"),
    ):
        value = getattr(filters, name)
        if value:
            lines.append(f"{label}: {value}")
    return lines


class NeverReachedReportView(ReachReportMixin, TitledExportMixin, ReportView):
    page_title = "Eligible organisations never reached"
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
        return f"never-reached-{self.filter_slug()}-{self.scope}-{timezone.localdate().isoformat()}"

    def export_totals_row(self, queryset):
        totals = queryset.aggregate(n=Count("pk"), pupils=Sum("number_of_pupils"))
        return {
            "name": f"Total: {totals['n']} organisation{'s' if totals['n'] != 1 else ''}",
            "number_of_pupils": totals["pupils"] or 0,
        }

    @property
    def scope(self):
        scope = self.request.GET.get("scope", "series")
        return scope if scope in reach.NEVER_REACHED_SCOPES else "series"

    def get_page_subtitle(self):
        filters = self.reach_filter()
        if not reach_filters.scoped(filters):
            return f"Eligible for any campaign and not reached {reach.NEVER_REACHED_SCOPES[self.scope]}"
        what = "schools" if all(targets_schools_only(c) for c in filters.campaigns) else "organisations"
        return (
            f"Eligible {what} for the chosen campaigns not reached {reach.NEVER_REACHED_SCOPES[self.scope]}"
        )

    def get_queryset(self):
        return partnership.scope(reach.never_reached(self.reach_filter(), self.scope), self.request.user)


BY_AREA_FIGURES = (
    ("label", "Area or kind"),
    ("eligible", "Eligible"),
    ("invited", "Invited (eligible)"),
    ("opened", "Opened or answered"),
    ("booked", "Booked"),
    ("reached", "Reached"),
    ("eligible_reached", "Eligible reached by any route"),
    ("coverage_rate", "Coverage %"),
    ("organisations_reached", "Organisations reached by any route"),
    ("booked_pupils", "Pupils booked"),
    ("attended_pupils", "Pupils reached"),
    ("attended_staff", "Staff reached"),
    ("attended_adults", "Adults reached"),
)


class ReachByAreaReportView(ReachReportMixin, TitledExportMixin, ReportView):
    page_title = "Reach by area"
    index_url_name = "campaigns_reach_by_area"
    index_results_url_name = "campaigns_reach_by_area_results"
    columns = [
        Column("label", label="Area or kind"),
        *(Column(key, label=label) for key, label in BY_AREA_FIGURES[1:]),
    ]
    list_export = [key for key, _label in BY_AREA_FIGURES]
    export_headings = dict(BY_AREA_FIGURES)

    @property
    def dimension(self):
        value = self.request.GET.get("by", "local_authority")
        shown = reach.breakdown_dimensions(self.reach_filter())
        return value if value in shown else "local_authority"

    def get_page_subtitle(self):
        return f"By {reach.BREAKDOWN_DIMENSIONS[self.dimension].lower()}"

    def get_filename(self):
        dimension = self.dimension.replace("_", "-")
        return f"reach-by-{dimension}-{self.filter_slug()}-{timezone.localdate().isoformat()}"

    def get_queryset(self):
        return reach.breakdown(self.reach_filter(), self.dimension)

    def export_totals_row(self, queryset):
        return reach.breakdown_totals(queryset)


# --- cohorts -------------------------------------------------------------------------------------------


# --- partner tokens ------------------------------------------------------------------------------------


# --- registration ----------------------------------------------------------------------------------------


# --- panels on the campaign's admin page ------------------------------------------------------------------


def _campaign_filter(campaign, request):
    """One campaign's figures as the user may see them (a joint campaign: their own councils' part)."""
    filters = reach_filters.ReachFilter(campaign_id=campaign.pk)
    return reach_filters.resolve(reach_filters.limited_to(filters, partnership.council_ids(request.user)))


class ReachPanel:
    """Campaign page panel: the funnel and coverage, with a link to the full reach dashboard."""

    title = "Reach"
    order = 70
    template_name = "campaigns/reach/panel_reach.html"

    def is_shown(self, campaign, request):
        return request.user.has_perm(VIEW_REACH)

    def get_context(self, campaign, request):
        filters = _campaign_filter(campaign, request)
        funnel = reach.funnel(filters)
        return {
            "funnel": funnel,
            "funnel_bars": _bars(funnel["steps"], "value"),
            "people": reach.people(filters),
            "reach_url": reverse("campaigns_reach_campaign", args=[campaign.pk]),
        }


class AttendancePanel:
    """Campaign page panel: registers taken for the campaign's past sessions."""

    title = "Attendance"
    order = 60
    template_name = "campaigns/register/panel_attendance.html"

    def is_shown(self, campaign, request):
        return request.user.has_perm(TAKE_REGISTER) or request.user.has_perm(VIEW_REACH)

    def get_context(self, campaign, request):
        filters = _campaign_filter(campaign, request)
        return {
            "people": reach.people(filters),
            "sessions": selectors_attendance.campaign_register_sessions(campaign),
            "can_take_register": request.user.has_perm(TAKE_REGISTER),
        }


def admin_urls():
    return [
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
    ]
