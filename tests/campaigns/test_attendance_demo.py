"""The attendance demo: registers for past bookings, a partly trained cohort of 49, run twice safely."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from campaigns.demo import attendance as demo_attendance
from campaigns.models import Attendance, Booking, Campaign, Cohort, PartnerToken, TrainingRecord
from campaigns.training import selectors as training_selectors
from events.models import BookingMode, EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, EventPageFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_demo_records_past_registers_and_a_partly_trained_cohort_once():
    session = PastSessionFactory()
    campaign = CampaignFactory()
    campaign.events.add(session.event)
    for _ in range(3):
        ReachBookingFactory(session=session, campaign=campaign)

    out = StringIO()
    demo_attendance.seed(out)
    counts = (Attendance.objects.count(), TrainingRecord.objects.count(), PartnerToken.objects.count())
    demo_attendance.seed(StringIO())

    assert (
        Attendance.objects.count(),
        TrainingRecord.objects.count(),
        PartnerToken.objects.count(),
    ) == counts
    assert Attendance.objects.filter(booking__campaign=campaign).count() == 3
    last_year = Campaign.objects.get(slug=demo_attendance.LAST_YEAR_SLUG)
    assert (
        Attendance.objects.filter(campaign=last_year, booking__isnull=False).count() == 3
    )  # the three schools
    assert Attendance.objects.filter(booking__isnull=True).exists()  # walk-ins
    assert Attendance.objects.filter(no_show=False).count() > Attendance.objects.filter(no_show=True).count()
    compliance = training_selectors.cohort_compliance(Cohort.objects.get(name__startswith="Elected members"))
    assert compliance["total"] == 49
    assert compliance["never"] == 18
    assert compliance["current"] + compliance["expiring"] + compliance["expired"] == 31
    assert compliance["expired"] > 0
    assert "Partner API token" in out.getvalue()


def test_demo_runs_without_any_other_demo_content():
    demo_attendance.seed(StringIO())

    assert not Attendance.objects.exists()


def test_demo_has_a_taxi_driver_certificate_to_follow_end_to_end(client):
    event = EventPageFactory(
        slug=demo_attendance.TAXI_EVENT_SLUG,
        kind=EventKind.PROFESSIONAL_TRAINING,
        audience=Audience.PROFESSIONALS,
        booking_mode=BookingMode.INDIVIDUAL,
        attendees_named=True,
    )
    SessionFactory(event=event)

    out = StringIO()
    demo_attendance.seed(out)
    again = StringIO()
    demo_attendance.seed(again)

    booking = Booking.objects.get(booker_email=demo_attendance.DEMO_DRIVER["booker_email"])
    assert booking.session.starts_at < timezone.now()
    assert Attendance.objects.get(booking=booking).adults == 1
    record = TrainingRecord.objects.get(licence_number="PH-DEMO-2001")
    assert record.valid_until > timezone.localdate()
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Taxi-driver certificate"))
    link = line.split(": ", 1)[1]
    assert "/certificates/" in link
    assert "Taxi-driver certificate" in again.getvalue()
    assert Booking.objects.filter(booker_email=demo_attendance.DEMO_DRIVER["booker_email"]).count() == 1
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Priya Example" in page.content.decode()
