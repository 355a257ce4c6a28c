"""The read-only partner API at /api/v1/ (django-ninja): campaigns, sessions and reach, aggregate only.

Every call needs `Authorization: Bearer <token>` with a token issued in the admin (401 otherwise).
Bad parameters get 422 with the reason. No endpoint returns personal data.
"""

import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import F
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import Field, model_validator

from campaigns.evaluation import selectors as evaluation
from campaigns.models import Campaign, OrganisationKind
from campaigns.partner_api import services as partner_tokens
from campaigns.reach import cache as reach_cache
from campaigns.reach import filters as reach_filters
from cms.partnership import scope_to_council
from events.models import Session, SessionStatus

RATE_LIMIT_PER_MINUTE = 120


class PartnerBearer(HttpBearer):
    def authenticate(self, request, token):
        partner = partner_tokens.authenticate(token)
        if partner is None:
            return None
        key = f"api-rate:{partner.pk}:{int(datetime.datetime.now().timestamp() // 60)}"
        cache.add(key, 0, 90)
        try:
            calls = cache.incr(key)
        except ValueError:
            calls = 1
        if calls > RATE_LIMIT_PER_MINUTE:
            raise HttpError(429, f"More than {RATE_LIMIT_PER_MINUTE} requests a minute; slow down.")
        return partner


api = NinjaAPI(
    title="Safe Together partner API",
    version="1.0",
    description="Aggregate reach figures for campaign partners. Authenticate with a Bearer token.",
    urls_namespace="api_v1",
    auth=PartnerBearer(),
    docs_url=None,
)


class ErrorOut(Schema):
    detail: str | list


# Every answer an endpoint can give is in the schema, so partners (and schemathesis) know what to expect.
# 400: a parameter holds a character no parameter may (a NUL), refused before the API runs (cms.middleware).
ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class CampaignOut(Schema):
    id: int
    name: str
    code: str
    series: str
    audience: str
    year_groups: list[str]
    target_reach: int
    local_authorities: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    status: str


class SessionOut(Schema):
    id: int
    event: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    status: str
    capacity: int
    taken: int
    left: int


