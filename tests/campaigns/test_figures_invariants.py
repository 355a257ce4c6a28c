"""Reach figures on random campaigns: the funnel is a funnel, the breakdowns add up, and every screen, export
and the partner API give the same numbers.

Each example builds organisations of several kinds, one or two campaigns with sessions past and to come,
invitations in every state, bookings (some cancelled, some individual), registers with no-shows and walk-ins
(some at an event outside any campaign), and a cohort with training records; then it reads the figures
from the selectors, the reach dashboard, the campaign page, the by-area CSV export, the cohort page and
the API. The organisation figures are also worked out here from the rows themselves.
"""

import csv
import datetime
import io
import itertools
import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from campaigns.figures import eligible_q
from campaigns.models import (
    Attendance,
    Booking,
    BookingKind,
    BookingStatus,
    Campaign,
    Cohort,
    CohortMember,
    Invitation,
    InvitationState,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    TrainingCourse,
    TrainingRecord,
)
from campaigns.partner_api import services as partner_tokens
from campaigns.reach import filters as reach_filters
from campaigns.reach import selectors as reach
from events.models import Session
from resources.taxonomy import Audience, Sector
from tests.factories import EventPageFactory, VenueFactory

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

AREAS = [("Thurrock", "Thurrock", "Grays"), ("Essex", "Basildon", "Pitsea"), ("Essex", "Chelmsford", "")]
# kind, phase, statutory ages, establishment type
ORGANISATION_TYPES = [
    (OrganisationKind.SCHOOL, "Primary", (4, 11), "Community school"),
    (OrganisationKind.SCHOOL, "Primary", (7, 11), "Academy converter"),
    (OrganisationKind.SCHOOL, "Secondary", (11, 16), "Foundation school"),
    (OrganisationKind.SCHOOL, "Nursery", (2, 5), "Local authority nursery school"),
    (OrganisationKind.FAITH, "", None, ""),
    (OrganisationKind.COMMUNITY, "", None, ""),
]
CAMPAIGN_TYPES = [
    (Audience.AGES_8_10, ["Y5"]),
    (Audience.AGES_8_10, []),
    (Audience.AGES_4_7, []),
    (Audience.FAITH_COMMUNITY, []),
    (Audience.PROFESSIONALS, []),
]
INVITATION_STEPS = {
    InvitationState.QUEUED: (),
    InvitationState.SENT: (),
    InvitationState.DELIVERED: (),
    InvitationState.BOUNCED: (),
    InvitationState.FAILED: (),
    InvitationState.OPENED: ("opened_at",),
    InvitationState.CLICKED: ("opened_at", "clicked_at"),
    InvitationState.BOOKED: ("opened_at", "clicked_at", "booked_at"),
    InvitationState.DECLINED: ("declined_at",),
}
STAGES = ("eligible", "invited", "opened", "booked", "reached")

organisation_st = st.fixed_dictionaries(
    {
        "type": st.integers(0, len(ORGANISATION_TYPES) - 1),
        "area": st.integers(0, len(AREAS) - 1),
        "open": st.sampled_from([True, True, False]),
        "confirmed": st.sampled_from([True, True, True, False]),
    }
)
campaign_st = st.fixed_dictionaries(
    {
        "type": st.integers(0, len(CAMPAIGN_TYPES) - 1),
        "areas": st.sampled_from([[], ["Thurrock"], ["Essex"], ["Thurrock", "Essex"]]),
        # days from today of each session: negative have been held
        "sessions": st.lists(st.integers(-40, 40).filter(lambda d: d != 0), min_size=1, max_size=3),
        "target": st.integers(0, 300),
    }
)


