"""Reach: the one place that computes who a campaign reached. Every figure is a database aggregate.

Figures are computed for a `ReachFilter` (campaign or series, session date range, area, organisation
kind). Each function runs a fixed number of queries, whatever the size of the data. The dashboard, the
campaign page's panels, the by-area export and the partner API all read these functions.

The funnel counts organisations, and each step is part of the one before, campaign by campaign:
- eligible: organisations the campaign aims at (`campaigns.figures.eligible_q`);
- invited: eligible organisations with an invitation to the campaign (whenever it was sent);
- opened: invited eligible organisations that opened, clicked or answered the invitation, or booked;
- booked: of those, organisations with a confirmed booking for a session of the campaign in the range
  (future sessions included);
- reached: of those, organisations the register shows people from (`Attendance.objects.reached()`).
Beside the funnel, and not part of it: organisations reached by any route (walk-ins, bookings without an
invitation, organisations the campaign does not aim at), eligible organisations reached by any route
(coverage), organisations invited though not eligible, and organisations booked outside the funnel.

People are counted from bookings (booked) and register lines (came). "What share came" compares the
pupils who came with a booking against the pupils booked for sessions that have already started, so
sessions still to come never lower it. Register lines at sessions outside any campaign are never in a
campaign's figures; across every campaign they are reported on their own (`outside_campaigns`).

Where they can, the figures read the summaries per organisation per campaign (`OrganisationReach`, kept
current by the database in the transaction of every change) instead of the raw rows: always, unless the
filter's session dates leave out some booking or register line of its campaigns, and then every figure
is worked out from the raw rows as before. Bookings and register lines with no organisation, sessions
still to come, year groups and named walk-ins are always read from the raw rows (they are few, or need
what a summary does not keep). Both ways give the same figures to the unit.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from campaigns.figures import eligible_q, rate
from campaigns.models import (
    Attendance,
    Booking,
    BookingStatus,
    Campaign,
    Invitation,
    NamedAttendee,
    Organisation,
    OrganisationKind,
    OrganisationReach,
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
    campaign_session_date_q,
    held_q,
    organisation_q,
    resolve,
    scoped,
    session_date_q,
    use_summaries,
)
from campaigns.training import selectors as training_selectors
from cms.models import Authority
from resources.selectors import download_counts
from resources.taxonomy import Audience, Sector, YearGroup

# --- building blocks -------------------------------------------------------------------------------

FUNNEL_STEPS = (
    ("eligible", "Eligible"),
    ("invited", "Invited (eligible)"),
    ("opened", "Opened or answered"),
    ("booked", "Booked"),
    ("reached", "Reached"),
)

NO_ORGANISATION = "No organisation (individual bookings and walk-ins)"


def _opened_q():
    return (
        Q(opened_at__isnull=False)
        | Q(clicked_at__isnull=False)
        | Q(booked_at__isnull=False)
        | Q(declined_at__isnull=False)
    )


def _stages(filters):
    """Conditions on an organisation for each figure about organisations, campaign by campaign.

    An organisation is at a step when, for one campaign of the filter, it is at that step and at every
    step before it; so each step is part of the one before.
    """
    stages = {
        key: Q(pk__in=[])
        for key in (
            "eligible",
            "invited",
            "opened",
            "booked",
            "reached",
            "eligible_reached",
            "organisations_reached",
            "invited_not_eligible",
            "booked_any",
        )
    }
    dates = session_date_q(filters, "session__")
    for campaign in filters.campaigns:
        eligible = eligible_q(campaign)
        # Invitations whenever sent: the date range is about sessions, and an invitation sent before it
        # still brought the booking in it.
        invitation = Invitation.objects.filter(campaign_id=campaign.pk, organisation=OuterRef("pk"))
        booking = Booking.objects.filter(
            Q(campaign_id=campaign.pk, status=BookingStatus.CONFIRMED, organisation=OuterRef("pk")) & dates
        )
        came = Attendance.objects.reached().filter(
            Q(campaign_id=campaign.pk, organisation=OuterRef("pk")) & dates
        )
        invited = eligible & Q(Exists(invitation))
        opened = invited & (Q(Exists(invitation.filter(_opened_q()))) | Q(Exists(booking)))
        booked = opened & Q(Exists(booking))
        stages["eligible"] |= eligible
        stages["invited"] |= invited
        stages["opened"] |= opened
        stages["booked"] |= booked
        stages["reached"] |= booked & Q(Exists(came))
        stages["eligible_reached"] |= eligible & Q(Exists(came))
        stages["organisations_reached"] |= Q(Exists(came))
        stages["invited_not_eligible"] |= Q(Exists(invitation)) & ~eligible
        stages["booked_any"] |= Q(Exists(booking))
    return stages


def _summary_alias(campaign):
    return f"reach_{campaign.pk}"


def _summary_relations(filters):
    """Each campaign's summary row of an organisation, joined to it (at most one row per campaign)."""
    return {
        _summary_alias(c): FilteredRelation("reach_summaries", condition=Q(reach_summaries__campaign_id=c.pk))
        for c in filters.campaigns
    }


