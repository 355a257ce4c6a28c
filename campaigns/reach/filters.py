"""What every reach figure is computed over: the filter (campaign or series, session dates, area, kind of
organisation) and the rows it selects (eligible organisations, invitations, bookings, register lines).
Every selector in campaigns.reach.selectors builds on these, so a figure means the same on every screen."""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef, Q

from campaigns.figures import eligible_q
from campaigns.models import (
    Attendance,
    Booking,
    BookingStatus,
    Campaign,
    Invitation,
)
from events.models import Session

BREAKDOWN_DIMENSIONS = {
    "partner_council": "Partner council",  # shown only in a partnership (see selectors)
    "local_authority": "Local authority",
    "district": "District",  # shown only where districts differ from local authorities (see selectors)
    "ward": "Ward",
    "kind": "Kind of organisation",
    "establishment_type": "Type of establishment",
}


NEVER_REACHED_SCOPES = {"series": "by any campaign in the series", "ever": "by any campaign, ever"}


@dataclass(frozen=True)
class ReachFilter:
    campaign_id: int | None = None
    series: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    local_authority: str = ""
    district: str = ""
    ward: str = ""
    kind: str = ""
    # The partner councils whose figures these are (their organisations, and their own and joint campaigns),
    # or None for the whole partnership: a council's staff and tokens are limited to theirs, and a
    # coordinator may choose one (cms.partnership.council_ids).
    council_ids: tuple | None = None
    campaigns: tuple = field(default=(), compare=False)  # filled by `resolve`
    # Whether the reach summaries give this filter's figures exactly (`from_summaries`), filled by `resolve`.
    summaries: bool | None = field(default=None, compare=False, repr=False)

    @property
    def has_area(self):
        return bool(self.local_authority or self.district or self.ward or self.kind)


def limited_to(filters, council_ids):
    """`filters` narrowed to `council_ids` as well (None: no further limit); an empty tuple sees nothing."""
    if council_ids is None:
        return filters
    ids = tuple(sorted(council_ids))
    if filters.council_ids is not None:
        ids = tuple(sorted(set(ids) & set(filters.council_ids)))
    return replace(filters, council_ids=ids)


def resolve(filters):
    """The filter with its campaigns loaded, and whether its figures can come from the summaries (one
    query, two with a date range)."""
    qs = Campaign.objects.all()
    if filters.campaign_id:
        qs = qs.filter(pk=filters.campaign_id)
    if filters.series:
        qs = qs.filter(series=filters.series)
    if filters.council_ids is not None:
        qs = qs.filter(Q(authority_id__in=filters.council_ids) | Q(authority__isnull=True))
    resolved = replace(filters, campaigns=tuple(qs.order_by("starts_on", "pk")))
    return replace(resolved, summaries=from_summaries(resolved))


def from_summaries(filters):
    """Whether the summaries per organisation per campaign give this filter's figures exactly: it has no
    session date range, or one that leaves out no booking or register line of its campaigns. At most one
    query."""
    if not (filters.date_from or filters.date_to) or not filters.campaigns:
        return True
    in_campaigns = campaign_q(filters)
    outside = Session.objects.exclude(session_date_q(filters, "")).filter(
        Q(Exists(Booking.objects.filter(in_campaigns, session=OuterRef("pk"))))
        | Q(Exists(Attendance.objects.filter(in_campaigns, session=OuterRef("pk"))))
    )
    return not outside.exists()


def use_summaries(filters):
    return filters.summaries if filters.summaries is not None else from_summaries(filters)


def scoped(filters):
    return bool(filters.campaign_id or filters.series or filters.council_ids is not None)


def campaign_ids(filters):
    return [c.pk for c in filters.campaigns]


def organisation_q(filters, prefix=""):
    q = Q()
    for name in ("local_authority", "district", "ward", "kind"):
        value = getattr(filters, name)
        if value:
            q &= Q(**{f"{prefix}{name}": value})
    if filters.council_ids is not None:
        in_councils = Q(**{f"{prefix}authority_id__in": filters.council_ids})
        if prefix:
            # Bookings and register lines of no organisation (parents, walk-ins) at a council's or the
            # partnership's sessions: the campaigns already limit them.
            in_councils |= Q(**{f"{prefix[:-2]}__isnull": True})
        q &= in_councils
    return q


def any_eligible_q(filters, prefix=""):
    q = Q()
    for campaign in filters.campaigns:
        q |= eligible_q(campaign, prefix)
    return q if filters.campaigns else Q(pk__in=[])


def session_date_q(filters, prefix="session__"):
    q = Q()
    if filters.date_from:
        q &= Q(**{f"{prefix}starts_at__date__gte": filters.date_from})
    if filters.date_to:
        q &= Q(**{f"{prefix}starts_at__date__lte": filters.date_to})
    return q


def campaign_q(filters, prefix=""):
    """The campaigns chosen; across every campaign, anything that belongs to one. Register lines and
    bookings at sessions outside any campaign are never in a campaign's figures (see `outside_campaigns`)."""
    if scoped(filters):
        return Q(**{f"{prefix}campaign_id__in": campaign_ids(filters)})
    return Q(**{f"{prefix}campaign__isnull": False})


def campaign_session_date_q(filters, prefix="session__"):
    """`session_date_q` for rows already limited to the filter's campaigns (`campaign_q`): nothing when the
    filter is known to leave out none of those campaigns' bookings and register lines (`from_summaries`),
    so those queries need not join the sessions to give the same figures."""
    if filters.summaries is True:
        return Q()
    return session_date_q(filters, prefix)


def held_q(now, prefix="session__"):
    """Sessions that have started by `now`: only these can have a register, so only these count when
    asking what share of the people booked came."""
    return Q(**{f"{prefix}starts_at__lte": now})


def bookings(filters):
    return Booking.objects.filter(
        Q(status=BookingStatus.CONFIRMED)
        & campaign_q(filters)
        & campaign_session_date_q(filters)
        & organisation_q(filters, "organisation__")
    )


def attendance(filters):
    """Register lines where someone came: the organisations and people reached."""
    return Attendance.objects.reached().filter(
        campaign_q(filters) & campaign_session_date_q(filters) & organisation_q(filters, "organisation__")
    )


def invitations_sent(filters):
    q = Q(campaign_id__in=campaign_ids(filters))
    if filters.date_from:
        q &= Q(created_at__date__gte=filters.date_from)
    if filters.date_to:
        q &= Q(created_at__date__lte=filters.date_to)
    return Invitation.objects.filter(q)
