"""Professional training: a record and a certificate anyone can verify, issued once the training is over."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from campaigns.models import BookingKind, OutboundMessage, TrainingRecord
from campaigns.register import services as attendance_service
from campaigns.training import services as training
from cms.errors import ServiceError
from events.models import EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import (
    PastSessionFactory,
    ReachBookingFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)
from tests.factories import EventPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def training_session():
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING,
        audience=Audience.PROFESSIONALS,
        attendees_named=True,
    )
    course = TrainingCourseFactory(name="CSE awareness for taxi and private-hire drivers", renewal_months=36)
    course.events.add(event)
    return PastSessionFactory(event=event, starts_at=timezone.now() - datetime.timedelta(days=1))


@pytest.fixture
def driver_booking(training_session):
    return ReachBookingFactory(
        session=training_session,
        kind=BookingKind.INDIVIDUAL,
        organisation=None,
        year_group="",
        pupils=0,
        staff=0,
        adults=1,
        booker_name="Sam Example Driver",
        booker_email="Sam.Driver@example.org",
        licence_number="phd 20481",
        booker_organisation_name="Thurrock Council licensing",
    )


def test_ticking_a_named_attendee_issues_a_record_valid_for_the_renewal_period(
    driver_booking, training_session
):
    attendance_service.tick_named_attendee(driver_booking, attended=True)

    record = TrainingRecord.objects.get()
    completed = timezone.localdate(training_session.starts_at)
    assert record.name == "Sam Example Driver"
    assert record.email == "sam.driver@example.org"
    assert record.licence_number == "PHD 20481"
    assert record.completed_on == completed
    assert record.valid_until == completed.replace(year=completed.year + 3)
    assert training.normalise_code(record.verification_code) == record.verification_code
    assert OutboundMessage.objects.filter(template="training_certificate", to_email=record.email).count() == 1


def test_ticking_twice_issues_one_record_and_unticking_withdraws_it(driver_booking):
    attendance_service.tick_named_attendee(driver_booking, attended=True)
    attendance_service.tick_named_attendee(driver_booking, attended=True)
    assert TrainingRecord.objects.count() == 1

    attendance_service.tick_named_attendee(driver_booking, attended=False)

    assert TrainingRecord.objects.get().revoked


def test_named_walk_in_gets_a_record_too(training_session):
    attendance_service.add_named_walk_in(training_session, name="Alex Example", licence_number="HC1234")

    assert TrainingRecord.objects.get().licence_number == "HC1234"


def test_codes_are_long_unambiguous_and_carry_a_check_character():
    codes = {training.new_verification_code() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert len(code) == 12
        assert not set(code) & set("01OIL")
    code = next(iter(codes))
    # One mistyped character is caught by the check character, before any lookup.
    wrong = ("3" if code[3] != "3" else "4").join([code[:3], code[4:]])
    assert training.normalise_code(wrong) == ""
    assert training.normalise_code(training.format_code(code).lower()) == code


def test_verification_page_shows_minimal_details_of_a_valid_certificate(client):
    record = TrainingRecordFactory(name="Jordan Example Smith", licence_number="PHD99871")

    page = client.get(
        reverse("campaigns:verify_certificate"), {"code": training.format_code(record.verification_code)}
    )
    text = page.content.decode()

    assert page.status_code == 200
    assert "Valid certificate" in text
    assert "J. E. S." in text
    assert "…9871" in text
    assert record.course.name in text
    assert "Jordan" not in text
    assert "PHD99871" not in text
    assert not page.cookies


def test_verification_page_says_when_a_certificate_has_expired(client):
    record = TrainingRecordFactory(
        completed_on=datetime.date(2020, 1, 10), valid_until=datetime.date(2023, 1, 10)
    )

    text = client.get(
        reverse("campaigns:verify_certificate"), {"code": record.verification_code}
    ).content.decode()

    assert "has expired" in text


def test_unknown_code_is_not_found(client):
    text = client.get(
        reverse("campaigns:verify_certificate"), {"code": training.new_verification_code()}
    ).content.decode()

    assert "No certificate has this code" in text


def test_guessing_codes_is_rate_limited(client):
    url = reverse("campaigns:verify_certificate")
    for _ in range(20):
        assert client.get(url, {"code": "ABCD-EFGH-JKLM"}).status_code == 200

    response = client.get(url, {"code": "ABCD-EFGH-JKLM"})

    assert response.status_code == 429
    assert "Too many checks" in response.content.decode()


def test_certificate_page_has_the_code_and_a_qr_code_to_the_verification_page(client):
    record = TrainingRecordFactory(name="Jordan Example")

    page = client.get(reverse("campaigns:certificate", args=[training.certificate_token(record)]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "Jordan Example" in text
    assert training.format_code(record.verification_code) in text
    assert "<svg" in text and "<path" in text
    assert f"/certificates/verify/?code={record.verification_code}" in text
    assert "style=" not in text.split("<main", 1)[1]


def test_tampered_certificate_link_is_not_valid(client):
    record = TrainingRecordFactory()
    token = training.certificate_token(record)

    response = client.get(reverse("campaigns:certificate", args=[token[:-2] + "xx"]))

    assert response.status_code == 404


def test_register_ticks_named_attendees_by_name(client, training_manager, driver_booking, training_session):
    client.force_login(training_manager)
    url = reverse("campaigns_register_session", args=[training_session.pk])

    page = client.get(url).content.decode()
    assert "Sam Example Driver" in page
    assert "Licence phd 20481" in page

    client.post(url, {"action": "came", "booking": driver_booking.pk})

    record = TrainingRecord.objects.get()
    assert record.name == "Sam Example Driver"
    assert "✓ Came" in client.get(url).content.decode()


def test_register_adds_a_named_walk_in(client, training_manager, training_session):
    client.force_login(training_manager)
    url = reverse("campaigns_register_session", args=[training_session.pk])

    client.post(
        url, {"action": "named-walk-in", "named-name": "Robin Example", "named-licence_number": "hc 77"}
    )

    assert TrainingRecord.objects.get().licence_number == "HC 77"


# --- certificates wait until the training is over ------------------------------------------------------


@pytest.fixture
def midday_session():
    """A professional training session from 12:00 to 15:00 today (UK time). Returns (session, noon)."""
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS, attendees_named=True
    )
    TrainingCourseFactory(name="CSE awareness for foster carers").events.add(event)
    noon = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(12, 0)), timezone.get_default_timezone()
    )
    session = PastSessionFactory(event=event, starts_at=noon, ends_at=noon + datetime.timedelta(hours=3))
    return session, noon


def carer_booking(session):
    return ReachBookingFactory(
        session=session,
        kind=BookingKind.INDIVIDUAL,
        organisation=None,
        year_group="",
        pupils=0,
        staff=0,
        adults=1,
        booker_name="Jo Example Carer",
        booker_email="jo.carer@example.org",
    )


def certificates_sent():
    return OutboundMessage.objects.filter(template="training_certificate").count()


def test_came_before_the_session_starts_sends_nothing_until_it_has_ended(midday_session, training_manager):
    session, noon = midday_session
    booking = carer_booking(session)
    attendance_service.tick_named_attendee(
        booking, attended=True, user=training_manager, now=noon - datetime.timedelta(hours=1)
    )
    assert not TrainingRecord.objects.exists() and certificates_sent() == 0
    assert training.issue_due_certificates(now=noon + datetime.timedelta(hours=1)) == 0  # still running
    assert training.issue_due_certificates(now=noon + datetime.timedelta(hours=4)) == 1
    assert training.issue_due_certificates(now=noon + datetime.timedelta(hours=5)) == 0
    assert TrainingRecord.objects.get().name == "Jo Example Carer"
    assert certificates_sent() == 1


def test_a_correction_before_the_end_means_no_certificate_is_ever_sent(midday_session, training_manager):
    session, noon = midday_session
    booking = carer_booking(session)
    attendance_service.tick_named_attendee(
        booking, attended=True, user=training_manager, now=noon + datetime.timedelta(minutes=10)
    )
    attendance_service.tick_named_attendee(
        booking, attended=False, user=training_manager, now=noon + datetime.timedelta(minutes=20)
    )
    training.issue_due_certificates(now=noon + datetime.timedelta(hours=4))
    assert not TrainingRecord.objects.exists() and certificates_sent() == 0


def test_staff_who_manage_training_confirm_completion_once_the_session_has_started(
    midday_session, training_manager, register_taker
):
    session, noon = midday_session
    attendance_service.tick_named_attendee(
        carer_booking(session), attended=True, user=register_taker, now=noon - datetime.timedelta(minutes=30)
    )
    with pytest.raises(ServiceError, match="once the session has started"):
        attendance_service.issue_waiting_certificates(
            session, user=training_manager, now=noon - datetime.timedelta(minutes=5)
        )
    with pytest.raises(ServiceError, match="Only staff who manage training"):
        attendance_service.issue_waiting_certificates(
            session, user=register_taker, now=noon + datetime.timedelta(hours=2)
        )
    assert certificates_sent() == 0
    issued = attendance_service.issue_waiting_certificates(
        session, user=training_manager, now=noon + datetime.timedelta(hours=2)
    )
    assert issued == 1 and certificates_sent() == 1


def test_a_register_takers_tick_still_waits_for_staff_who_manage_training(midday_session, register_taker):
    session, noon = midday_session
    attendance_service.tick_named_attendee(
        carer_booking(session), attended=True, user=register_taker, now=noon + datetime.timedelta(hours=1)
    )
    assert training.issue_due_certificates(now=noon + datetime.timedelta(hours=4)) == 0
    assert not TrainingRecord.objects.exists()


def test_certificates_for_ended_sessions_are_issued_on_a_schedule(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "campaigns.training.issue_due_certificates" in schedule
