"""The partner API's never-reached counts: both scopes in one query, the same as the report lists, and
current as soon as a register changes (they are cached with the dashboard's figures)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.partner_api import services as partner_tokens
from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach
from campaigns.register import services as attendance_service
from tests.campaigns.factories_reach import past
from tests.campaigns.reach_fixture import build
from tests.factories import CampaignFactory, EventPageFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def resolved(**kwargs):
    return reach_filters.resolve(reach_filters.ReachFilter(**kwargs))


def reached_outside_the_series(organisation):
    """`organisation` came to a session of a campaign in another series."""
    other = CampaignFactory(name="Parents online 2027", code="PO27", series="parents-online")
    event = EventPageFactory()
    other.events.add(event)
    attendance_service.record_walk_in(
        SessionFactory(event=event, starts_at=past(5)), organisation=organisation, pupils=0, adults=3
    )


def test_both_scopes_in_one_query_equal_the_lists_of_the_report():
    data = build()
    reached_outside_the_series(data.b)
    for filters in (resolved(campaign_id=data.wo27.pk), resolved(series=data.wo27.series), resolved()):
        with CaptureQueriesContext(connection) as captured:
            counts = reach.never_reached_counts(filters)
        assert len(captured) == 1
        assert counts == {
            scope: reach.never_reached(filters, scope).count() for scope in reach.NEVER_REACHED_SCOPES
        }
    assert reach.never_reached_counts(resolved(campaign_id=data.wo27.pk)) == {"series": 1, "ever": 0}


def test_the_api_count_changes_as_soon_as_a_register_shows_the_organisation_came(
    client, django_capture_on_commit_callbacks
):
    data = build()
    _, token = partner_tokens.issue_token("Partnership analysts")

    def counts():
        response = client.get(
            "/api/v1/reach", {"campaign": data.wo27.pk}, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 200
        return response.json()["never_reached_count"]

    assert counts() == {"series": 1, "ever": 1}
    assert counts() == {"series": 1, "ever": 1}  # from the cache
    with django_capture_on_commit_callbacks(execute=True):  # the register's change, committed
        reached_outside_the_series(data.b)
    assert counts() == {"series": 1, "ever": 0}