def _summary_stages(filters):
    """`_stages` read from the summaries joined by `_summary_relations` (no date range cuts them)."""
    stages = {key: Q(pk__in=[]) for key in _STAGE_KEYS}
    for campaign in filters.campaigns:
        a = _summary_alias(campaign)
        eligible = eligible_q(campaign)
        invited = eligible & Q(**{f"{a}__invited__gt": 0})
        has_booking = Q(**{f"{a}__bookings__gt": 0})
        came = Q(**{f"{a}__lines__gt": 0})
        opened = invited & (Q(**{f"{a}__opened__gt": 0}) | has_booking)
        booked = opened & has_booking
        stages["eligible"] |= eligible
        stages["invited"] |= invited
        stages["opened"] |= opened
        stages["booked"] |= booked
        stages["reached"] |= booked & came
        stages["eligible_reached"] |= eligible & came
        stages["organisations_reached"] |= came
        stages["invited_not_eligible"] |= Q(**{f"{a}__invited__gt": 0}) & ~eligible
        stages["booked_any"] |= has_booking
    return stages


_STAGE_KEYS = (
    "eligible",
    "invited",
    "opened",
    "booked",
    "reached",
    "eligible_reached",
    "organisations_reached",
    "invited_not_eligible",
    "booked_any",
)

# People per organisation, from its summaries: (figure, summary field).
_SUMMARY_PEOPLE = (
    ("booked_pupils", "booked_pupils"),
    ("booked_staff", "booked_staff"),
    ("booked_adults", "booked_adults"),
    ("attended_pupils", "came_pupils"),
    ("attended_staff", "came_staff"),
    ("attended_adults", "came_adults"),
)

# The columns of a row of `summary_figures`: the breakdown fields, then these figures.
_BREAKDOWN_FIELDS = tuple(BREAKDOWN_DIMENSIONS)
_FIGURE_KEYS = _STAGE_KEYS + tuple(name for name, _ in _SUMMARY_PEOPLE)


def _dimension(name, prefix=""):
    """The value an organisation is grouped by: one of its fields, or its partner council's name ("" for an
    organisation outside the partnership). With a prefix (from a booking or register line), None where
    there is no organisation."""
    if name != "partner_council":
        return F(f"{prefix}{name}")
    council = Coalesce(F(f"{prefix}authority__name"), Value(""))
    if not prefix:
        return council
    return Case(
        When(**{f"{prefix[:-2]}__isnull": True}, then=Value(None)),
        default=council,
        output_field=CharField(),
    )


def _summed(filters, field):
    total = Value(0)
    for campaign in filters.campaigns:
        total = total + Coalesce(f"{_summary_alias(campaign)}__{field}", 0)
    return Coalesce(Sum(total), 0)


def _organisation_counts(filters, group_by=None):
    """Every figure about organisations in one query, optionally grouped by an organisation field."""
    summaries = use_summaries(filters)
    qs = Organisation.objects.filter(organisation_q(filters)).annotate(
        partner_council=_dimension("partner_council")
    )
    if summaries:
        qs = qs.annotate(**_summary_relations(filters))
        stages = _summary_stages(filters)
    else:
        stages = _stages(filters)
    if group_by:
        qs = qs.values(group_by).order_by()
    counts = {key: Count("pk", filter=q) for key, q in stages.items()}
    if group_by:
        rows = qs.annotate(**counts)
        return {row[group_by]: _derived(row) for row in rows if any(row[k] for k in stages)}
    return _derived(qs.aggregate(**counts))