@st.composite
def worlds(draw):
    organisations = draw(st.lists(organisation_st, min_size=2, max_size=9))
    campaigns = draw(st.lists(campaign_st, min_size=1, max_size=2))
    n_orgs = len(organisations)
    invitations = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(campaigns) - 1),
                st.integers(0, n_orgs - 1),
                st.sampled_from(list(INVITATION_STEPS)),
            ),
            max_size=12,
            unique_by=lambda t: (t[0], t[1]),
        )
    )
    bookings = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "campaign": st.integers(0, len(campaigns) - 1),
                    "session": st.integers(0, 2),
                    "organisation": st.none() | st.integers(0, n_orgs - 1),
                    "pupils": st.integers(0, 30),
                    "staff": st.integers(0, 3),
                    "adults": st.integers(0, 3),
                    "cancelled": st.sampled_from([False, False, True]),
                    # for a held session: None (no register yet), "no-show", or pupils who came
                    "register": st.none() | st.just("no-show") | st.integers(0, 30),
                }
            ),
            max_size=10,
        )
    )
    walk_ins = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "campaign": st.none() | st.integers(0, len(campaigns) - 1),
                    "session": st.integers(0, 2),
                    "organisation": st.none() | st.integers(0, n_orgs - 1),
                    "pupils": st.integers(0, 20),
                    "adults": st.integers(0, 3),
                }
            ),
            max_size=4,
        )
    )
    # cohort members: days from today their training runs out (None: never trained)
    members = draw(st.lists(st.none() | st.integers(-100, 400), max_size=6))
    return {
        "organisations": organisations,
        "campaigns": campaigns,
        "invitations": invitations,
        "bookings": bookings,
        "walk_ins": walk_ins,
        "members": members,
    }


@pytest.fixture
def place(admin_user):
    """What every example shares: event pages (one per campaign, one outside any), a venue, a token."""
    _, token = partner_tokens.issue_token("Figures check")
    return {
        "events": [EventPageFactory() for _ in range(3)],
        "outside": EventPageFactory(title="Drop-in outside any campaign"),
        "venue": VenueFactory(),
        "token": token,
        "counter": itertools.count(1),
    }


