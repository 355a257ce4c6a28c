"""Taking the register: counts per booking, no-shows, walk-ins, corrections logged, follow-up packs once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.models import Attendance, BookingStatus, OutboundMessage
from campaigns.register import services as attendance_service
from cms.errors import ServiceError
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, InvitationFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return PastSessionFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))


@pytest.fixture
def campaign(session):
    campaign = CampaignFactory(contact_email="team@council.example.gov.uk")
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


def test_staff_without_the_register_permission_get_403(client, plain_staff, session):
    client.force_login(plain_staff)

    assert client.get(register_url(session)).status_code == 403
    assert client.get(reverse("campaigns_register")).status_code == 403


def test_register_lists_each_confirmed_booking_with_numbers_booked(client, register_taker, booking, session):
    ReachBookingFactory(
        session=session, organisation=OrganisationFactory(name="Gone Primary"), status=BookingStatus.CANCELLED
    )
    client.force_login(register_taker)

    page = client.get(register_url(session)).content.decode()

    assert "Oakfield Primary" in page
    assert "30 pupils" in page
    assert "Gone Primary" not in page


def test_recording_numbers_through_the_register_saves_and_logs_them(client, register_taker, booking, session):
    client.force_login(register_taker)

    response = client.post(
        register_url(session),
        {
            "action": "save",
            "booking": booking.pk,
            "pupils": "28",
            "staff": "2",
            "adults": "0",
            "notes": "Two off sick",
        },
    )

    assert response.status_code == 302
    line = Attendance.objects.get(booking=booking)
    assert (line.pupils, line.staff, line.adults, line.notes) == (28, 2, 0, "Two off sick")
    assert line.recorded_by == register_taker
    entry = ModelLogEntry.objects.get(action="campaigns.attendance.recorded")
    assert entry.user == register_taker


def test_correcting_later_keeps_the_change_in_the_audit_log(register_taker, booking):
    attendance_service.record_attendance(booking, pupils=30, staff=2, user=register_taker)
    attendance_service.record_attendance(booking, pupils=27, staff=2, user=register_taker)

    assert Attendance.objects.get(booking=booking).pupils == 27
    correction = ModelLogEntry.objects.get(action="campaigns.attendance.corrected")
    assert correction.data["before"]["pupils"] == 30
    assert correction.data["after"]["pupils"] == 27


def test_all_as_booked_records_every_booking_then_one_can_be_adjusted(
    client, register_taker, booking, session, campaign
):
    other = ReachBookingFactory(session=session, campaign=campaign, pupils=12, staff=1)
    client.force_login(register_taker)

    client.post(register_url(session), {"action": "all-as-booked"})
    client.post(register_url(session), {"action": "no-show", "booking": other.pk})

    assert Attendance.objects.get(booking=booking).pupils == 30
    other_line = Attendance.objects.get(booking=other)
    assert other_line.no_show and other_line.pupils == 0


def test_walk_in_is_recorded_without_a_booking(client, register_taker, session, campaign):
    school = OrganisationFactory(name="Walk-in Primary")
    client.force_login(register_taker)

    client.post(
        register_url(session),
        {
            "action": "walk-in",
            "walkin-pupils": "14",
            "walkin-staff": "1",
            "walkin-adults": "0",
            "walkin-year_group": "Y5",
        },
    )

    line = Attendance.objects.get(booking__isnull=True)
    assert (line.pupils, line.staff, line.organisation, line.campaign) == (14, 1, None, campaign)
    del school


def test_bad_numbers_change_nothing_and_say_why(client, register_taker, booking, session):
    client.force_login(register_taker)

    response = client.post(
        register_url(session),
        {"action": "save", "booking": booking.pk, "pupils": "-3", "staff": "x"},
        follow=True,
    )

    assert response.status_code == 400
    assert "whole numbers" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_booking_from_another_session_is_refused(client, register_taker, booking):
    other_session = PastSessionFactory()
    client.force_login(register_taker)

    response = client.post(
        register_url(other_session), {"action": "save", "booking": booking.pk, "pupils": "3"}, follow=True
    )

    assert "no longer on this register" in response.content.decode()
    assert not Attendance.objects.exists()


def test_register_does_not_open_before_the_day(booking):
    future = SessionFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    booking.session = future
    booking.save()

    with pytest.raises(ServiceError, match="opens on the day"):
        attendance_service.record_attendance(booking, pupils=3)


def test_follow_up_pack_is_sent_once_when_a_school_attends(booking):
    attendance_service.record_attendance(booking, pupils=30, staff=2)
    attendance_service.record_attendance(booking, pupils=29, staff=2)

    packs = OutboundMessage.objects.filter(template="follow_up_pack")
    assert packs.count() == 1
    pack = packs.get()
    assert pack.dedupe_key == f"follow-up:{booking.pk}"
    assert pack.to_email == booking.booker_email
    assert pack.context["organisation"] == "Oakfield Primary"
    assert pack.context["parents_guide_fallback"].endswith("/resources/?audience=parents-carers")


def test_no_follow_up_pack_for_a_no_show(booking):
    attendance_service.record_attendance(booking, no_show=True)

    assert not OutboundMessage.objects.filter(template="follow_up_pack").exists()


def test_follow_up_pack_email_renders_with_helplines(booking):
    from campaigns.mail.sending import build_email

    message = attendance_service.follow_up.send_follow_up_pack(booking)
    email = build_email(message)

    assert "Childline" in email.body
    assert "parents and carers" in email.body


def test_follow_up_pack_links_the_post_session_materials_for_the_age_band(booking, campaign):
    from cms.models import StandardPage
    from tests.factories import home_page

    material = StandardPage(
        title="After the roadshow: talking about online friends", slug="after-the-roadshow"
    )
    home_page().add_child(instance=material)
    campaign.post_session_materials.add(material)

    attendance_service.record_attendance(booking, pupils=30, staff=2)

    pack = OutboundMessage.objects.get(template="follow_up_pack")
    assert [m["title"] for m in pack.context["materials"]] == [
        "After the roadshow: talking about online friends"
    ]
    assert pack.context["materials"][0]["url"].endswith("/after-the-roadshow/")


def test_follow_up_pack_uses_tracked_download_links_for_the_age_band_and_parents(booking, campaign):
    from resources.downloads import read_attribution
    from tests.resources.helpers import make_document, make_resource

    lesson = make_document("Lesson plan")
    guide = make_document("Parents' guide")
    for_pupils = make_resource(
        "Online friends: follow-up lesson",
        audiences=("8-10",),
        body=[("download", {"document": lesson, "label": "Lesson plan (PDF)", "description": ""})],
    )
    for_teens = make_resource("Sixth form follow-up", audiences=("14-18",))
    for_parents = make_resource(
        "Talking with your child about online safety",
        audiences=("parents-carers",),
        body=[("download", {"document": guide, "label": "Guide", "description": ""})],
    )
    campaign.post_session_materials.add(for_pupils, for_teens, for_parents)

    attendance_service.record_attendance(booking, pupils=30, staff=2)

    context = OutboundMessage.objects.get(template="follow_up_pack").context
    assert [m["title"] for m in context["materials"]] == ["Online friends: follow-up lesson"]
    assert [g["title"] for g in context["parents_guides"]] == ["Talking with your child about online safety"]
    link = context["materials"][0]["documents"][0]["url"]
    token = link.split("?t=", 1)[1]
    assert read_attribution(token, lesson.pk) == (for_pupils.pk, campaign.pk, booking.organisation_id)


def test_walk_in_organisations_with_the_same_name_are_told_apart(client, register_taker, session, campaign):
    for urn, town in ((123456, "Grays"), (654321, "Tilbury")):
        InvitationFactory(
            campaign=campaign,
            organisation=OrganisationFactory(name="St Mary's CE Primary", urn=urn, town=town),
        )
    client.force_login(register_taker)

    page = client.get(register_url(session)).content.decode()

    assert "St Mary&#x27;s CE Primary (URN 123456, Grays)" in page
    assert "St Mary&#x27;s CE Primary (URN 654321, Tilbury)" in page
