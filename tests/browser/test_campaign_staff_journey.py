"""A member of Campaign staff runs a campaign for faith and community groups from its dashboard: adds an
event and a session, invites the groups, sees a group leader book, then cancels the session. At each step
the dashboard, the reach export and the partner API give the same booked figures."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.invitations.services import invitation_url
from campaigns.models import Booking, BookingStatus, Invitation, OrganisationKind, OutboundMessage
from campaigns.partner_api import services as partner_tokens
from campaigns.roles import CAMPAIGN_STAFF, ensure_roles
from events.models import EventPage, Session
from resources.taxonomy import Audience
from tests.browser.conftest import login, save_screenshot
from tests.factories import CampaignFactory, ContactFactory, OrganisationFactory, VenueFactory, event_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT_TITLE = "Keeping children safe online: an evening for groups"


@pytest.fixture
def campaign_staff(django_user_model):
    event_index()
    ensure_roles()
    user = django_user_model.objects.create_user(username="campaign-staff", password="password")
    user.groups.add(Group.objects.get(name=CAMPAIGN_STAFF))
    return user


@pytest.fixture
def campaign():
    campaign = CampaignFactory(
        name="Safe Together Groups 2027",
        code="GRP27",
        audience=Audience.FAITH_COMMUNITY,
        year_groups=[],
        target_reach=200,
    )
    for name, kind in (
        ("St Mark's Church", OrganisationKind.FAITH),
        ("Grays Youth Club", OrganisationKind.COMMUNITY),
    ):
        organisation = OrganisationFactory(
            name=name,
            kind=kind,
            urn=None,
            phase="",
            statutory_low_age=None,
            statutory_high_age=None,
            number_of_pupils=None,
        )
        ContactFactory(organisation=organisation, email=f"leader@{kind}.example.org")
    return campaign


def booked_figures(tab, campaign, api):
    """The booked organisations and children as the dashboard, the reach dashboard, the export and the API show them."""
    tab.goto(reverse("campaigns_campaign:inspect", args=[campaign.pk]))
    taken = tab.locator("table.listing tfoot td").nth(1).inner_text()
    tab.goto(f"/admin/reach/campaign/{campaign.pk}/")
    reach_pupils = tab.locator('[data-figure="pupils-booked"]').inner_text()
    reach_booked = tab.locator('tr[data-step="booked"] .reach-bars__value').inner_text()

    export = tab.request.get(f"{reverse('campaigns_reach_by_area')}?campaign={campaign.pk}&export=csv")
    assert export.ok, export.status
    rows = list(csv.reader(io.StringIO(export.text())))
    heading = next(row for row in rows if row and row[0] == "Area or kind")
    totals = dict(zip(heading, rows[-1], strict=True))
    assert rows[-1][0] == "Total"

    body = api.json()
    api_booked = {s["key"]: s["value"] for s in body["funnel"]["steps"]}["booked"]
    return {
        "places taken": int(taken),
        "reach: organisations": int(reach_booked),
        "reach: children": int(reach_pupils),
        "export: organisations": int(totals["Booked"]),
        "export: children": int(totals["Pupils booked"]),
        "api: organisations": api_booked,
        "api: children": body["people"]["booked"]["pupils"],
    }


def test_campaign_staff_run_a_groups_campaign_from_its_dashboard(
    page, browser, live_server, campaign_staff, campaign
):
    venue = VenueFactory(name="Grays Community Hub")
    _, raw_token = partner_tokens.issue_token("Safeguarding partnership analysts")
    partner = Client()

    def api():
        response = partner.get(
            "/api/v1/reach", {"campaign": campaign.pk}, HTTP_AUTHORIZATION=f"Bearer {raw_token}"
        )
        assert response.status_code == 200, response.content
        return response

    tab = page
    dashboard = reverse("campaigns_campaign:inspect", args=[campaign.pk])
    login(tab, "campaign-staff")

    # 1. An event for adults, added from the dashboard, goes live and joins the campaign.
    tab.goto(dashboard)
    tab.get_by_role("link", name="Add an event").click()
    tab.locator("#id_title").fill(EVENT_TITLE)
    tab.locator("#id_title").press("Tab")
    tab.get_by_role("combobox", name=re.compile("^Kind")).select_option(label="Faith and community session")
    tab.get_by_role("combobox", name=re.compile("^Audience")).select_option(value=Audience.FAITH_COMMUNITY)
    tab.get_by_role("combobox", name=re.compile("^Booking mode")).select_option(value="organisation")
    tab.get_by_role("button", name="More actions").click()
    publish = tab.get_by_role("button", name="Publish")
    expect(publish).to_be_visible()
    publish.click()
    tab.wait_for_url(f"**{dashboard}")
    event = EventPage.objects.get(title=EVENT_TITLE)
    assert event.live
    assert campaign.events.filter(pk=event.pk).exists()
    expect(tab.get_by_role("link", name=f"Add a session to {EVENT_TITLE}")).to_be_visible()

    # 2. A session for 40 at the hub, three weeks ahead.
    starts = timezone.localtime() + datetime.timedelta(days=21)
    tab.get_by_role("link", name=f"Add a session to {EVENT_TITLE}").click()
    tab.get_by_role("textbox", name=re.compile("^Starts at")).fill(starts.strftime("%Y-%m-%d 18:30"))
    tab.get_by_role("textbox", name=re.compile("^Ends at")).fill(starts.strftime("%Y-%m-%d 20:00"))
    tab.keyboard.press("Escape")
    tab.get_by_role("combobox", name=re.compile("^Venue")).select_option(label=venue.name)
    tab.get_by_role("spinbutton", name=re.compile("^Capacity")).fill("40")
    tab.get_by_role("button", name="Create").click()
    expect(tab.locator(".messages")).to_be_visible()
    session = Session.objects.get(event=event)
    assert (session.capacity, session.venue) == (40, venue)

    # 3. Both groups are invited from the invitations panel.
    tab.goto(dashboard)
    tab.get_by_role("link", name="Invite organisations").click()
    expect(tab.get_by_role("heading", name="2 organisations will be invited")).to_be_visible()
    tab.get_by_role("button", name="Send 2 invitations").click()
    tab.wait_for_url(f"**{dashboard}")
    expect(tab.locator(".messages")).to_contain_text("2 invitations are being sent.")
    assert Invitation.objects.filter(campaign=campaign).count() == 2

    # 4. A group leader follows the link in their invitation and books, in a browser of their own.
    invitation = Invitation.objects.get(campaign=campaign, organisation__name="St Mark's Church")
    leader_context = browser.new_context(base_url=live_server.url)
    try:
        leader = leader_context.new_page()
        leader.goto(re.sub(r"^https?://[^/]+", "", invitation_url(invitation)))
        leader.get_by_role("link", name=re.compile(f"^Book {re.escape(EVENT_TITLE)}")).click()
        leader.get_by_label("Youngest child's age").fill("9")
        leader.get_by_label("Oldest child's age").fill("13")
        leader.get_by_label("Children").fill("18")
        leader.get_by_label("Staff").fill("3")
        leader.get_by_label("Your name").fill("Pat Leader")
        leader.get_by_label("Your email address").fill("pat@faith.example.org")
        for statement in (campaign.safeguarding_statement, campaign.photo_consent_statement):
            if statement:
                leader.get_by_label(statement).check()
        leader.get_by_role("button", name="Book places").click()
        leader.get_by_role("heading", name="Booking confirmed").wait_for()
    finally:
        leader_context.close()
    booking = Booking.objects.get(session=session)
    assert (booking.pupils, booking.staff, booking.age_from, booking.age_to) == (18, 3, 9, 13)

    # 5. Every screen, the export and the API agree: one group booked, 18 children.
    figures = booked_figures(tab, campaign, api())
    assert figures == {
        "places taken": 21,
        "reach: organisations": 1,
        "reach: children": 18,
        "export: organisations": 1,
        "export: children": 18,
        "api: organisations": 1,
        "api: children": 18,
    }

    # 6. The session is cancelled from its staff page (its edit screen), with every booking cancelled.
    tab.goto(reverse("events_sessions:edit", args=[session.pk]))
    tab.get_by_role("link", name="Bookings, register and cancelling").click()
    tab.get_by_role("link", name="Cancel session").click()
    tab.get_by_label("Cancel every booking (each booker is emailed)").check()
    tab.get_by_role("button", name="Cancel the session").click()
    expect(tab.locator(".messages")).to_contain_text("Session cancelled.")

    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.is_cancelled and session.places_taken == 0
    assert booking.status == BookingStatus.CANCELLED
    emails = list(
        OutboundMessage.objects.filter(to_email="pat@faith.example.org").values_list("template", flat=True)
    )
    assert sorted(emails) == ["booking_confirmed", "booking_session_cancelled"], emails
    figures = booked_figures(tab, campaign, api())
    assert figures == dict.fromkeys(figures, 0)
    tab.goto(dashboard)
    save_screenshot(tab, "campaign-dashboard-after-cancelling")
