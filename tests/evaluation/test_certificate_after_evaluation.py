"""A course that asks for its evaluation before the certificate: the trainee's personal link, counted
anonymously and once, then the certificate as usual; staff may issue it by hand."""

import datetime
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.evaluation import services as evaluation
from campaigns.models import (
    AdultComment,
    AnswerCount,
    OutboundMessage,
    Response,
    TrainingRecord,
)
from campaigns.register import services as attendance_service
from campaigns.roles import CAMPAIGN_STAFF, REGISTER_TAKERS
from campaigns.training import selectors as training_selectors
from campaigns.training import services as training
from events.models import EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import PastSessionFactory, TrainingCourseFactory
from tests.evaluation.helpers import adult_evaluation, driver
from tests.factories import EventPageFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def course():
    return TrainingCourseFactory(name="CSE awareness for drivers", evaluation_before_certificate=True)


@pytest.fixture
def session(course):
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS, attendees_named=True
    )
    course.events.add(event)
    starts = timezone.now() - datetime.timedelta(days=1)
    return PastSessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))


@pytest.fixture
def questionnaire(course):
    questionnaire = adult_evaluation()
    questionnaire.courses.add(course)
    return questionnaire


def emails(template):
    return OutboundMessage.objects.filter(template=template)


def link_of(record):
    return reverse("campaigns:trainee_evaluation", args=[evaluation.trainee_token(record)])


def answers(questionnaire, comment="Clear and useful."):
    versions = evaluation.current_versions(questionnaire)
    scale, comments = versions
    options = list(scale.choices.all())
    return {
        f"q{scale.pk}_before": str(options[1].pk),
        f"q{scale.pk}": str(options[4].pk),
        f"c{comments.pk}": comment,
    }


def test_a_tick_sends_the_evaluation_link_instead_of_the_certificate(session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)

    record = TrainingRecord.objects.get()
    assert record.awaiting_evaluation and record.evaluated_at is None
    assert not emails("training_certificate").exists()
    message = emails("training_evaluation_request").get()
    assert message.to_email == "sam.driver@example.org"
    token = message.context["evaluation_url"].rstrip("/").rsplit("/", 1)[-1]
    assert evaluation.record_from_trainee_token(token) == record
    assert ModelLogEntry.objects.filter(action="campaigns.training_record.awaiting_evaluation").exists()