def build(world, place):
    now = timezone.now()
    today = timezone.localdate()
    n = next(place["counter"])
    organisations = []
    for i, spec in enumerate(world["organisations"]):
        kind, phase, ages, establishment_type = ORGANISATION_TYPES[spec["type"]]
        local_authority, district, ward = AREAS[spec["area"]]
        organisations.append(
            Organisation(
                kind=kind,
                name=f"Organisation {n}-{i}",
                urn=(n * 100 + i) if kind == OrganisationKind.SCHOOL else None,
                local_authority=local_authority,
                district=district,
                ward=ward,
                phase=phase,
                establishment_type=establishment_type,
                statutory_low_age=ages[0] if ages else None,
                statutory_high_age=ages[1] if ages else None,
                status=OrganisationStatus.OPEN if spec["open"] else OrganisationStatus.CLOSED,
                confirmed=spec["confirmed"],
            )
        )
    organisations = Organisation.objects.bulk_create(organisations)
    campaigns, sessions = [], []
    for i, spec in enumerate(world["campaigns"]):
        audience, year_groups = CAMPAIGN_TYPES[spec["type"]]
        campaign = Campaign.objects.create(
            name=f"Campaign {n}-{i}",
            slug=f"campaign-{n}-{i}",
            code=f"C{n}{i}",
            series=f"series-{n}",
            audience=audience,
            year_groups=year_groups,
            target_reach=spec["target"],
            local_authorities=spec["areas"],
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=60),
        )
        campaign.events.add(place["events"][i])
        campaigns.append(campaign)
        sessions.append(
            Session.objects.bulk_create(
                Session(
                    event=place["events"][i],
                    venue=place["venue"],
                    starts_at=now + datetime.timedelta(days=days),
                    ends_at=now + datetime.timedelta(days=days, hours=2),
                    capacity=500,
                )
                for days in spec["sessions"]
            )
        )
    outside_session = Session.objects.create(
        event=place["outside"],
        venue=place["venue"],
        starts_at=now - datetime.timedelta(days=5),
        ends_at=now - datetime.timedelta(days=5, hours=-2),
        capacity=500,
    )
    Invitation.objects.bulk_create(
        Invitation(
            campaign=campaigns[c],
            organisation=organisations[o],
            state=state,
            **dict.fromkeys(INVITATION_STEPS[state], now),
        )
        for c, o, state in world["invitations"]
    )
    bookings, lines, taken = [], [], set()
    for i, spec in enumerate(world["bookings"]):
        campaign_sessions = sessions[spec["campaign"]]
        session = campaign_sessions[spec["session"] % len(campaign_sessions)]
        organisation = organisations[spec["organisation"]] if spec["organisation"] is not None else None
        cancelled = spec["cancelled"]
        if organisation is not None and not cancelled:
            if (organisation.pk, session.pk) in taken:
                cancelled = True  # one open booking per organisation and session
            taken.add((organisation.pk, session.pk))
        booking = Booking(
            reference=f"F-{n}-{i}",
            session=session,
            campaign=campaigns[spec["campaign"]],
            kind=BookingKind.ORGANISATION if organisation else BookingKind.INDIVIDUAL,
            organisation=organisation,
            year_group="Y5",
            pupils=spec["pupils"],
            staff=spec["staff"],
            adults=spec["adults"],
            places=spec["pupils"] + spec["staff"] + spec["adults"] + 1,
            booker_name="Booker",
            booker_email=f"booker{n}-{i}@example.org",
            status=BookingStatus.CANCELLED if cancelled else BookingStatus.CONFIRMED,
        )
        bookings.append(booking)
    bookings = Booking.objects.bulk_create(bookings)
    for booking, spec in zip(bookings, world["bookings"], strict=True):
        held = booking.session.starts_at <= now
        if booking.status != BookingStatus.CONFIRMED or not held or spec["register"] is None:
            continue
        no_show = spec["register"] == "no-show"
        lines.append(
            Attendance(
                session=booking.session,
                booking=booking,
                campaign=booking.campaign,
                organisation=booking.organisation,
                year_group="Y5",
                pupils=0 if no_show else min(spec["register"], booking.pupils),
                staff=0 if no_show else booking.staff,
                adults=0 if no_show else booking.adults,
                no_show=no_show,
                recorded_at=now,
            )
        )
    for spec in world["walk_ins"]:
        if spec["campaign"] is None:
            session, campaign = outside_session, None
        else:
            campaign_sessions = sessions[spec["campaign"]]
            session = campaign_sessions[spec["session"] % len(campaign_sessions)]
            campaign = campaigns[spec["campaign"]]
            if session.starts_at > now:
                continue  # nobody walks in to a session still to come
        lines.append(
            Attendance(
                session=session,
                campaign=campaign,
                organisation=organisations[spec["organisation"]]
                if spec["organisation"] is not None
                else None,
                pupils=spec["pupils"],
                adults=spec["adults"],
                recorded_at=now,
            )
        )
    Attendance.objects.bulk_create(lines)
    course = TrainingCourse.objects.create(
        name=f"Course {n}", slug=f"course-{n}", sector=Sector.ELECTED_MEMBERS
    )
    cohort = Cohort.objects.create(name=f"Councillors {n}", sector=Sector.ELECTED_MEMBERS, course=course)
    for i, days in enumerate(world["members"]):
        email = f"member{n}-{i}@example.org"
        CohortMember.objects.create(
            cohort=cohort, name=f"Member {i}", email=email, sector=Sector.ELECTED_MEMBERS
        )
        if days is not None:
            TrainingRecord.objects.create(
                course=course,
                name=f"Member {i}",
                email=email,
                sector=Sector.ELECTED_MEMBERS,
                completed_on=today - datetime.timedelta(days=300),
                valid_until=today + datetime.timedelta(days=days),
                verification_code=f"V{n:05d}{i:03d}",
            )
    return campaigns, cohort


def expected_stages(campaigns, now):
    """The organisation figures worked out from the rows, campaign by campaign, in Python."""
    sets = {key: set() for key in (*STAGES, "eligible_reached", "organisations_reached")}
    for campaign in campaigns:
        eligible = set(Organisation.objects.filter(eligible_q(campaign)).values_list("pk", flat=True))
        invitations = list(Invitation.objects.filter(campaign=campaign))
        invited = {i.organisation_id for i in invitations} & eligible
        answered = {
            i.organisation_id
            for i in invitations
            if i.opened_at or i.clicked_at or i.booked_at or i.declined_at
        }
        booked_any = set(
            Booking.objects.filter(campaign=campaign, status=BookingStatus.CONFIRMED).values_list(
                "organisation_id", flat=True
            )
        )
        came = set(
            Attendance.objects.reached().filter(campaign=campaign).values_list("organisation_id", flat=True)
        )
        came.discard(None)
        opened = invited & (answered | booked_any)
        booked = opened & booked_any
        for key, value in (
            ("eligible", eligible),
            ("invited", invited),
            ("opened", opened),
            ("booked", booked),
            ("reached", booked & came),
            ("eligible_reached", eligible & came),
            ("organisations_reached", came),
        ):
            sets[key] |= value
    return {key: len(value) for key, value in sets.items()}


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def figure(text, name):
    match = re.search(rf'data-figure="{name}">([\d.]+)<', text)
    assert match, name
    return match.group(1)