class ReachQuery(Schema):
    campaign: int | None = Field(None, ge=1, description="A campaign id; omit for every campaign.")
    series: str = Field("", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    local_authority: str = Field("", max_length=100)
    district: str = Field("", max_length=100)
    ward: str = Field("", max_length=100)
    kind: OrganisationKind | None = None

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must be on or before date_to")
        return self

    def to_filter(self, council_id=None):
        """The filter; `council_id`: the council a token reads for (None: the whole partnership)."""
        return reach_filters.ReachFilter(
            council_ids=None if council_id is None else (council_id,),
            campaign_id=self.campaign,
            series=self.series,
            date_from=self.date_from,
            date_to=self.date_to,
            local_authority=self.local_authority,
            district=self.district,
            ward=self.ward,
            kind=self.kind.value if self.kind else "",
        )


class SessionQuery(Schema):
    campaign: int | None = Field(None, ge=1)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @model_validator(mode="after")
    def dates_in_order(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must be on or before date_to")
        return self


@api.get("/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="Campaigns")
def list_campaigns(request):
    return list(_campaigns(request).order_by("-starts_on", "name"))


def _council(request):
    """The council a token reads for (None: the whole partnership)."""
    return getattr(request.auth, "authority_id", None)


def _campaigns(request):
    return scope_to_council(Campaign.objects.all(), _council(request))


@api.get(
    "/sessions",
    response={200: list[SessionOut], 404: ErrorOut, **ERRORS},
    summary="Sessions with places (no bookings)",
)
def list_sessions(request, filters: Query[SessionQuery]):
    sessions = scope_to_council(Session.objects.all(), _council(request))
    if filters.campaign:
        if not _campaigns(request).filter(pk=filters.campaign).exists():
            raise HttpError(404, "No campaign has that id.")
        sessions = sessions.filter(event__campaigns=filters.campaign)
    if filters.date_from:
        sessions = sessions.filter(starts_at__date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(starts_at__date__lte=filters.date_to)
    rows = sessions.order_by("starts_at").values(
        "id",
        "starts_at",
        "ends_at",
        "status",
        "capacity",
        taken=F("places_taken"),
        event_title=F("event__title"),
        venue_name=F("venue__name"),
    )[:5000]
    return [
        {
            **row,
            "event": row["event_title"],
            "venue": row["venue_name"],
            # A cancelled session has no places to offer, whatever its capacity was.
            "left": 0 if row["status"] == SessionStatus.CANCELLED else max(row["capacity"] - row["taken"], 0),
        }
        for row in rows
    ]


def _public_reach(figures):
    """The dashboard figures without anything that names an organisation beyond an area or type."""
    f = figures["filters"]
    return {
        "filters": {
            "campaigns": [c.code for c in f.campaigns] if (f.campaign_id or f.series) else "all",
            "date_from": f.date_from,
            "date_to": f.date_to,
            "local_authority": f.local_authority,
            "district": f.district,
            "ward": f.ward,
            "kind": f.kind,
        },
        "funnel": figures["funnel"],
        "people": figures["people"],
        "outside_campaigns": figures["outside_campaigns"],
        "breakdowns": {k: v["rows"] for k, v in figures["breakdowns"].items()},
        "breakdown_totals": {k: v["totals"] for k, v in figures["breakdowns"].items()},
        "year_groups": figures["year_groups"],
        "audiences": figures["audiences"],
        "year_on_year": figures["year_on_year"],
        "trained_by_sector": figures["trained_by_sector"],
        "cohorts": [
            {
                k: row[k]
                for k in ("cohort__name", "members", "trained", "current", "expiring", "expired", "never")
            }
            for row in figures["cohorts"]
        ],
        "downloads": figures["downloads"],
    }


REACH_DESCRIPTION = """The figures the reach dashboard and its exports show, for the same filter.

- `funnel.steps`: organisations `eligible` → `invited` (eligible and invited) → `opened` (opened, clicked or
  answered, or booked) → `booked` (a confirmed booking) → `reached` (the register shows people from it).
  Each step is part of the one before; `rate` is from the step before. `funnel.attended` is `reached`.
- beside the funnel: `organisations_reached` (by any route), `eligible_reached` and `coverage_rate`
  (eligible organisations reached by any route), `reached_outside_funnel`, `reached_not_eligible`,
  `invited_not_eligible`, `booked_outside_funnel`.
- `people.attendance_rate`: pupils who came with a booking, as a share of pupils booked for sessions that
  have started (`people.booked.held_pupils`); sessions still to come are not in it.
- `breakdowns` rows add up to `breakdown_totals`, which equal the funnel and `people`; people with no
  organisation make a row of their own.
- `outside_campaigns`: people at sessions outside any campaign, in no other figure (null when a campaign
  or series is chosen).
- `cohorts[].trained`: members whose training is valid today (`current` + `expiring`).
"""


@api.get(
    "/reach",
    response={200: dict[str, Any], 404: ErrorOut, **ERRORS},
    summary="Reach figures (aggregate)",
    description=REACH_DESCRIPTION,
)
def get_reach(request, filters: Query[ReachQuery]):
    if filters.campaign and not _campaigns(request).filter(pk=filters.campaign).exists():
        raise HttpError(404, "No campaign has that id.")
    figures = reach_cache.cached_dashboard(filters.to_filter(_council(request)))
    result = _public_reach(figures)
    result["never_reached_count"] = reach_cache.cached_never_reached_counts(figures["filters"])
    return result


class EvaluationQuery(Schema):
    campaign: int | None = Field(
        None, ge=1, description="A campaign id; omit for every campaign of the series."
    )
    series: str = Field(
        "",
        max_length=50,
        pattern=r"^[-a-zA-Z0-9_]*$",
        description="A questionnaire series, for year on year.",
    )


EVALUATION_DESCRIPTION = (
    "Quiz and evaluation results as counts: respondents, response rate against those the register shows came, "
    "the answers to each question (before and after where asked), and the shift on 1 to 5 scales. Any figure "
    "from fewer than EVALUATION_MIN_RESPONDENTS respondents (5 unless configured) is null, with `suppressed` "
    "true. Give `campaign` for one campaign, or `series` for each campaign asking that questionnaire series, "
    "oldest first."
)


@api.get(
    "/evaluation",
    response={200: dict[str, Any], 404: ErrorOut, **ERRORS},
    summary="Quiz and evaluation results (aggregate, small numbers suppressed)",
    description=EVALUATION_DESCRIPTION,
)
def get_evaluation(request, filters: Query[EvaluationQuery]):
    campaigns = _campaigns(request)  # a council's token: its own campaigns and the joint ones
    if filters.campaign:
        campaign = campaigns.filter(pk=filters.campaign).first()
        if campaign is None:
            raise HttpError(404, "No campaign has that id.")
        sets = [(campaign.name, figures) for figures in evaluation.campaign_figures(campaign)]
    elif filters.series:
        sets = [(figures.label, figures) for figures in evaluation.series_figures(filters.series, campaigns)]
    else:
        sets = [
            (series, figures)
            for series in evaluation.all_series()
            for figures in evaluation.series_figures(series, campaigns)
        ]
    return {
        "minimum_respondents": evaluation.min_respondents(),
        "results": [{"scope": scope, **figures.as_dict()} for scope, figures in sets],
    }