def test_nothing_verifies_before_the_certificate_is_issued(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()

    check = client.get(
        reverse("campaigns:verify_certificate"), {"code": training.format_code(record.verification_code)}
    )
    certificate = client.get(reverse("campaigns:certificate", args=[training.certificate_token(record)]))

    assert check.status_code == 200
    assert "Valid certificate" not in check.content.decode()
    assert record.course.name not in check.content.decode()
    assert certificate.status_code == 404
    assert training_selectors.licence_statuses(["PHD 20481"])[0]["status"] == "none"


def test_answering_through_the_link_counts_anonymously_and_issues_the_certificate(
    client, session, questionnaire
):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()

    page = client.get(link_of(record))
    assert page.status_code == 200
    assert not page.cookies
    assert page["Cache-Control"] == "private, no-store"
    assert "Sam" not in page.content.decode()

    sent = client.post(link_of(record), answers(questionnaire))

    assert sent.status_code == 302
    record.refresh_from_db()
    assert not record.awaiting_evaluation
    assert record.evaluated_at is not None
    certificate = emails("training_certificate").get()
    assert "evaluation_url" not in certificate.context  # not asked a second time
    assert sum(AnswerCount.objects.values_list("count", flat=True)) == 2
    response = Response.objects.get()
    # The answers are the session's, stamped with its end: nothing on them leads back to the record.
    assert response.booking is None and response.session == session
    assert response.submitted_at == session.ends_at
    assert AdultComment.objects.get().created_at == session.ends_at
    check = client.get(
        reverse("campaigns:verify_certificate"), {"code": training.format_code(record.verification_code)}
    )
    assert "Valid certificate" in check.content.decode()


def test_the_link_used_twice_counts_once_and_issues_once(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()

    client.post(link_of(record), answers(questionnaire))
    again = client.post(link_of(record), answers(questionnaire, comment="Second go"))
    revisit = client.get(link_of(record))

    assert again.status_code == 200
    assert "emailed to you" in revisit.content.decode()
    assert Response.objects.count() == 1
    assert AdultComment.objects.count() == 1
    assert sum(AnswerCount.objects.values_list("count", flat=True)) == 2
    assert emails("training_certificate").count() == 1
    assert ModelLogEntry.objects.filter(action="campaigns.training_record.issued").count() == 1


def test_a_tampered_or_expired_link_is_refused_with_a_message(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 61 * 24 * 60 * 60):
        old = reverse("campaigns:trainee_evaluation", args=[evaluation.trainee_token(record)])

    tampered = client.post(link_of(record)[:-3] + "xyz/", answers(questionnaire))
    expired = client.post(old, answers(questionnaire))

    assert tampered.status_code == 404
    assert "This link is not valid" in tampered.content.decode()
    assert expired.status_code == 410
    assert "contact the training team" in expired.content.decode()
    assert not Response.objects.exists()
    assert TrainingRecord.objects.get().awaiting_evaluation
    assert not emails("training_certificate").exists()


def test_answers_not_offered_are_refused_and_change_nothing(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()
    scale = evaluation.current_versions(questionnaire)[0]

    refused = client.post(link_of(record), {f"q{scale.pk}": "999999"})
    empty = client.post(link_of(record), {})

    assert refused.status_code == 400
    assert empty.status_code == 400
    assert not Response.objects.exists()
    assert TrainingRecord.objects.get().awaiting_evaluation


def test_a_withdrawn_record_has_no_evaluation_link(client, session, questionnaire):
    booking = driver(session)
    attendance_service.tick_named_attendee(booking, attended=True)
    record = TrainingRecord.objects.get()
    attendance_service.tick_named_attendee(booking, attended=False)

    assert client.post(link_of(record), answers(questionnaire)).status_code == 404
    assert not emails("training_certificate").exists()


def test_setting_off_keeps_todays_certificate_email_with_the_evaluation_link(session, questionnaire, course):
    course.evaluation_before_certificate = False
    course.save()

    attendance_service.tick_named_attendee(driver(session), attended=True)

    record = TrainingRecord.objects.get()
    assert not record.awaiting_evaluation
    assert emails("training_certificate").get().context["evaluation_url"]
    assert not emails("training_evaluation_request").exists()


def test_a_course_asking_for_an_evaluation_it_does_not_have_issues_as_usual(session):
    attendance_service.tick_named_attendee(driver(session), attended=True)

    assert not TrainingRecord.objects.get().awaiting_evaluation
    assert emails("training_certificate").count() == 1


def test_staff_issue_a_waiting_certificate_by_hand_and_it_is_logged(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session, email=""), attended=True)
    record = TrainingRecord.objects.get()
    assert record.awaiting_evaluation
    assert not OutboundMessage.objects.exists()  # no address: staff issue it
    manager = member_of(CAMPAIGN_STAFF, "training-manager")
    client.force_login(manager)
    url = reverse("campaigns_trainingrecord_issue_certificate", args=[record.pk])

    listing = client.get(reverse("campaigns_trainingrecord:index"))
    asked = client.get(url)
    issued = client.post(url)
    again = client.post(url)

    assert url in listing.content.decode()
    assert asked.status_code == 200
    assert "Issue certificate now" in asked.content.decode()
    assert issued.status_code == 302 and again.status_code == 302
    record.refresh_from_db()
    assert not record.awaiting_evaluation and record.evaluated_at is None
    entries = ModelLogEntry.objects.filter(action="campaigns.training_record.issued_without_evaluation")
    assert entries.count() == 1
    assert entries.get().user == manager
    assert client.get(link_of(record)).status_code == 200  # the link now says it is done, and takes nothing
    assert not Response.objects.exists()


def test_staff_override_emails_the_certificate_to_a_trainee_who_has_an_address(
    client, session, questionnaire
):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()
    client.force_login(member_of(CAMPAIGN_STAFF, "training-manager"))

    client.post(reverse("campaigns_trainingrecord_issue_certificate", args=[record.pk]))

    assert emails("training_certificate").count() == 1
    assert client.post(link_of(record), answers(questionnaire)).status_code == 200
    assert not Response.objects.exists()


def test_register_takers_cannot_issue_by_hand(client, session, questionnaire):
    attendance_service.tick_named_attendee(driver(session), attended=True)
    record = TrainingRecord.objects.get()
    client.force_login(member_of(REGISTER_TAKERS, "register-taker"))

    refused = client.post(reverse("campaigns_trainingrecord_issue_certificate", args=[record.pk]))

    assert refused.status_code == 403
    assert TrainingRecord.objects.get().awaiting_evaluation