def check_figures(client, place, scoped_to, dimensions):
    now = timezone.now()
    filters = reach_filters.resolve(
        reach_filters.ReachFilter(campaign_id=scoped_to.pk if scoped_to else None)
    )
    in_scope = [scoped_to] if scoped_to else list(Campaign.objects.all())
    figures = reach.dashboard(filters)
    funnel, people = figures["funnel"], figures["people"]
    values = [step["value"] for step in funnel["steps"]]

    # A funnel: each step part of the one before, and as worked out from the rows.
    assert [s["key"] for s in funnel["steps"]] == list(STAGES)
    assert all(a >= b for a, b in itertools.pairwise(values)), values
    assert all(s["rate"] is None or s["rate"] <= 100 for s in funnel["steps"])
    expected = expected_stages(in_scope, now)
    assert {k: funnel[k] for k in expected} == expected
    assert (
        funnel["reached"]
        <= funnel["eligible_reached"]
        <= min(funnel["eligible"], funnel["organisations_reached"])
    )
    assert funnel["attended"] == funnel["reached"]

    # Sessions still to come never lower the share who came.
    campaign_lines = Attendance.objects.reached().filter(campaign__in=in_scope)
    booked_held = sum(
        Booking.objects.filter(
            campaign__in=in_scope, status=BookingStatus.CONFIRMED, session__starts_at__lte=now
        ).values_list("pupils", flat=True)
    )
    assert people["booked"]["held_pupils"] == booked_held
    came_booked = sum(campaign_lines.filter(booking__isnull=False).values_list("pupils", flat=True))
    assert people["attendance_rate"] == (round(100.0 * came_booked / booked_held, 1) if booked_held else None)
    # Register lines outside any campaign are in no campaign figure, and reported on their own.
    assert people["attended"]["pupils"] == sum(campaign_lines.values_list("pupils", flat=True))
    if scoped_to is None:
        outside = Attendance.objects.reached().filter(campaign__isnull=True)
        assert figures["outside_campaigns"]["pupils"] == sum(outside.values_list("pupils", flat=True))
    assert all(row["label"] != "Not part of a campaign" for row in figures["audiences"])

    # Every breakdown adds up to the funnel and to the people.
    for name, breakdown in figures["breakdowns"].items():
        totals = reach.breakdown_totals(breakdown["rows"])
        assert totals == breakdown["totals"], name
        for key in (*STAGES, "eligible_reached", "organisations_reached"):
            assert totals[key] == funnel[key], (name, key)
        for measure in ("pupils", "staff", "adults"):
            assert totals[f"attended_{measure}"] == people["attended"][measure], (name, measure)
            assert totals[f"booked_{measure}"] == people["booked"][measure], (name, measure)
    # District is broken down only where it says more than the local authority does.
    assert ("district" in figures["breakdowns"]) == reach.district_is_distinct(filters)

    # The API says the same.
    params = {"campaign": scoped_to.pk} if scoped_to else {}
    api = client.get("/api/v1/reach", params, HTTP_AUTHORIZATION=f"Bearer {place['token']}").json()
    assert [s["value"] for s in api["funnel"]["steps"]] == values
    assert {k: api["funnel"][k] for k in expected} == expected
    assert api["people"]["attended"] == people["attended"]
    assert api["people"]["attendance_rate"] == people["attendance_rate"]
    assert api["breakdown_totals"]["local_authority"]["attended_pupils"] == people["attended"]["pupils"]

    # The by-area export's totals row is the funnel, and it says where it came from.
    for dimension in dimensions:
        rows = csv_rows(
            client.get(reverse("campaigns_reach_by_area"), {**params, "by": dimension, "export": "csv"})
        )
        expected_campaign = f"Campaign: {scoped_to.name}" if scoped_to else "Campaign: every campaign"
        assert rows[1][0].startswith(expected_campaign)
        heading = rows.index(next(r for r in rows if r and r[0] == "Area or kind"))
        columns = rows[heading]
        total = dict(zip(columns, rows[-1], strict=True))
        assert total["Area or kind"] == "Total"
        assert [
            int(total[c])
            for c in ("Eligible", "Invited (eligible)", "Opened or answered", "Booked", "Reached")
        ] == values
        assert int(total["Pupils reached"]) == people["attended"]["pupils"]
        assert (
            sum(int(r[columns.index("Pupils reached")]) for r in rows[heading + 1 : -1])
            == people["attended"]["pupils"]
        )

    # The dashboard page shows the same numbers (the campaign's page; the whole programme's is alike).
    if scoped_to:
        page = client.get(reverse("campaigns_reach_campaign", args=[scoped_to.pk])).content.decode()
        assert int(figure(page, "pupils-attended")) == people["attended"]["pupils"]
        assert int(figure(page, "eligible-reached")) == funnel["eligible_reached"]
        for step in funnel["steps"]:
            row = re.search(rf'data-step="{step["key"]}">.*?reach-bars__value">(\d+)<', page, re.S)
            assert int(row.group(1)) == step["value"], step["key"]

    # Never reached: only organisations the campaigns aim at.
    never = reach.never_reached(filters, scope="ever")
    eligible_ids = set(
        Organisation.objects.filter(reach_filters.any_eligible_q(filters)).values_list("pk", flat=True)
    )
    assert {o.pk for o in never} <= eligible_ids
    for campaign in in_scope:
        if campaign.audience != Audience.FAITH_COMMUNITY:
            assert (
                not Organisation.objects.filter(eligible_q(campaign))
                .exclude(kind=OrganisationKind.SCHOOL)
                .exists()
            )
        if campaign.audience in (Audience.PROFESSIONALS, Audience.PARENTS_CARERS):
            assert not Organisation.objects.filter(eligible_q(campaign)).exists()

    return figures, api