def summary_figures(filters):
    """What the funnel and every breakdown read from the summaries, worked out once: every organisation
    figure and the organisations' people grouped by all the breakdown fields together (one query), the
    people booked and who came with no organisation (two queries), and named walk-ins (one query)."""
    dimensions = list(_BREAKDOWN_FIELDS)
    stages = _summary_stages(filters)
    counts = {key: Count("pk", filter=stages[key]) for key in _STAGE_KEYS}
    counts.update({name: _summed(filters, field) for name, field in _SUMMARY_PEOPLE})
    # Plain tuples, the breakdown fields then `_FIGURE_KEYS`: thousands of rows (one per ward and kind).
    rows = list(
        Organisation.objects.filter(organisation_q(filters))
        .annotate(**_summary_relations(filters), partner_council=_dimension("partner_council"))
        .values(*dimensions)
        .order_by()
        .annotate(**counts)
        .values_list(*dimensions, *_FIGURE_KEYS)
    )
    people = {"pupils": Sum("pupils"), "staff": Sum("staff")}
    no_organisation = {
        "booked": bookings(filters)
        .filter(organisation__isnull=True)
        .aggregate(**people, adults=Sum(F("adults") + F("guests"))),
        "attended": attendance(filters)
        .filter(organisation__isnull=True)
        .aggregate(**people, adults=Sum("adults")),
    }
    return {
        "rows": rows,
        "no_organisation": no_organisation,
        "named_walk_ins": _named_walk_ins(filters).count(),
    }


def _grouped(rows, dimension=None):
    """The rows of `summary_figures` added up per value of one field (or all together), as
    `_organisation_counts` gives them."""
    groups = {}
    if dimension is None:
        if rows:
            groups[None] = rows
    else:
        at = _BREAKDOWN_FIELDS.index(dimension)
        for row in rows:
            groups.setdefault(row[at], []).append(row)
    start = len(_BREAKDOWN_FIELDS)
    stages = len(_STAGE_KEYS)  # the first figures of a row
    totals = {}
    for value, group in groups.items():
        # Each figure summed down its column (zip and sum run in C: there are thousands of rows); a value
        # with one row (a ward, often) is that row.
        sums = (
            group[0][start:] if len(group) == 1 else [sum(c) for c in list(zip(*group, strict=True))[start:]]
        )
        if dimension is None or any(sums[:stages]):
            totals[value] = dict(zip(_FIGURE_KEYS, sums, strict=True))
    if dimension is None:
        return _derived(totals.get(None) or dict.fromkeys(_FIGURE_KEYS, 0))
    return {value: _derived(t) for value, t in totals.items()}


def _derived(row):
    row = dict(row)
    row["booked_outside_funnel"] = row.pop("booked_any") - row["booked"]
    row["reached_outside_funnel"] = row["eligible_reached"] - row["reached"]
    row["reached_not_eligible"] = row["organisations_reached"] - row["eligible_reached"]
    row["attended"] = row["reached"]  # the name this figure had before
    return row


# --- the figures ---------------------------------------------------------------------------------------


def funnel(filters, shared=None):
    """Organisations eligible → invited → opened → booked → reached, each step part of the one before,
    with each step's rate from the one before; and the figures beside the funnel. One query, or none
    when given the summaries' `shared` figures."""
    figures = _grouped(shared["rows"]) if shared is not None else _organisation_counts(filters)
    steps = []
    previous = None
    for key, label in FUNNEL_STEPS:
        value = figures[key]
        steps.append({"key": key, "label": label, "value": value, "rate": rate(value, previous)})
        previous = value
    return {
        "steps": steps,
        **figures,
        "coverage_rate": rate(figures["eligible_reached"], figures["eligible"]),
    }


def _named_walk_ins(filters):
    """Adults ticked off by name at training without a booking: they have no register line of their own.
    Counted only with no area filter (they have no organisation)."""
    if filters.has_area:
        return NamedAttendee.objects.none()
    in_campaigns = (
        Q(session__event__campaigns__in=campaign_ids(filters))
        if scoped(filters)
        else Q(session__event__campaigns__isnull=False)
    )
    return NamedAttendee.objects.filter(
        Q(booking__isnull=True, attended=True) & session_date_q(filters) & in_campaigns
    )


