"""Reach stays a fixed number of queries whatever the size of the data (two sizes compared)."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.bench_reach import generate
from campaigns.partner_api import services as partner_tokens
from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def count(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def measure(client, campaign, token):
    dashboard = client.get(reverse("campaigns_reach_campaign", args=[campaign.pk]))
    api = client.get(f"/api/v1/reach?campaign={campaign.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (dashboard.status_code, api.status_code) == (200, 200)
    assert api.json()["people"]["attended"]["pupils"] > 0
    filters = reach_filters.ReachFilter(campaign_id=campaign.pk)
    return {
        "figures": count(lambda: reach.dashboard(filters)),
        "all campaigns": count(lambda: reach.dashboard(reach_filters.ReachFilter())),
        "dashboard": count(lambda: client.get(reverse("campaigns_reach_campaign", args=[campaign.pk]))),
        "api": count(
            lambda: client.get(f"/api/v1/reach?campaign={campaign.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        ),
        "report": count(
            lambda: client.get(reverse("campaigns_reach_by_area") + f"?campaign={campaign.pk}&by=ward")
        ),
    }


def test_query_counts_do_not_grow_with_the_data(client):
    cache.clear()
    _, token = partner_tokens.issue_token("Query counting partner")
    with transaction.atomic():
        small = generate(organisations=60, sessions=12, bookings=150)
        client.force_login(small["user"])
        at_small = measure(client, small["campaigns"][1], token)
        transaction.set_rollback(True)

    cache.clear()
    large = generate(organisations=400, sessions=60, bookings=1200)
    client.force_login(large["user"])
    at_large = measure(client, large["campaigns"][1], token)

    assert at_small == at_large
    assert at_small["figures"] <= 40
