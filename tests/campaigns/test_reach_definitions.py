"""What each reach figure means, where it used to mislead: whom a campaign aims at, sessions still to come,
walk-ins at events outside any campaign, a district breakdown that repeats the local authority, the
invitations table, and one meaning of "trained" on the cohort pages and their export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Attendance, OrganisationKind
from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach
from campaigns.reach.filters import ReachFilter
from resources.taxonomy import Audience
from tests.campaigns.conftest import _user_with
from tests.campaigns.factories_reach import (
    CohortFactory,
    CohortMemberFactory,
    ReachBookingFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    past,
)
from tests.campaigns.reach_fixture import build
from tests.factories import CampaignFactory, EventPageFactory, OrganisationFactory, SessionFactory

pytestmark = [pytest.mark.django_db]


def resolved(**kwargs):
    return reach_filters.resolve(ReachFilter(**kwargs))


@pytest.fixture
def organisations():
    """A primary, a junior school, a secondary, a nursery, a church and a boxing club, all in Thurrock."""
    place = {"local_authority": "Thurrock"}
    return {
        "primary": OrganisationFactory(name="Primary", **place),
        "junior": OrganisationFactory(name="Junior", statutory_low_age=7, statutory_high_age=11, **place),
        "secondary": OrganisationFactory(
            name="Secondary", phase="Secondary", statutory_low_age=11, statutory_high_age=16, **place
        ),
        "nursery": OrganisationFactory(
            name="Example Nursery", phase="Nursery", statutory_low_age=2, statutory_high_age=5, **place
        ),
        "church": OrganisationFactory(name="Example Church", kind=OrganisationKind.FAITH, urn=None, **place),
        "club": OrganisationFactory(
            name="Example Boxing club", kind=OrganisationKind.COMMUNITY, urn=None, **place
        ),
    }


@pytest.mark.parametrize(
    "audience, year_groups, expected",
    [
        (Audience.AGES_8_10, ["Y5"], {"Primary", "Junior"}),
        (Audience.AGES_8_10, [], {"Primary", "Junior"}),
        (Audience.AGES_4_7, [], {"Primary"}),  # a junior school starts at Year 3
        (Audience.AGES_11_13, [], {"Secondary"}),
        (Audience.FAITH_COMMUNITY, [], {"Example Church", "Example Boxing club"}),
        (Audience.PARENTS_CARERS, [], set()),
        (Audience.PROFESSIONALS, [], set()),
    ],
)
def test_never_reached_lists_only_organisations_the_campaign_aims_at(
    organisations, audience, year_groups, expected
):
    campaign = CampaignFactory(audience=audience, year_groups=year_groups)

    never = reach.never_reached(resolved(campaign_id=campaign.pk), scope="ever")

    assert {o.name for o in never} == expected


def test_never_reached_page_names_schools_or_organisations(client, analyst, organisations):
    schools = CampaignFactory(audience=Audience.AGES_8_10)
    groups = CampaignFactory(audience=Audience.FAITH_COMMUNITY, year_groups=[])
    client.force_login(analyst)

    url = reverse("campaigns_reach_never_reached")
    school_page = client.get(url, {"campaign": schools.pk}).content.decode()
    group_page = client.get(url, {"campaign": groups.pk}).content.decode()

    assert "Eligible schools for the chosen campaigns" in school_page
    assert "Example Church" not in school_page and "Example Nursery" not in school_page
    assert "Eligible organisations for the chosen campaigns" in group_page
    assert "Example Church" in group_page and "Example Boxing club" in group_page


def test_sessions_still_to_come_do_not_lower_the_share_who_came():
    data = build()
    coming = SessionFactory(event=data.event, starts_at=timezone.now() + datetime.timedelta(days=10))
    ReachBookingFactory(session=coming, campaign=data.wo27, organisation=data.e, pupils=100, staff=2)

    people = reach.people(resolved(campaign_id=data.wo27.pk))

    assert people["booked"]["pupils"] == 175
    assert people["booked"]["upcoming_pupils"] == 100
    assert people["booked"]["held_pupils"] == 75
    assert people["attendance_rate"] == 64.0  # 48 of 75, as before the booking for later


def test_walk_ins_outside_any_campaign_are_in_no_campaign_total_and_reported_apart(client, analyst):
    data = build()
    drop_in = SessionFactory(event=EventPageFactory(title="Library drop-in"), starts_at=past(2))
    Attendance.objects.create(
        session=drop_in, organisation=data.g, pupils=0, adults=6, recorded_at=timezone.now()
    )
    everything = resolved()

    figures = reach.dashboard(ReachFilter())

    assert reach.people(everything)["attended"]["adults"] == 1  # C's adult only
    assert figures["outside_campaigns"] == {"lines": 1, "pupils": 0, "staff": 0, "adults": 6}
    assert "Not part of a campaign" not in {row["label"] for row in figures["audiences"]}
    assert reach.funnel(everything)["organisations_reached"] == 3  # A, C, D: not G, at the drop-in
    client.force_login(analyst)
    page = client.get(reverse("campaigns_reach")).content.decode()
    assert "6 adults came to sessions outside any campaign" in page


def test_district_breakdown_only_where_it_differs_from_the_local_authority():
    data = build()  # A-D are in Grays district of Thurrock
    assert "district" in reach.breakdown_dimensions(resolved(campaign_id=data.wo27.pk))

    for org in (data.a, data.b, data.c, data.d, data.e, data.g):
        org.district = org.local_authority
        org.save()

    assert "district" not in reach.breakdown_dimensions(resolved(campaign_id=data.wo27.pk))


def test_district_report_falls_back_to_local_authority_when_it_would_repeat_it(client, analyst):
    data = build()
    for org in (data.a, data.b, data.c, data.d):
        org.district = org.local_authority
        org.save()
    client.force_login(analyst)

    page = client.get(reverse("campaigns_reach_campaign", args=[data.wo27.pk])).content.decode()
    report = client.get(reverse("campaigns_reach_by_area"), {"campaign": data.wo27.pk, "by": "district"})

    assert "By district" not in page and "By local authority" in page
    assert "By local authority" in report.content.decode()


def test_invitations_table_says_it_is_not_a_funnel(admin_client):
    data = build()

    text = admin_client.get(reverse("campaigns_campaign:inspect", args=[data.wo27.pk])).content.decode()

    assert "Not a funnel: every invitation is counted once" in text
    assert "Of which to eligible organisations" in text
    assert '<th scope="row">Total</th><td>5</td><td>4</td>' in text  # E is invited, not eligible


@pytest.fixture
def cohort():
    """Councillors: one trained and current, one due (expires within 60 days), one expired, one never."""
    today = timezone.localdate()
    course = TrainingCourseFactory()
    cohort = CohortFactory(name="Elected members", course=course)
    for name, valid_for in (("Current", 400), ("Due", 20), ("Expired", -5), ("Never", None)):
        email = f"{name.lower()}@example.org"
        CohortMemberFactory(cohort=cohort, name=f"Councillor {name}", email=email)
        if valid_for is not None:
            TrainingRecordFactory(
                course=course, email=email, valid_until=today + datetime.timedelta(days=valid_for)
            )
    return cohort


def test_trained_means_valid_today_on_the_cohort_page_and_the_dashboard(client, analyst, cohort):
    client.force_login(analyst)

    page = client.get(reverse("campaigns_cohort", args=[cohort.pk])).content.decode()
    figures = reach.dashboard(ReachFilter())

    assert 'data-figure="cohort-trained">2<' in page
    assert 'data-figure="trained">2<' in page
    assert figures["cohorts"][0]["trained"] == 2
    assert figures["trained_by_sector"][0]["cohort_trained"] == 2


def test_cohort_compliance_list_exports_with_a_heading_and_totals(client, django_user_model, cohort):
    manager = _user_with(
        django_user_model, "training-lead", "campaigns.view_reach", "campaigns.view_cohortmember"
    )
    client.force_login(manager)

    response = client.get(reverse("campaigns_cohort_members", args=[cohort.pk]), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert response.status_code == 200
    assert "cohort-elected-members-" in response["Content-Disposition"]
    assert rows[0][0] == "Cohort compliance: Elected members"
    assert rows[2][0] == "Trained (valid today): 2 of 4"
    heading = next(i for i, r in enumerate(rows) if r and r[0] == "Name")
    body = {r[0]: r[4] for r in rows[heading + 1 : -1]}
    assert body == {
        "Councillor Current": "Trained, valid for more than 60 days",
        "Councillor Due": "Trained, due: expires within 60 days",
        "Councillor Expired": "Expired",
        "Councillor Never": "Never trained",
    }
    assert rows[-1][0] == "Total: 4"
    due = client.get(
        reverse("campaigns_cohort_members", args=[cohort.pk]), {"status": "expiring", "export": "csv"}
    )
    assert "cohort-elected-members-expiring-" in due["Content-Disposition"]


def test_cohort_compliance_list_is_only_for_staff_who_manage_training(client, analyst, cohort):
    client.force_login(analyst)

    assert client.get(reverse("campaigns_cohort_members", args=[cohort.pk])).status_code == 403
    assert (
        client.get(reverse("campaigns_cohort_members", args=[cohort.pk]), {"export": "csv"}).status_code
        == 403
    )
