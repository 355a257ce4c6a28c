"""Reach: the one place that computes who a campaign reached. Every figure is a database aggregate.

Figures are computed for a `ReachFilter` (campaign or series, session date range, area, organisation
kind). Each function runs a fixed number of queries, whatever the size of the data.

Definitions used throughout:
- eligible: an open, confirmed organisation in one of the campaign's local authorities (all areas when the
  campaign names none); for a campaign with year groups, a school whose statutory age range covers them;
  for a faith and community campaign, faith and community groups.
- invited / opened: has an invitation to the campaign / the invitation was opened, clicked or answered.
- booked: has a confirmed booking for a session of the campaign in the date range.
- attended (reached): the register shows people from it (`Attendance.objects.reached()`, the one
  definition every screen uses; walk-ins with an organisation count too). A booking alone reaches nobody:
  what counts is who came.
"""

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from campaigns.figures import rate
from campaigns.models import (
    Attendance,
    Booking,
    BookingStatus,
    Campaign,
    NamedAttendee,
    Organisation,
    OrganisationKind,
    TrainingRecord,
)
from campaigns.reach.filters import (
    BREAKDOWN_DIMENSIONS,
    NEVER_REACHED_SCOPES,
    any_eligible_q,
    attendance,
    bookings,
    campaign_ids,
    campaign_q,
    invitations_sent,
    organisation_q,
    resolve,
    scoped,
    session_date_q,
)
from campaigns.training import selectors as training_selectors
from resources.selectors import download_counts
from resources.taxonomy import Audience, Sector, YearGroup

# --- building blocks -------------------------------------------------------------------------------


# --- the figures ---------------------------------------------------------------------------------------


def funnel(filters):
    """Organisations eligible → invited → opened → booked → attended, with each step's rate.

    Each step is one distinct count over its own table (joined to organisations only when filtering
    by area), which the database answers from indexes without visiting every organisation.
    """
    area = organisation_q(filters, "organisation__")
    in_a_campaign = Q() if scoped(filters) else Q(campaign__isnull=False)
    invitations = invitations_sent(filters).filter(area)
    distinct_organisations = Count("organisation", distinct=True)
    figures = {
        "eligible": Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters)).count(),
        **invitations.aggregate(
            invited=distinct_organisations,
            opened=Count(
                "organisation",
                distinct=True,
                filter=Q(opened_at__isnull=False) | Q(clicked_at__isnull=False) | Q(booked_at__isnull=False),
            ),
        ),
        "booked": bookings(filters).filter(in_a_campaign).aggregate(n=distinct_organisations)["n"],
        **attendance(filters)
        .filter(in_a_campaign)
        .aggregate(
            attended=distinct_organisations,
            eligible_reached=Count(
                "organisation", distinct=True, filter=any_eligible_q(filters, "organisation__")
            ),
        ),
    }
    steps = []
    previous = None
    for key, label in (
        ("eligible", "Eligible"),
        ("invited", "Invited"),
        ("opened", "Opened the invitation"),
        ("booked", "Booked"),
        ("attended", "Attended"),
    ):
        value = figures[key]
        steps.append({"key": key, "label": label, "value": value, "rate": rate(value, previous)})
        previous = value
    return {
        "steps": steps,
        **figures,
        "coverage_rate": rate(figures["eligible_reached"], figures["eligible"]),
    }


def people(filters):
    """Pupils, staff and adults booked and attended, against the target. Three queries."""
    booked = bookings(filters).aggregate(
        pupils=Coalesce(Sum("pupils"), 0),
        staff=Coalesce(Sum("staff"), 0),
        adults=Coalesce(Sum(F("adults") + F("guests")), 0),
        bookings=Count("pk"),
    )
    came = attendance(filters).aggregate(
        pupils=Coalesce(Sum("pupils"), 0),
        staff=Coalesce(Sum("staff"), 0),
        adults=Coalesce(Sum("adults"), 0),
        walk_ins=Count("pk", filter=Q(booking__isnull=True)),
    )
    no_shows = Attendance.objects.filter(
        Q(no_show=True)
        & campaign_q(filters)
        & session_date_q(filters)
        & organisation_q(filters, "organisation__")
    ).count()
    # Named walk-ins at professional training have no count line of their own.
    named_walk_ins = 0
    if not filters.has_area:
        named_walk_ins = NamedAttendee.objects.filter(
            Q(booking__isnull=True, attended=True)
            & session_date_q(filters)
            & (Q(session__event__campaigns__in=campaign_ids(filters)) if scoped(filters) else Q())
        ).count()
    came["adults"] += named_walk_ins
    target = sum(c.target_reach for c in filters.campaigns) if scoped(filters) else None
    return {
        "booked": booked,
        "attended": came,
        "no_shows": no_shows,
        "target": target,
        "pupils_vs_target": rate(came["pupils"], target) if target else None,
        "attendance_rate": rate(came["pupils"], booked["pupils"]),
    }


