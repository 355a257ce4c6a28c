"""Campaign staff run a campaign from its dashboard: they add its events and sessions themselves (pages for
children still wait for safeguarding review), a campaign opens on its dashboard, and the admin home shows
what they work on: today's registers, emails that did not arrive and the campaigns under way."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from campaigns.bookings import services as bookings
from campaigns.models import Campaign, CampaignStatus, DeliveryState, MessageState, OutboundMessage
from campaigns.roles import CAMPAIGN_STAFF, REGISTER_TAKERS
from events.models import EventIndexPage, EventPage, SessionStatus
from tests.campaigns.factories_bookings import campaign_with_session, school_booking
from tests.factories import (
    BookingFactory,
    CampaignFactory,
    EventPageFactory,
    OrganisationFactory,
    SessionFactory,
    event_index,
    home_page,
    member_of,
)
from tests.security.test_published_only_through_review import event_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    event_index()  # the What's on page, opened to Campaign staff when it is created
    user = member_of(CAMPAIGN_STAFF, "campaign-staff")
    client.force_login(user)
    return user


def dashboard_url(campaign):
    return reverse("campaigns_campaign:inspect", args=[campaign.pk])


def add_event_link(page):
    start = page.index('href="', page.index("Add an event") - 200) + len('href="')
    return page[start : page.index('"', start)].replace("&amp;", "&")


def test_campaign_staff_add_an_event_from_the_dashboard_and_it_joins_the_campaign(client, staff):
    campaign = CampaignFactory(name="Parents' evenings 2027")
    page = client.get(dashboard_url(campaign)).content.decode()
    assert "Add an event" in page
    link = add_event_link(page)

    assert client.get(link).status_code == 200
    response = client.post(
        link.split("?")[0],
        event_form(
            "Keeping children safe online",
            "safe-online-evening",
            "parents-carers",
            next=dashboard_url(campaign),
            **{"action-publish": "1"},
        ),
    )

    assert response.status_code == 302 and response.url == dashboard_url(campaign)
    event = EventPage.objects.get(slug="safe-online-evening")
    assert event.live
    assert list(campaign.events.all()) == [event]
    entry = ModelLogEntry.objects.get(action="campaigns.campaign.event_added")
    assert entry.user == staff and entry.data["event"] == "Keeping children safe online"
    dashboard = client.get(dashboard_url(campaign)).content.decode()
    assert f"{reverse('events_sessions:add')}?event={event.pk}" in dashboard


def test_an_event_for_children_added_by_campaign_staff_waits_for_review(client, staff):
    add_url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", event_index().pk])
    client.post(add_url, event_form("Year 5 roadshow", "roadshow", "8-10", **{"action-publish": "1"}))
    assert not EventPage.objects.get(slug="roadshow").live

    client.post(add_url, event_form("Assembly", "assembly", "8-10", **{"action-submit": "1"}))
    event = EventPage.objects.get(slug="assembly")
    assert not event.live and event.workflow_in_progress


def test_campaign_staff_cannot_edit_the_library(client, staff):
    library_page = home_page()
    assert not library_page.permissions_for_user(staff).can_edit()
    assert event_index().permissions_for_user(staff).can_add_subpage()


def test_a_new_whats_on_page_is_open_to_campaign_staff_too(staff):
    second = EventIndexPage(title="Training", slug="training-events")
    home_page().add_child(instance=second)
    assert Page.objects.get(pk=second.pk).specific.permissions_for_user(staff).can_add_subpage()


def test_the_events_menu_lists_event_pages(client, staff):
    event = SessionFactory().event
    page = client.get(reverse("events_pages:index")).content.decode()
    assert event.title in page


def test_a_campaigns_name_opens_its_dashboard_and_saving_returns_there(client, staff):
    campaign = CampaignFactory(name="Walk Online 2027")
    listing = client.get(reverse("campaigns_campaign:index")).content.decode()
    assert f'href="{dashboard_url(campaign)}"' in listing

    edit_url = reverse("campaigns_campaign:edit", args=[campaign.pk])
    form = client.get(edit_url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="Walk Online 2027 (spring)", starts_on="2027-01-04", ends_on="2027-07-20")
    data["events"] = [event.pk for event in campaign.events.all()]
    data = {key: value for key, value in data.items() if not isinstance(value, list) or value}
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == dashboard_url(campaign)


def test_register_takers_see_todays_registers_first_and_no_page_counts(client, django_user_model):
    taker = member_of(REGISTER_TAKERS, "taker")
    now = timezone.localtime()
    today = SessionFactory(starts_at=now.replace(hour=23, minute=0) - datetime.timedelta(hours=1))
    SessionFactory(starts_at=now - datetime.timedelta(days=3))  # recent, not today
    client.force_login(taker)

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Today's registers" in page
    assert reverse("campaigns_register_session", args=[today.pk]) in page
    assert page.count("Take the register") == 1
    assert 'class="w-summary"' not in page  # Wagtail's page, image and document counts
    assert "running-campaigns-title" not in page  # they cannot open campaigns


def test_campaign_staff_see_their_campaigns_and_emails_that_did_not_arrive(client, staff):
    campaign = CampaignFactory(name="Walk Online 2027")
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Walk Online 2027" in page and dashboard_url(campaign) in page
    assert "Emails that did not arrive" not in page
    assert 'class="w-summary"' not in page

    OutboundMessage.objects.create(
        to_email="office@school.example.org",
        subject="Invitation",
        state=MessageState.FAILED,
        campaign=campaign,
    )
    OutboundMessage.objects.create(
        to_email="head@school.example.org",
        subject="Invitation",
        state=MessageState.SENT,
        delivery=DeliveryState.BOUNCED,
        campaign=campaign,
    )
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Emails that did not arrive" in page
    assert "1 could not be sent" in page and "1 bounced or were rejected" in page


def test_editors_keep_the_page_counts(client, django_user_model):
    editor = member_of("Editors", "editor")
    client.force_login(editor)
    assert 'class="w-summary"' in client.get(reverse("wagtailadmin_home")).content.decode()


# Copying a campaign to next year -----------------------------------------------------------------------


@pytest.fixture
def this_years_roadshow():
    campaign = CampaignFactory(
        name="Walk Online 2027",
        code="WO27",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 7, 16),
        safeguarding_statement="We will supervise our pupils throughout.",
    )
    event = EventPageFactory(title="Walk Online 2027 roadshow")
    autumn = timezone.make_aware(datetime.datetime(2027, 3, 9, 9, 30))  # Tuesday, before the clocks change
    SessionFactory(event=event, starts_at=autumn, ends_at=autumn + datetime.timedelta(hours=3), capacity=90)
    summer = timezone.make_aware(datetime.datetime(2027, 6, 15, 13, 0))  # Tuesday, summer time
    SessionFactory(event=event, starts_at=summer, ends_at=summer + datetime.timedelta(hours=3), capacity=60)
    SessionFactory(event=event, status=SessionStatus.CANCELLED)
    campaign.events.add(event)
    booked = SessionFactory(event=event)
    BookingFactory(session=booked, campaign=campaign)
    return campaign


def test_copy_to_next_year_shows_the_plan_then_makes_a_draft_with_sessions_moved_on(
    client, staff, this_years_roadshow
):
    campaign = this_years_roadshow
    url = reverse("campaigns_campaign:copy_to_next_year", args=[campaign.pk])
    assert url in client.get(dashboard_url(campaign)).content.decode()

    preview = client.get(url).content.decode()
    assert "Walk Online 2028" in preview and "WO28" in preview and "Tue 7 Mar 2028, 09:30" in preview
    assert Campaign.objects.count() == 1  # looking changes nothing

    response = client.post(url)

    copy = Campaign.objects.get(code="WO28")
    assert response.status_code == 302 and response.url == dashboard_url(copy)
    assert copy.name == "Walk Online 2028" and copy.status == CampaignStatus.DRAFT
    assert (copy.starts_on, copy.ends_on) == (datetime.date(2028, 1, 4), datetime.date(2028, 7, 16))
    assert copy.safeguarding_statement == "We will supervise our pupils throughout."
    event = copy.events.get()
    assert event.title == "Walk Online 2028 roadshow" and not event.live
    starts = [timezone.localtime(s.starts_at) for s in event.sessions.order_by("starts_at")]
    scheduled = [(s.strftime("%a %H:%M"), s.date()) for s in starts]
    assert ("Tue 09:30", datetime.date(2028, 3, 7)) in scheduled  # same weekday and local time
    assert ("Tue 13:00", datetime.date(2028, 6, 13)) in scheduled  # in summer time too
    assert len(starts) == 3  # the cancelled session is not copied; the booked one is, without its bookings
    assert not copy.bookings.exists() and not copy.invitations.exists()
    assert this_years_roadshow.events.get().title == "Walk Online 2027 roadshow"  # last year's is untouched
    assert ModelLogEntry.objects.filter(action="campaigns.campaign.copied", object_id=str(copy.pk)).exists()


def test_the_copied_event_for_children_needs_review_before_it_is_bookable(client, staff, this_years_roadshow):
    client.post(reverse("campaigns_campaign:copy_to_next_year", args=[this_years_roadshow.pk]))
    event = Campaign.objects.get(code="WO28").events.get()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[event.pk]),
        event_form(event.title, event.slug, "8-10", **{"action-publish": "1"}),
    )
    assert not EventPage.objects.get(pk=event.pk).live


def test_only_staff_who_may_add_campaigns_and_sessions_can_copy(
    client, django_user_model, this_years_roadshow
):
    client.force_login(member_of(REGISTER_TAKERS, "taker"))
    url = reverse("campaigns_campaign:copy_to_next_year", args=[this_years_roadshow.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Campaign.objects.count() == 1


# The audit log names the school and shows old and new values ----------------------------------------


def test_a_booking_change_is_logged_under_the_schools_name_with_old_and_new_numbers(client, staff):
    campaign, session = campaign_with_session(capacity=90)
    school = OrganisationFactory(name="Oakfield Primary")
    booking = bookings.book_places(
        **school_booking(session, campaign, organisation=school, pupils=30, staff=2)
    )

    bookings.change_booking(booking, pupils=28, user=staff)

    entry = ModelLogEntry.objects.get(action="campaigns.booking.changed")
    assert entry.label == f"{booking.reference} · Oakfield Primary"
    assert entry.message == "Booking changed: pupils 30 → 28, places 32 → 30"
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "Oakfield Primary" in history and "pupils 30 → 28" in history
