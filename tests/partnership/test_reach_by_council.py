"""Reach per partner council: each council's staff and tokens read their own organisations' figures, a
coordinator sees the councils side by side, and the councils' figures add up to the partnership's."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Attendance
from campaigns.partner_api import services
from campaigns.reach import selectors as reach
from campaigns.reach.filters import ReachFilter, limited_to, resolve
from campaigns.roles import PARTNER_ANALYSTS
from cms.models import Authority
from tests.factories import (
    BookingFactory,
    CampaignFactory,
    EventPageFactory,
    OrganisationFactory,
    SessionFactory,
    event_index,
    member_of,
)

pytestmark = pytest.mark.django_db


def _reached(session, campaign, organisation, pupils):
    booking = BookingFactory(session=session, campaign=campaign, organisation=organisation, pupils=pupils)
    Attendance.objects.create(
        session=session,
        booking=booking,
        campaign=campaign,
        organisation=organisation,
        pupils=pupils,
        recorded_at=timezone.now(),
    )


@pytest.fixture
def partnership():
    """Thurrock and Southend, each with its own campaign reaching its own school, and a joint campaign that
    reaches a school of each and one outside the partnership."""
    thurrock = Authority.objects.create(name="Thurrock Council", code="thurrock")
    southend = Authority.objects.create(name="Southend Council", code="southend")
    past = timezone.now() - timezone.timedelta(days=3)
    schools = {
        "thurrock": OrganisationFactory(
            name="Alderbrook Primary", local_authority="Thurrock", authority=thurrock
        ),
        "southend": OrganisationFactory(
            name="Birchwood Primary", local_authority="Southend", authority=southend
        ),
        "outside": OrganisationFactory(name="Faraway Primary", local_authority="Kent", authority=None),
    }
    for council, pupils in ((thurrock, 30), (southend, 50)):
        event = EventPageFactory(title=f"{council.name} roadshow", authority=council, parent=event_index())
        session = SessionFactory(event=event, starts_at=past, ends_at=past + timezone.timedelta(hours=2))
        campaign = CampaignFactory(name=f"{council.name} Walk Online", authority=council)
        campaign.events.add(event)
        _reached(session, campaign, schools[council.code], pupils)
    event = EventPageFactory(title="Joint roadshow", authority=None, parent=event_index())
    session = SessionFactory(event=event, starts_at=past, ends_at=past + timezone.timedelta(hours=2))
    joint = CampaignFactory(name="Joint Walk Online", authority=None)
    joint.events.add(event)
    for key, pupils in (("thurrock", 7), ("southend", 11), ("outside", 13)):
        _reached(session, joint, schools[key], pupils)
    return {"thurrock": thurrock, "southend": southend, "schools": schools}


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _pupils(filters):
    return reach.people(resolve(filters))["attended"]["pupils"]


def test_one_councils_figures_are_its_organisations_in_its_own_and_joint_campaigns(partnership):
    thurrock = partnership["thurrock"]
    assert _pupils(ReachFilter()) == 30 + 50 + 7 + 11 + 13
    assert _pupils(limited_to(ReachFilter(), {thurrock.pk})) == 30 + 7
    funnel = reach.funnel(resolve(limited_to(ReachFilter(), {thurrock.pk})))
    assert funnel["organisations_reached"] == 1


def test_the_councils_side_by_side_add_up_to_the_partnership(partnership):
    figures = reach.dashboard(ReachFilter())
    rows = {row["label"]: row for row in figures["breakdowns"]["partner_council"]["rows"]}
    assert rows["Thurrock Council"]["attended_pupils"] == 37
    assert rows["Southend Council"]["attended_pupils"] == 61
    assert rows["Outside the partner councils"]["attended_pupils"] == 13
    totals = figures["breakdowns"]["partner_council"]["totals"]
    assert totals["attended_pupils"] == figures["people"]["attended"]["pupils"] == 111
    assert (
        sum(r["organisations_reached"] for r in rows.values()) == figures["funnel"]["organisations_reached"]
    )
    # Each council's own view gives the same figure as its row beside the others.
    for council in (partnership["thurrock"], partnership["southend"]):
        assert _pupils(limited_to(ReachFilter(), {council.pk})) == rows[council.name]["attended_pupils"]


def test_a_councils_analyst_sees_only_its_figures_on_every_reach_screen(client, partnership):
    analyst = member_of(PARTNER_ANALYSTS, "thurrock-analyst")
    partnership["thurrock"].members.add(analyst)
    client.force_login(analyst)

    page = client.get(reverse("campaigns_reach")).content.decode()
    assert "Birchwood" not in page
    assert "Southend" not in page and "Kent" not in page
    assert "Thurrock" in page
    # Choosing another council in the address changes nothing: the figures stay Thurrock's.
    other = client.get(reverse("campaigns_reach"), {"council": "southend"}).content.decode()
    assert "Southend" not in other.split("</form>", 1)[-1]

    export = _text(client.get(reverse("campaigns_reach_by_area"), {"export": "csv"}))
    assert "Thurrock" in export and "Southend" not in export and "Kent" not in export
    assert "Partner council: Thurrock Council (its organisations only)" in export


def test_a_coordinator_may_look_at_one_council(client, partnership):
    coordinator = member_of(PARTNER_ANALYSTS, "coordinator")
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_partnership"))
    client.force_login(coordinator)
    everything = client.get(reverse("campaigns_reach")).content.decode()
    assert "Thurrock Council" in everything and "Southend Council" in everything  # the side-by-side table
    one = client.get(reverse("campaigns_reach_by_area"), {"council": "southend", "export": "csv"})
    text = _text(one)
    assert "Southend" in text and "Thurrock" not in text


def test_a_councils_token_reads_its_figures_and_a_partnership_token_all(client, partnership):
    _, raw = services.issue_token("Thurrock police", authority=partnership["thurrock"])
    ours = client.get("/api/v1/reach", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert ours["people"]["attended"]["pupils"] == 37
    assert "partner_council" not in ours["breakdowns"]

    _, raw = services.issue_token("Essex police", authority=None)
    everything = client.get("/api/v1/reach", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert everything["people"]["attended"]["pupils"] == 111
    by_council = {row["label"]: row["attended_pupils"] for row in everything["breakdowns"]["partner_council"]}
    assert by_council == {"Thurrock Council": 37, "Southend Council": 61, "Outside the partner councils": 13}