def breakdown(filters, dimension):
    """Organisations and people by an organisation field (local authority, district, ward, kind, type).

    Four grouped queries, each a single join: eligible organisations, invited organisations, bookings
    (organisations and people) and attendance (organisations and people) per value.
    """
    if dimension not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"Unknown breakdown {dimension!r}")
    rows = {}

    def row_for(key):
        return rows.setdefault(key, _empty_row(key))

    for row in (
        Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters))
        .values(dimension)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row_for(row[dimension])["eligible"] = row["n"]
    field = f"organisation__{dimension}"
    for row in (
        invitations_sent(filters)
        .filter(organisation_q(filters, "organisation__"))
        .values(field)
        .annotate(n=Count("organisation", distinct=True))
        .order_by()
    ):
        row_for(row[field])["invited"] = row["n"]
    in_a_campaign = Q() if scoped(filters) else Q(campaign__isnull=False)
    for prefix, qs, adults in (
        ("booked", bookings(filters), Sum(F("adults") + F("guests"))),
        ("attended", attendance(filters), Sum("adults")),
    ):
        for row in (
            qs.filter(organisation__isnull=False)
            .values(field)
            .annotate(
                organisations=Count("organisation", distinct=True, filter=in_a_campaign),
                pupils=Sum("pupils"),
                staff=Sum("staff"),
                adults=adults,
            )
            .order_by()
        ):
            target = row_for(row[field])
            target[prefix] = row["organisations"]
            for measure in ("pupils", "staff", "adults"):
                target[f"{prefix}_{measure}"] = row[measure] or 0
    result = sorted(
        rows.values(), key=lambda r: (-(r["attended_pupils"] + r["attended_adults"]), str(r["value"]))
    )
    labels = dict(OrganisationKind.choices) if dimension == "kind" else {}
    for row in result:
        row["label"] = labels.get(row["value"], row["value"]) or "Not recorded"
        row["coverage_rate"] = rate(row["attended"], row["eligible"]) if row["eligible"] else None
    return result


def _empty_row(value):
    return {
        "value": value,
        "eligible": 0,
        "invited": 0,
        "booked": 0,
        "attended": 0,
        **{f"{p}_{m}": 0 for p in ("booked", "attended") for m in ("pupils", "staff", "adults")},
    }


def by_year_group(filters):
    """Pupils booked and attended per year group. Two queries."""
    booked = {
        r["year_group"]: r["pupils"]
        for r in bookings(filters).values("year_group").annotate(pupils=Sum("pupils")).order_by()
    }
    came = {
        r["year_group"]: r["pupils"]
        for r in attendance(filters).values("year_group").annotate(pupils=Sum("pupils")).order_by()
    }
    labels = dict(YearGroup.choices)
    order = {value: index for index, value in enumerate(YearGroup.values)}
    keys = sorted(set(booked) | set(came), key=lambda k: order.get(k, 99))
    return [
        {
            "value": k,
            "label": labels.get(k, "Not recorded"),
            "booked_pupils": booked.get(k) or 0,
            "attended_pupils": came.get(k) or 0,
        }
        for k in keys
        if (booked.get(k) or came.get(k))
    ]


def by_audience(filters):
    """People attended per campaign audience (children's age bands, parents, faith groups, professionals)."""
    rows = (
        attendance(filters)
        .values("campaign__audience")
        .annotate(pupils=Sum("pupils"), staff=Sum("staff"), adults=Sum("adults"))
        .order_by()
    )
    labels = dict(Audience.choices)
    return sorted(
        (
            {
                "value": r["campaign__audience"] or "",
                "label": labels.get(r["campaign__audience"], "Not part of a campaign"),
                "pupils": r["pupils"] or 0,
                "staff": r["staff"] or 0,
                "adults": r["adults"] or 0,
                "people": (r["pupils"] or 0) + (r["staff"] or 0) + (r["adults"] or 0),
            }
            for r in rows
        ),
        key=lambda r: -r["people"],
    )


def never_reached(filters, scope="series"):
    """Eligible organisations that no campaign has reached: in the series (`scope="series"`) or ever.

    A queryset (for reports and exports), ordered by local authority and name.
    """
    if scope not in NEVER_REACHED_SCOPES:
        raise ValueError(f"Unknown scope {scope!r}")
    came = Attendance.objects.reached().filter(organisation=OuterRef("pk"))
    if scope == "series":
        series = {c.series for c in filters.campaigns if c.series}
        ids = campaign_ids(filters)
        came = came.filter(Q(campaign__series__in=series) | Q(campaign_id__in=ids))
    return (
        Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters))
        .exclude(Exists(came))
        .order_by("local_authority", "name")
    )