def check_trained(client, cohort, figures, api):
    no_members = {"trained": 0, "current": 0, "expiring": 0}  # a cohort with nobody in it is not listed
    api_cohort = next((c for c in api["cohorts"] if c["cohort__name"] == cohort.name), no_members)
    # Trained means the same on the cohort page, the dashboard, the compliance export and the API.
    cohort_page = client.get(reverse("campaigns_cohort", args=[cohort.pk])).content.decode()
    trained = int(figure(cohort_page, "cohort-trained"))
    summary = next((r for r in figures["cohorts"] if r["cohort_id"] == cohort.pk), no_members)
    assert trained == summary["trained"] == api_cohort["trained"]
    assert trained == summary["current"] + summary["expiring"]
    sector = next((r for r in figures["trained_by_sector"] if r["value"] == Sector.ELECTED_MEMBERS), None)
    assert (sector["cohort_trained"] if sector else 0) == sum(
        r["trained"]
        for r in figures["cohorts"]
        if Cohort.objects.get(pk=r["cohort_id"]).sector == Sector.ELECTED_MEMBERS
    )
    export = csv_rows(client.get(reverse("campaigns_cohort_members", args=[cohort.pk]), {"export": "csv"}))
    assert export[0][0] == f"Cohort compliance: {cohort.name}"
    heading = next(i for i, r in enumerate(export) if r and r[0] == "Name")
    statuses = [r[4] for r in export[heading + 1 : -1]]
    assert sum(1 for s in statuses if s.startswith("Trained")) == trained
    assert export[-1][0] == f"Total: {len(statuses)}"


# Bounded so it runs in well under a minute: no shrinking (a failure prints the example it found).
@settings(
    max_examples=25,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(world=worlds())
def test_every_surface_shows_the_same_figures_and_the_funnel_narrows(admin_client, place, world):
    with transaction.atomic():
        cache.clear()
        campaigns, cohort = build(world, place)
        check_figures(admin_client, place, campaigns[0], ("district",))
        figures, api = check_figures(admin_client, place, None, ("kind",))
        check_trained(admin_client, cohort, figures, api)
        transaction.set_rollback(True)
