"""Rebuilding the reach summaries from the raw rows, and the nightly check that they agree.

The database keeps `OrganisationReach` current on every change (see campaigns/models/reach.py). This module
computes every row afresh from invitations, confirmed bookings and register lines, compares, logs each
difference and corrects it: nightly (`campaigns.reach.reconcile_summaries`) and on demand after data has
been loaded around the triggers (`manage.py rebuild_reach_summaries`). `rebuild` replaces every row without
comparing, for a bulk load made with the triggers off, where every row is known to be missing or stale.
"""

import logging

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from campaigns.models import Attendance, Booking, BookingStatus, Invitation, OrganisationReach

logger = logging.getLogger(__name__)

PAIR = ("campaign_id", "organisation_id")


def _total(field, condition=None):
    if condition is None:
        return Coalesce(Sum(field), 0)
    return Coalesce(Sum(Case(When(condition, then=field), default=Value(0), output_field=IntegerField())), 0)


def expected_summaries():
    """Every summary row as the raw rows say it should be, keyed by (campaign id, organisation id)."""
    rows = {}

    def row(key):
        return rows.setdefault(key, dict.fromkeys(OrganisationReach.FIGURES, 0))

    opened = Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)
    opened |= Q(booked_at__isnull=False) | Q(declined_at__isnull=False)
    for r in Invitation.objects.values(*PAIR).annotate(
        invited=Count("pk"), opened=Count("pk", filter=opened)
    ):
        row((r["campaign_id"], r["organisation_id"])).update(invited=r["invited"], opened=r["opened"])
    for r in (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, campaign__isnull=False, organisation__isnull=False
        )
        .values(*PAIR)
        .annotate(
            bookings=Count("pk"),
            booked_pupils=_total("pupils"),
            booked_staff=_total("staff"),
            booked_adults=_total(F("adults") + F("guests")),
        )
        .order_by()
    ):
        row((r["campaign_id"], r["organisation_id"])).update({k: r[k] for k in list(r)[2:]})
    came = Q(no_show=False)
    walk_in = came & Q(booking__isnull=True)
    for r in (
        Attendance.objects.filter(campaign__isnull=False, organisation__isnull=False)
        .values(*PAIR)
        .annotate(
            lines=Count("pk", filter=came),
            came_pupils=_total("pupils", came),
            came_booked_pupils=_total("pupils", came & Q(booking__isnull=False)),
            came_staff=_total("staff", came),
            came_adults=_total("adults", came),
            walk_ins=Count("pk", filter=walk_in),
            walk_in_pupils=_total("pupils", walk_in),
            no_shows=Count("pk", filter=Q(no_show=True)),
        )
        .order_by()
    ):
        row((r["campaign_id"], r["organisation_id"])).update({k: r[k] for k in list(r)[2:]})
    return rows


def reconcile():
    """Compare every summary row with its raw rows; log and correct each difference. Returns the pairs
    (campaign id, organisation id) that differed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # No change can finish writing a summary while the raw rows are read: one consistent picture.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {OrganisationReach._meta.db_table} IN EXCLUSIVE MODE")
        expected = expected_summaries()
        stored = {
            (r["campaign_id"], r["organisation_id"]): r
            for r in OrganisationReach.objects.values("pk", *PAIR, *OrganisationReach.FIGURES)
        }
        drifted = []
        for key in sorted(set(expected) | set(stored), key=lambda k: (k[0], k[1])):
            want = expected.get(key)
            have = stored.get(key)
            have_figures = {f: have[f] for f in OrganisationReach.FIGURES} if have else None
            if want != have_figures:
                logger.error(
                    "Reach summary drift for campaign %s, organisation %s: %s, raw rows say %s",
                    *key,
                    have_figures,
                    want,
                )
                drifted.append(key)
        if drifted:
            OrganisationReach.objects.filter(
                pk__in=[stored[k]["pk"] for k in drifted if k in stored]
            ).delete()
            OrganisationReach.objects.bulk_create(
                [
                    OrganisationReach(campaign_id=k[0], organisation_id=k[1], **expected[k])
                    for k in drifted
                    if k in expected
                ],
                batch_size=1000,
            )
    return drifted


def rebuild():
    """Replace every summary row by the one the raw rows give, without comparing or logging: after a bulk
    load made with the triggers off. Returns the number of rows written."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {OrganisationReach._meta.db_table} IN EXCLUSIVE MODE")
        expected = expected_summaries()
        OrganisationReach.objects.all().delete()
        OrganisationReach.objects.bulk_create(
            [OrganisationReach(campaign_id=c, organisation_id=o, **row) for (c, o), row in expected.items()],
            batch_size=5000,
        )
    return len(expected)