def people(filters, now=None):
    """Pupils, staff and adults booked and who came, against the target. At most five queries.

    `attendance_rate` is the share of pupils booked for sessions that have started who came with that
    booking; walk-ins are not in it (they were never booked), nor are sessions still to come.
    """
    now = now or timezone.now()
    if use_summaries(filters):
        booked, came, no_shows = _people_from_summaries(filters, now)
    else:
        booked, came, no_shows = _people_from_rows(filters, now)
    named_walk_ins = _named_walk_ins(filters).count()
    came["adults"] += named_walk_ins
    came["named_walk_ins"] = named_walk_ins
    target = sum(c.target_reach for c in filters.campaigns) if scoped(filters) else None
    return {
        "booked": booked,
        "attended": came,
        "no_shows": no_shows,
        "target": target,
        "pupils_vs_target": rate(came["pupils"], target) if target else None,
        "attendance_rate": rate(came["booked_pupils"], booked["held_pupils"]),
    }


def _booked_totals(qs, now):
    held = held_q(now)
    # Filtered sums come first: once "pupils" names a result, it no longer names the field.
    return qs.aggregate(
        held_pupils=Coalesce(Sum("pupils", filter=held), 0),
        held_bookings=Count("pk", filter=held),
        upcoming_pupils=Coalesce(Sum("pupils", filter=~held), 0),
        pupils=Coalesce(Sum("pupils"), 0),
        staff=Coalesce(Sum("staff"), 0),
        adults=Coalesce(Sum(F("adults") + F("guests")), 0),
        bookings=Count("pk"),
    )


def _came_totals(qs):
    return qs.aggregate(
        booked_pupils=Coalesce(Sum("pupils", filter=Q(booking__isnull=False)), 0),
        walk_in_pupils=Coalesce(Sum("pupils", filter=Q(booking__isnull=True)), 0),
        walk_ins=Count("pk", filter=Q(booking__isnull=True)),
        pupils=Coalesce(Sum("pupils"), 0),
        staff=Coalesce(Sum("staff"), 0),
        adults=Coalesce(Sum("adults"), 0),
    )


def _no_shows(filters):
    return Attendance.objects.filter(
        Q(no_show=True)
        & campaign_q(filters)
        & campaign_session_date_q(filters)
        & organisation_q(filters, "organisation__")
    )


def _people_from_rows(filters, now):
    return (
        _booked_totals(bookings(filters), now),
        _came_totals(attendance(filters)),
        _no_shows(filters).count(),
    )


def _people_from_summaries(filters, now):
    """The same figures: organisations' people from their summaries, the rest from the raw rows (bookings
    and register lines with no organisation, and bookings for sessions still to come)."""
    summed = OrganisationReach.objects.filter(campaign_q(filters) & organisation_q(filters, "organisation__"))
    s = summed.aggregate(
        **{
            name: Coalesce(Sum(name), 0)
            for name in (
                "bookings",
                "booked_pupils",
                "booked_staff",
                "booked_adults",
                "came_pupils",
                "came_booked_pupils",
                "came_staff",
                "came_adults",
                "walk_ins",
                "walk_in_pupils",
                "no_shows",
            )
        }
    )
    lone = _booked_totals(bookings(filters).filter(organisation__isnull=True), now)
    upcoming = bookings(filters).filter(organisation__isnull=False).exclude(held_q(now))
    later = upcoming.aggregate(pupils=Coalesce(Sum("pupils"), 0), bookings=Count("pk"))
    booked = {
        "held_pupils": s["booked_pupils"] - later["pupils"] + lone["held_pupils"],
        "held_bookings": s["bookings"] - later["bookings"] + lone["held_bookings"],
        "upcoming_pupils": later["pupils"] + lone["upcoming_pupils"],
        "pupils": s["booked_pupils"] + lone["pupils"],
        "staff": s["booked_staff"] + lone["staff"],
        "adults": s["booked_adults"] + lone["adults"],
        "bookings": s["bookings"] + lone["bookings"],
    }
    lone_came = attendance(filters).filter(organisation__isnull=True)
    lc = _came_totals(lone_came)
    came = {
        "booked_pupils": s["came_booked_pupils"] + lc["booked_pupils"],
        "walk_in_pupils": s["walk_in_pupils"] + lc["walk_in_pupils"],
        "walk_ins": s["walk_ins"] + lc["walk_ins"],
        "pupils": s["came_pupils"] + lc["pupils"],
        "staff": s["came_staff"] + lc["staff"],
        "adults": s["came_adults"] + lc["adults"],
    }
    no_shows = s["no_shows"] + _no_shows(filters).filter(organisation__isnull=True).count()
    return booked, came, no_shows


