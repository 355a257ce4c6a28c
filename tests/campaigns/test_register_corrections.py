"""Register counts that look wrong are asked about, absurd ones refused; walk-ins are corrected and removed
like other lines; every correction is in the audit log with the old and new values and the school's name."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.models import Attendance
from campaigns.register import services as attendance_service
from campaigns.roles import CAMPAIGN_STAFF, PARTNER_ANALYSTS
from cms.errors import ServiceError
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return PastSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=2), capacity=100)


@pytest.fixture
def campaign(session):
    campaign = CampaignFactory()
    campaign.events.add(session.event)
    return campaign


@pytest.fixture
def booking(session, campaign):
    return ReachBookingFactory(
        session=session,
        campaign=campaign,
        organisation=OrganisationFactory(name="Oakfield Primary"),
        pupils=30,
    )


def register_url(session):
    return reverse("campaigns_register_session", args=[session.pk])


def save(client, session, booking, pupils, **extra):
    data = {"action": "save", "booking": booking.pk, "pupils": str(pupils), "staff": "0", "adults": "0"}
    return client.post(register_url(session), {**data, **extra})


def test_a_count_far_beyond_the_booking_asks_for_confirmation_first(client, register_taker, booking, session):
    client.force_login(register_taker)
    response = save(client, session, booking, 90)
    assert response.status_code == 400
    page = response.content.decode()
    assert "far more than booked" in page and "Yes, this is right" in page
    assert 'value="90"' in page  # what was typed is shown again
    assert not Attendance.objects.exists()
    response = save(client, session, booking, 90, confirmed="on")
    assert response.status_code == 302
    assert Attendance.objects.get(booking=booking).pupils == 90
    entry = ModelLogEntry.objects.get(action="campaigns.attendance.recorded")
    assert entry.data["confirmed_unusual"] is True


def test_a_count_within_reason_needs_no_confirmation(client, register_taker, booking, session):
    client.force_login(register_taker)
    assert save(client, session, booking, 40).status_code == 302
    assert Attendance.objects.get(booking=booking).pupils == 40


@pytest.mark.parametrize("pupils", ["9999", "1001", "-1", "thirty"])
def test_absurd_counts_are_refused_even_when_confirmed(client, register_taker, booking, session, pupils):
    client.force_login(register_taker)
    response = save(client, session, booking, pupils, confirmed="on")
    assert response.status_code == 400
    assert "whole numbers of 0 to 1,000" in response.content.decode()
    assert not Attendance.objects.exists()
    with pytest.raises(ServiceError):
        attendance_service.record_attendance(booking, pupils=9999, confirmed=True, user=register_taker)


def test_a_walk_in_larger_than_the_session_asks_then_can_be_corrected_and_removed(
    client, register_taker, session, campaign
):
    client.force_login(register_taker)
    school = OrganisationFactory(name="Hillside Primary")
    campaign.invitations.create(organisation=school)
    add = {"action": "walk-in", "walkin-pupils": "120", "walkin-staff": "2", "walkin-adults": "0"}
    response = client.post(register_url(session), add)
    assert response.status_code == 400 and "more than the 100 places" in response.content.decode()
    assert not Attendance.objects.exists()
    client.post(register_url(session), {**add, "walkin-pupils": "12", "walkin-organisation": school.pk})
    line = Attendance.objects.get(booking__isnull=True)
    correction = {
        "action": "walk-in",
        "attendance": line.pk,
        "walkin-organisation": school.pk,
        "walkin-pupils": "15",
        "walkin-staff": "2",
        "walkin-adults": "0",
    }
    assert client.post(register_url(session), correction).status_code == 302
    assert Attendance.objects.get(pk=line.pk).pupils == 15
    corrected = ModelLogEntry.objects.get(action="campaigns.attendance.corrected")
    assert corrected.data["before"]["pupils"] == 12 and corrected.data["after"]["pupils"] == 15
    assert corrected.data["organisation"] == "Hillside Primary"
    response = client.post(register_url(session), {"action": "remove-walk-in", "attendance": line.pk})
    assert response.status_code == 302
    assert not Attendance.objects.exists()
    removed = ModelLogEntry.objects.get(action="campaigns.attendance.walk_in_removed")
    assert removed.data["before"]["pupils"] == 15 and removed.data["organisation"] == "Hillside Primary"


def test_a_booking_line_cannot_be_removed_as_a_walk_in(client, register_taker, booking, session):
    client.force_login(register_taker)
    line = attendance_service.record_attendance(booking, pupils=28, staff=2, user=register_taker)
    response = client.post(register_url(session), {"action": "remove-walk-in", "attendance": line.pk})
    assert response.status_code == 400
    assert Attendance.objects.filter(pk=line.pk).exists()


def test_corrections_are_logged_with_old_and_new_values_and_the_school(register_taker, booking):
    attendance_service.record_attendance(booking, pupils=30, staff=2, user=register_taker)
    attendance_service.record_attendance(booking, pupils=26, staff=2, user=register_taker)
    entry = ModelLogEntry.objects.get(action="campaigns.attendance.corrected")
    assert entry.data["before"]["pupils"] == 30 and entry.data["after"]["pupils"] == 26
    assert entry.data["organisation"] == "Oakfield Primary"
    assert entry.data["by"] == register_taker.get_username()


def test_back_dated_changes_stay_limited(client, register_taker, campaign, settings):
    settings.REGISTER_EDIT_DAYS = 14
    old = PastSessionFactory(starts_at=timezone.now() - datetime.timedelta(days=30), capacity=100)
    campaign.events.add(old.event)
    line = Attendance.objects.create(session=old, campaign=campaign, pupils=10, recorded_at=timezone.now())
    client.force_login(register_taker)
    response = client.post(register_url(old), {"action": "remove-walk-in", "attendance": line.pk})
    assert response.status_code == 400 and "closed" in response.content.decode()
    assert Attendance.objects.filter(pk=line.pk).exists()


def test_who_may_use_the_register(django_user_model, booking, session):
    for group, allowed in ((CAMPAIGN_STAFF, True), (PARTNER_ANALYSTS, False)):
        user = django_user_model.objects.create_user(username=group.lower().replace(" ", "-"))
        user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        response = save(client, session, booking, 28)
        assert response.status_code == (302 if allowed else 403)
    assert Attendance.objects.get(booking=booking).pupils == 28