def _year_on_year(filters):
    """Per campaign in the series: organisations reached, pupils booked and attended. Two queries."""
    series = filters.series or next((c.series for c in filters.campaigns if c.series), "")
    if not series:
        return []
    area = organisation_q(filters, "organisation__")
    came = {
        r["campaign_id"]: r
        for r in Attendance.objects.reached()
        .filter(Q(campaign__series=series) & area)
        .values("campaign_id")
        .annotate(
            pupils=Coalesce(Sum("pupils"), 0),
            adults=Coalesce(Sum("adults"), 0),
            organisations=Count("organisation", distinct=True),
        )
        .order_by()
    }
    booked = {
        r["campaign_id"]: r["pupils"]
        for r in Booking.objects.filter(Q(status=BookingStatus.CONFIRMED, campaign__series=series) & area)
        .values("campaign_id")
        .annotate(pupils=Coalesce(Sum("pupils"), 0))
        .order_by()
    }
    campaigns = (
        Campaign.objects.filter(series=series)
        .order_by("starts_on")
        .values("pk", "name", "code", "starts_on", "target_reach")
    )
    return [
        {
            "campaign_id": c["pk"],
            "name": c["name"],
            "code": c["code"],
            "year": c["starts_on"].year,
            "target": c["target_reach"],
            "booked_pupils": booked.get(c["pk"], 0),
            "attended_pupils": came.get(c["pk"], {}).get("pupils", 0),
            "attended_adults": came.get(c["pk"], {}).get("adults", 0),
            "organisations_reached": came.get(c["pk"], {}).get("organisations", 0),
        }
        for c in campaigns
    ]


def year_on_year(filters):
    return _year_on_year(filters)


# --- training and cohorts ---------------------------------------------------------------------------


def trained_by_sector(filters, today=None):
    """People with current training per sector, against cohort sizes and cohort members current. Two queries."""
    today = today or timezone.localdate()
    q = Q(revoked=False, valid_until__gte=today)
    if filters.date_from:
        q &= Q(completed_on__gte=filters.date_from)
    if filters.date_to:
        q &= Q(completed_on__lte=filters.date_to)
    trained = {
        r["sector"]: r["people"]
        for r in TrainingRecord.objects.filter(q)
        .annotate(person=Concat("email", Value("|"), "licence_number", output_field=CharField()))
        .values("sector")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    }
    cohorts = {
        r["sector"]: r
        for r in training_selectors.members_with_status(today)
        .values("sector")
        .annotate(
            members=Count("pk"),
            current=Count("pk", filter=Q(status__in=["current", "expiring"])),
        )
        .order_by()
    }
    labels = dict(Sector.choices)
    keys = sorted(set(trained) | set(cohorts), key=lambda k: labels.get(k, "~"))
    return [
        {
            "value": k,
            "label": labels.get(k, "Not recorded"),
            "trained_current": trained.get(k, 0),
            "cohort_members": cohorts.get(k, {}).get("members", 0),
            "cohort_current": cohorts.get(k, {}).get("current", 0),
            "cohort_rate": rate(cohorts.get(k, {}).get("current", 0), cohorts.get(k, {}).get("members", 0)),
        }
        for k in keys
    ]


# --- materials -------------------------------------------------------------------------------------------


def downloads(filters):
    """Material downloads by resource and by campaign attribution, from the library's counts. Three queries."""
    scope = {"start": filters.date_from, "end": filters.date_to}
    if scoped(filters):
        scope["campaign_ids"] = campaign_ids(filters)
    by_resource = download_counts(group_by=("resource_id", "resource__title"), **scope)[:25]
    by_campaign = download_counts(group_by=("campaign_id",), **scope)
    names = dict(
        Campaign.objects.filter(
            pk__in=[r["campaign_id"] for r in by_campaign if r["campaign_id"]]
        ).values_list("pk", "name")
    )
    return {
        "available": True,
        "by_resource": [
            {"title": r["resource__title"] or "Not from a resource page", "downloads": r["downloads"]}
            for r in by_resource
        ],
        "by_campaign": [
            {
                "campaign_id": r["campaign_id"] or None,
                "campaign": names.get(r["campaign_id"], "No campaign (site visitors)"),
                "downloads": r["downloads"],
            }
            for r in by_campaign
        ],
    }


# --- everything at once --------------------------------------------------------------------------------


def dashboard(filters, today=None):
    """Every figure the reach dashboard and the API show, for a filter. A fixed number of queries."""
    filters = resolve(filters)
    return {
        "filters": filters,
        "funnel": funnel(filters),
        "people": people(filters),
        "breakdowns": {
            name: {"label": label, "rows": breakdown(filters, name)}
            for name, label in BREAKDOWN_DIMENSIONS.items()
        },
        "year_groups": by_year_group(filters),
        "audiences": by_audience(filters),
        "year_on_year": year_on_year(filters),
        "trained_by_sector": trained_by_sector(filters, today),
        "cohorts": training_selectors.cohorts_summary(today),
        "downloads": downloads(filters),
    }


def count_never_reached(filters, scope="series"):
    return never_reached(filters, scope).count()


# --- caching -------------------------------------------------------------------------------------------