def outside_campaigns(filters):
    """People at sessions that belong to no campaign: never in a campaign's figures. Across every
    campaign (no campaign or series chosen) they are reported on their own; None otherwise. One query."""
    if scoped(filters):
        return None
    return (
        Attendance.objects.reached()
        .filter(
            Q(campaign__isnull=True) & session_date_q(filters) & organisation_q(filters, "organisation__")
        )
        .aggregate(
            lines=Count("pk"),
            pupils=Coalesce(Sum("pupils"), 0),
            staff=Coalesce(Sum("staff"), 0),
            adults=Coalesce(Sum("adults"), 0),
        )
    )


def district_is_distinct(filters):
    """Whether a breakdown by district says anything a breakdown by local authority does not: some
    organisation in the selection has a district that is neither blank nor its local authority. One query."""
    return (
        Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters))
        .exclude(district="")
        .exclude(district=F("local_authority"))
        .exists()
        or Organisation.objects.filter(
            Q(Exists(attendance(filters).filter(organisation=OuterRef("pk")))) & organisation_q(filters)
        )
        .exclude(district="")
        .exclude(district=F("local_authority"))
        .exists()
    )


def breakdown_dimensions(filters):
    """The breakdowns worth showing for a filter: district only where it differs from local authority, partner
    council only in a partnership (an install with partner councils) and not for one council's figures."""
    shown = dict(BREAKDOWN_DIMENSIONS)
    if not district_is_distinct(filters):
        del shown["district"]
    if (filters.council_ids is not None and len(filters.council_ids) <= 1) or not Authority.objects.exists():
        del shown["partner_council"]
    return shown


def breakdown(filters, dimension, shared=None):
    """Organisations and people by an organisation field (local authority, district, ward, kind, type).

    From the summaries, the figures every breakdown shares (`summary_figures`, four queries, or none when
    given as `shared`); from the raw rows, three grouped queries: every organisation figure of the funnel
    per value (so the rows add up to the funnel), then bookings and register lines (people) per value.
    Bookings and register lines with no organisation, and named walk-ins, make a row of their own, so the
    people add up to the totals too.
    """
    if dimension not in BREAKDOWN_DIMENSIONS:
        raise ValueError(f"Unknown breakdown {dimension!r}")
    rows = {}

    def row_for(key):
        return rows.setdefault(key, _empty_row(key))

    if shared is None and use_summaries(filters):
        shared = summary_figures(filters)
    if shared is not None:
        for value, counts in _grouped(shared["rows"], dimension).items():
            row_for(value).update(counts)
        people_rows = [(None, shared["no_organisation"])]
        named_walk_ins = shared["named_walk_ins"]
    else:
        for value, counts in _organisation_counts(filters, group_by=dimension).items():
            row_for(value).update(counts)
        grouping = _dimension(dimension, "organisation__")
        people_rows = []
        for prefix, qs, adults in (
            ("booked", bookings(filters), Sum(F("adults") + F("guests"))),
            ("attended", attendance(filters), Sum("adults")),
        ):
            for row in (
                qs.annotate(grouped_by=grouping)
                .values("grouped_by")
                .annotate(pupils=Sum("pupils"), staff=Sum("staff"), adults=adults)
                .order_by()
            ):
                people_rows.append((row["grouped_by"], {prefix: row}))
        named_walk_ins = _named_walk_ins(filters).count()
    for value, people_of in people_rows:
        for prefix, row in people_of.items():
            if not (row["pupils"] or row["staff"] or row["adults"]) and value is None:
                continue
            target = row_for(value)
            for measure in ("pupils", "staff", "adults"):
                target[f"{prefix}_{measure}"] = row[measure] or 0
    if named_walk_ins:
        row_for(None)["attended_adults"] += named_walk_ins
    result = sorted(
        rows.values(),
        key=lambda r: (r["value"] is None, -(r["attended_pupils"] + r["attended_adults"]), str(r["value"])),
    )
    labels = {
        "kind": dict(OrganisationKind.choices),
        "partner_council": {"": "Outside the partner councils"},
    }.get(dimension, {})
    for row in result:
        if row["value"] is None:
            row["label"] = NO_ORGANISATION
        else:
            row["label"] = labels.get(row["value"], row["value"]) or "Not recorded"
        row["coverage_rate"] = rate(row["eligible_reached"], row["eligible"])
    return result


