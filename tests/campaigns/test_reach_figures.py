"""Reach figures against a small data set worked out by hand (tests/campaigns/reach_fixture.py)."""

import datetime

import pytest

from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach
from campaigns.reach.filters import ReachFilter
from tests.campaigns.reach_fixture import build

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def data():
    return build()


def figures_for(campaign, **kwargs):
    return reach_filters.resolve(ReachFilter(campaign_id=campaign.pk, **kwargs))


def test_funnel_counts_each_step_within_the_one_before(data):
    funnel = reach.funnel(figures_for(data.wo27))

    # E is invited but not eligible, so it is not in the funnel; D walked in without a booking and B
    # did not come, so neither is reached through the funnel.
    assert [(s["key"], s["value"]) for s in funnel["steps"]] == [
        ("eligible", 4),
        ("invited", 4),
        ("opened", 3),
        ("booked", 3),
        ("reached", 2),
    ]
    assert [s["rate"] for s in funnel["steps"]] == [None, 100.0, 75.0, 100.0, 66.7]
    assert funnel["invited_not_eligible"] == 1
    assert funnel["organisations_reached"] == 3
    assert funnel["reached_outside_funnel"] == 1
    assert funnel["reached_not_eligible"] == 0
    assert funnel["booked_outside_funnel"] == 0
    assert funnel["eligible_reached"] == 3
    assert funnel["coverage_rate"] == 75.0


def test_pupils_booked_and_attended_against_target(data):
    people = reach.people(figures_for(data.wo27))

    assert people["booked"]["pupils"] == 75
    assert people["booked"]["staff"] == 5
    assert people["attended"]["pupils"] == 63
    assert people["attended"]["staff"] == 4
    assert people["attended"]["adults"] == 1
    assert people["attended"]["walk_ins"] == 1
    assert people["no_shows"] == 1
    assert people["target"] == 200
    assert people["pupils_vs_target"] == 31.5
    # Of the 75 pupils booked (every session has been held), 28 + 20 came with their booking; D's 15
    # walk-ins were never booked, so they are not in the share who came.
    assert people["booked"]["held_pupils"] == 75
    assert people["attended"]["booked_pupils"] == 48
    assert people["attendance_rate"] == 64.0


def test_never_reached_lists_eligible_schools_nobody_reached(data):
    in_series = reach.never_reached(figures_for(data.wo27), scope="series")
    ever = reach.never_reached(figures_for(data.wo27), scope="ever")

    assert [o.name for o in in_series] == ["B Primary"]
    assert [o.name for o in ever] == ["B Primary"]


def test_a_school_reached_last_year_is_not_never_reached_in_the_series(data):
    # For 2026 alone, A came; B, C and D did not come in 2026 but came (C, D) in 2027.
    in_series = reach.never_reached(figures_for(data.wo26), scope="series")

    assert [o.name for o in in_series] == ["B Primary"]


def test_date_range_limits_figures_to_sessions_in_it(data):
    until_first = (data.s1.starts_at + datetime.timedelta(days=1)).date()
    people = reach.people(figures_for(data.wo27, date_to=until_first))
    funnel = reach.funnel(figures_for(data.wo27, date_to=until_first))

    assert people["attended"]["pupils"] == 28
    assert people["booked"]["pupils"] == 55
    assert funnel["reached"] == funnel["attended"] == 1


def test_area_filter_keeps_only_organisations_in_the_ward(data):
    filters = figures_for(data.wo27, ward="Stifford Clays")

    assert reach.people(filters)["attended"]["pupils"] == 35
    assert reach.funnel(filters)["eligible"] == 2


def test_breakdown_by_ward_adds_up_to_the_campaign(data):
    rows = {r["value"]: r for r in reach.breakdown(figures_for(data.wo27), "ward")}

    assert rows["Grays Riverside"]["eligible"] == 2
    assert rows["Grays Riverside"]["attended"] == 1
    assert rows["Grays Riverside"]["attended_pupils"] == 28
    assert rows["Grays Riverside"]["booked_pupils"] == 55
    assert rows["Stifford Clays"]["attended_pupils"] == 35
    assert rows["Stifford Clays"]["reached"] == 1  # C; D walked in
    assert rows["Stifford Clays"]["eligible_reached"] == 2
    assert rows["Stifford Clays"]["coverage_rate"] == 100.0
    totals = reach.breakdown_totals(list(rows.values()))
    funnel = reach.funnel(figures_for(data.wo27))
    assert [totals[s["key"]] for s in funnel["steps"]] == [s["value"] for s in funnel["steps"]]
    assert totals["attended_pupils"] == reach.people(figures_for(data.wo27))["attended"]["pupils"]


def test_breakdown_by_year_group_and_audience(data):
    filters = figures_for(data.wo27)

    assert reach.by_year_group(filters) == [
        {"value": "Y5", "label": "Year 5", "booked_pupils": 75, "attended_pupils": 63}
    ]
    audiences = reach.by_audience(filters)
    assert [(a["value"], a["pupils"], a["people"]) for a in audiences] == [("8-10", 63, 68)]


def test_year_on_year_compares_campaigns_in_the_series(data):
    rows = reach.year_on_year(figures_for(data.wo27))

    assert [(r["code"], r["attended_pupils"], r["organisations_reached"]) for r in rows] == [
        ("WO26", 40, 1),
        ("WO27", 63, 3),
    ]


def test_across_every_campaign_counts_both_years(data):
    people = reach.people(reach_filters.resolve(ReachFilter()))

    assert people["attended"]["pupils"] == 103
    assert people["target"] is None


def test_downloads_by_resource_and_by_campaign(data):
    from django.utils import timezone

    from resources.models import DownloadCount
    from tests.resources.helpers import make_document, make_resource

    page = make_resource("Online friends: follow-up lesson")
    document = make_document()
    today = timezone.localdate()
    DownloadCount.objects.create(
        day=today, document=document, resource=page, campaign_id=data.wo27.pk, count=5
    )
    DownloadCount.objects.create(
        day=today, document=document, resource=page, campaign_id=data.wo26.pk, count=2
    )
    DownloadCount.objects.create(day=today, document=document, resource=None, count=4)

    scoped = reach.downloads(figures_for(data.wo27))
    everything = reach.downloads(reach_filters.resolve(ReachFilter()))

    assert scoped["by_resource"] == [{"title": "Online friends: follow-up lesson", "downloads": 5}]
    assert scoped["by_campaign"] == [
        {"campaign_id": data.wo27.pk, "campaign": "Walk Online 2027", "downloads": 5}
    ]
    assert {r["campaign"]: r["downloads"] for r in everything["by_campaign"]} == {
        "Walk Online 2027": 5,
        "Walk Online 2026": 2,
        "No campaign (site visitors)": 4,
    }
