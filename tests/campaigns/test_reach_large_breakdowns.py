"""Reach with many areas: the dashboard shows the top of each breakdown and links to every row; data loaded
around the summary triggers (the national-scale bench) is summarised exactly and the triggers work after."""

import csv
import io

import pytest
from django.urls import reverse

from bench.bench_reach import generate
from campaigns.models import OrganisationReach
from campaigns.reach import summaries
from campaigns.reach.admin import DASHBOARD_BREAKDOWN_ROWS
from tests.factories import BookingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def stored_summaries():
    return {
        (r["campaign_id"], r["organisation_id"]): {f: r[f] for f in OrganisationReach.FIGURES}
        for r in OrganisationReach.objects.values()
    }


def test_data_loaded_around_the_triggers_is_summarised_and_the_triggers_are_back():
    data = generate(organisations=60, sessions=12, bookings=150)

    assert len(stored_summaries()) > 100  # the schools invited, booked or seen, in each campaign
    assert stored_summaries() == summaries.expected_summaries()

    campaign = data["campaigns"][1]
    summary = OrganisationReach.objects.filter(campaign=campaign).order_by("organisation_id").first()
    before = summary.booked_pupils
    BookingFactory(campaign=campaign, organisation=summary.organisation, pupils=7)
    # A trigger writes the pair's row afresh.
    summary = OrganisationReach.objects.get(campaign=campaign, organisation=summary.organisation)
    assert summary.booked_pupils == before + 7
    assert stored_summaries() == summaries.expected_summaries()


def test_dashboard_shows_the_top_wards_and_the_report_exports_them_all(client):
    data = generate(organisations=60, sessions=12, bookings=150)
    campaign = data["campaigns"][1]
    client.force_login(data["user"])

    page = client.get(reverse("campaigns_reach_campaign", args=[campaign.pk]))
    text = page.content.decode()
    export = client.get(
        reverse("campaigns_reach_by_area"), {"campaign": campaign.pk, "by": "ward", "export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    wards = sum(1 for row in rows if row and row[0].startswith("Ward "))

    assert page.status_code == 200
    assert wards > 50
    ward_table = text.split("<h2>By ward</h2>", 1)[1].split("</table>", 1)[0]
    assert ward_table.count('<tr><th scope="row">Ward ') == DASHBOARD_BREAKDOWN_ROWS
    assert (
        f"The {DASHBOARD_BREAKDOWN_ROWS} with the most pupils reached of {wards}; the total is of all" in text
    )
    # The link keeps the campaign of the page it is on.
    link = reverse("campaigns_reach_by_area") + f"?by=ward&amp;campaign={campaign.pk}"
    assert f'<a href="{link}">Full report of all {wards} with CSV/XLSX export</a>' in text