def breakdown_totals(rows):
    """The totals row of a breakdown: each figure summed over its rows (they add up to the funnel)."""
    totals = {"value": "", "label": "Total"}
    for key in _empty_row(None):
        if key != "value":
            totals[key] = sum(r[key] for r in rows)
    totals["coverage_rate"] = rate(totals["eligible_reached"], totals["eligible"])
    return totals


ORGANISATION_FIGURES = (
    "eligible",
    "invited",
    "opened",
    "booked",
    "reached",
    "attended",
    "eligible_reached",
    "organisations_reached",
    "invited_not_eligible",
    "booked_outside_funnel",
    "reached_outside_funnel",
    "reached_not_eligible",
)


def _empty_row(value):
    return {
        "value": value,
        **dict.fromkeys(ORGANISATION_FIGURES, 0),
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
    labels = {value: str(label) for value, label in YearGroup.choices}
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
    came = attendance(filters)
    totals = {}
    if use_summaries(filters):
        came = came.filter(organisation__isnull=True)
        for r in (
            OrganisationReach.objects.filter(
                campaign_q(filters) & organisation_q(filters, "organisation__") & Q(lines__gt=0)
            )
            .values("campaign__audience")
            .annotate(pupils=Sum("came_pupils"), staff=Sum("came_staff"), adults=Sum("came_adults"))
            .order_by()
        ):
            totals[r["campaign__audience"]] = r
    for r in (
        came.values("campaign__audience")
        .annotate(pupils=Sum("pupils"), staff=Sum("staff"), adults=Sum("adults"))
        .order_by()
    ):
        row = totals.setdefault(r["campaign__audience"], {"pupils": 0, "staff": 0, "adults": 0})
        for measure in ("pupils", "staff", "adults"):
            row[measure] = (row[measure] or 0) + (r[measure] or 0)
    rows = [{"campaign__audience": audience, **row} for audience, row in totals.items()]
    labels = {value: str(label) for value, label in Audience.choices}
    return sorted(
        (
            {
                "value": r["campaign__audience"] or "",
                "label": labels.get(r["campaign__audience"], "Not recorded"),
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
    return (
        Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters))
        .exclude(_came_in(filters, scope))
        .order_by("local_authority", "name")
    )


def _came_in(filters, scope):
    """Whether the register shows people from the organisation (an outer query's row) in `scope`."""
    if scope not in NEVER_REACHED_SCOPES:
        raise ValueError(f"Unknown scope {scope!r}")
    came = Attendance.objects.reached().filter(organisation=OuterRef("pk"))
    if scope == "series":
        series = {c.series for c in filters.campaigns if c.series}
        ids = campaign_ids(filters)
        came = came.filter(Q(campaign__series__in=series) | Q(campaign_id__in=ids))
    return Exists(came)


def never_reached_counts(filters):
    """{scope: number of organisations `never_reached` lists in it} for every scope, in one query."""
    return Organisation.objects.filter(organisation_q(filters) & any_eligible_q(filters)).aggregate(
        **{scope: Count("pk", filter=~_came_in(filters, scope)) for scope in NEVER_REACHED_SCOPES}
    )


def _year_on_year(filters):
    """Per campaign in the series: organisations reached, pupils booked and attended. Four queries."""
    series = filters.series or next((c.series for c in filters.campaigns if c.series), "")
    if not series:
        return []
    area = organisation_q(filters, "organisation__")
    # Organisations' figures from their summaries (year on year has no date range); the register lines
    # and bookings with no organisation from the raw rows.
    came = {
        r["campaign_id"]: r
        for r in OrganisationReach.objects.filter(Q(campaign__series=series) & area)
        .values("campaign_id")
        .annotate(
            pupils=Coalesce(Sum("came_pupils"), 0),
            adults=Coalesce(Sum("came_adults"), 0),
            organisations=Count("pk", filter=Q(lines__gt=0)),
            booked=Coalesce(Sum("booked_pupils"), 0),
        )
        .order_by()
    }
    for r in (
        Attendance.objects.reached()
        .filter(Q(campaign__series=series, organisation__isnull=True) & area)
        .values("campaign_id")
        .annotate(pupils=Coalesce(Sum("pupils"), 0), adults=Coalesce(Sum("adults"), 0))
        .order_by()
    ):
        row = came.setdefault(r["campaign_id"], {"pupils": 0, "adults": 0, "organisations": 0, "booked": 0})
        row["pupils"] += r["pupils"]
        row["adults"] += r["adults"]
    booked = {campaign_id: row["booked"] for campaign_id, row in came.items()}
    for r in (
        Booking.objects.filter(
            Q(status=BookingStatus.CONFIRMED, campaign__series=series, organisation__isnull=True) & area
        )
        .values("campaign_id")
        .annotate(pupils=Coalesce(Sum("pupils"), 0))
        .order_by()
    ):
        booked[r["campaign_id"]] = booked.get(r["campaign_id"], 0) + r["pupils"]
    campaigns = Campaign.objects.filter(series=series)
    if filters.council_ids is not None:
        campaigns = campaigns.filter(Q(authority_id__in=filters.council_ids) | Q(authority__isnull=True))
    campaigns = campaigns.order_by("starts_on").values("pk", "name", "code", "starts_on", "target_reach")
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
    q = Q(revoked=False, awaiting_evaluation=False, valid_until__gte=today)
    if filters.date_from:
        q &= Q(completed_on__gte=filters.date_from)
    if filters.date_to:
        q &= Q(completed_on__lte=filters.date_to)
    members = training_selectors.members_with_status(today)
    if filters.council_ids is not None:
        # A council's own training and the partnership's (a record of no session counts as joint).
        q &= Q(session__event__authority_id__in=filters.council_ids) | Q(
            session__event__authority__isnull=True
        )
        members = members.filter(
            Q(cohort__authority_id__in=filters.council_ids) | Q(cohort__authority__isnull=True)
        )
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
        for r in members.values("sector")
        .annotate(
            members=Count("pk"),
            current=Count("pk", filter=training_selectors.trained_q()),
        )
        .order_by()
    }
    labels = {value: str(label) for value, label in Sector.choices}
    keys = sorted(set(trained) | set(cohorts), key=lambda k: labels.get(k, "~"))
    return [
        {
            "value": k,
            "label": labels.get(k, "Not recorded"),
            "trained_current": trained.get(k, 0),
            "cohort_members": cohorts.get(k, {}).get("members", 0),
            "cohort_trained": cohorts.get(k, {}).get("current", 0),
            "cohort_current": cohorts.get(k, {}).get("current", 0),  # the name this figure had before
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


def dashboard(filters, today=None, now=None):
    """Every figure the reach dashboard and the API show, for a filter. A fixed number of queries."""
    filters = resolve(filters)
    shared = summary_figures(filters) if use_summaries(filters) else None
    breakdowns = {}
    for name, label in breakdown_dimensions(filters).items():
        rows = breakdown(filters, name, shared)
        breakdowns[name] = {"label": label, "rows": rows, "totals": breakdown_totals(rows)}
    return {
        "filters": filters,
        "funnel": funnel(filters, shared),
        "people": people(filters, now),
        "outside_campaigns": outside_campaigns(filters),
        "breakdowns": breakdowns,
        "year_groups": by_year_group(filters),
        "audiences": by_audience(filters),
        "year_on_year": year_on_year(filters),
        "trained_by_sector": trained_by_sector(filters, today),
        "cohorts": training_selectors.cohorts_summary(today, council_ids=filters.council_ids),
        "downloads": downloads(filters),
    }
