"""Staff take a register on a phone, then see the reach dashboard count the pupils who came."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Attendance
from tests.browser.conftest import login, save_screenshot
from tests.campaigns.factories_reach import ReachBookingFactory
from tests.factories import CampaignFactory, OrganisationFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_member(django_user_model):
    user = django_user_model.objects.create_user(username="on-the-day", password="password")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="take_register"),
        Permission.objects.get(codename="view_reach"),
    )
    return user


def test_staff_take_the_register_on_a_phone_and_the_dashboard_changes(phone_page, staff_member):
    session = SessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    campaign = CampaignFactory(name="Walk Online 2027", target_reach=100)
    campaign.events.add(session.event)
    oak = ReachBookingFactory(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(name="Oakfield Primary"),
        pupils=30,
    )
    ReachBookingFactory(
        session=session, campaign=campaign, organisation=OrganisationFactory(name="Beech Primary"), pupils=20
    )
    tab = phone_page

    login(tab, "on-the-day")
    tab.goto(f"/admin/reach/campaign/{campaign.pk}/")
    assert tab.locator('[data-figure="pupils-attended"]').inner_text() == "0"

    tab.goto("/admin/register/")
    tab.get_by_role("link", name="Walk Online roadshow").first.click()
    tab.get_by_role("button", name="All as booked").click()
    assert "Recorded 2 bookings as booked" in tab.locator(".messages").inner_text(), tab.locator(
        ".messages"
    ).inner_text()

    line = tab.locator(f"#booking-{oak.pk}")
    line.get_by_label("Pupils").fill("27")
    line.get_by_role("button", name="Save").click()
    expect(tab.locator(".messages")).to_contain_text("Oakfield Primary: attendance saved.")
    # Everything a register taker needs fits the phone's width: no sideways scrolling.
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    save_screenshot(tab, "register-on-a-phone")

    assert Attendance.objects.get(booking=oak).pupils == 27
    tab.goto(f"/admin/reach/campaign/{campaign.pk}/")
    expect(tab.locator('[data-figure="pupils-attended"]')).to_have_text("47")
    save_screenshot(tab, "reach-dashboard-on-a-phone")
