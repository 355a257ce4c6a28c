"""Questionnaires keep answers as counts: pupils can never hold free text, a replay counts once, and editing
a question after it was answered starts a new version."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.evaluation import services
from campaigns.models import (
    AdultComment,
    AnswerCount,
    Question,
    QuestionKind,
    QuestionVersion,
    Response,
)
from campaigns.privacy.services import apply_retention
from cms.errors import ServiceError
from tests.evaluation.helpers import adult_evaluation, past_campaign_session, pupil_quiz, school_booking

pytestmark = pytest.mark.django_db


def _code(questionnaire=None):
    campaign, session = past_campaign_session()
    questionnaire = questionnaire or pupil_quiz(campaign)
    booking = school_booking(session)
    session_code, by_booking = services.codes_for_session(session, questionnaire, [booking])
    return questionnaire, session_code, by_booking[booking.pk]


def _choices(questionnaire, pick=0):
    return {
        (version.pk, "after"): list(version.choices.all())[pick].pk
        for version in services.current_versions(questionnaire)
    }


def test_a_pupil_question_cannot_be_free_text_in_the_form_or_the_database():
    questionnaire = pupil_quiz()
    question = Question(questionnaire=questionnaire, text="Tell us anything", kind=QuestionKind.FREE_TEXT)
    with pytest.raises(ValidationError):
        question.full_clean()
    version = QuestionVersion.objects.filter(questionnaire=questionnaire).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionVersion.objects.filter(pk=version.pk).update(kind=QuestionKind.FREE_TEXT)
    question.save()  # past clean(), the service still refuses to ask it
    with pytest.raises(ServiceError):
        services.sync_questionnaire(questionnaire)


def test_a_pupil_submission_cannot_carry_a_comment():
    questionnaire, code, _ = _code()
    version = services.current_versions(questionnaire)[0]
    with pytest.raises(ServiceError):
        services.submit(code, "n1", _choices(questionnaire), comments={version.pk: "My name is ..."})
    assert not Response.objects.exists()
    assert not AdultComment.objects.exists()


def test_answers_are_counts_and_a_replayed_submission_counts_once():
    questionnaire, code, school_code = _code()
    first, created = services.submit(code, "same-nonce", _choices(questionnaire, 1))
    again, created_again = services.submit(code, "same-nonce", _choices(questionnaire, 1))
    assert created and not created_again and first.pk == again.pk
    services.submit(code, "other", _choices(questionnaire, 1))
    services.submit(school_code, "school", _choices(questionnaire, 1))
    assert Response.objects.count() == 3
    version = services.current_versions(questionnaire)[0]
    option = list(version.choices.all())[1]
    whole = AnswerCount.objects.get(option=option, booking__isnull=True)
    school = AnswerCount.objects.get(option=option, booking=school_code.booking)
    assert (whole.count, school.count) == (2, 1)


def test_only_the_questionnaires_own_options_are_accepted():
    questionnaire, code, _ = _code()
    other = pupil_quiz()
    foreign = services.current_versions(other)[0]
    version = services.current_versions(questionnaire)[0]
    for choices in (
        {(version.pk, "after"): list(foreign.choices.all())[0].pk},
        {(foreign.pk, "after"): list(foreign.choices.all())[0].pk},
        {(version.pk, "before"): list(version.choices.all())[0].pk},
        {},
    ):
        with pytest.raises(ServiceError):
            services.submit(code, uuid.uuid4().hex, choices)
    assert not Response.objects.exists() and not AnswerCount.objects.exists()


def test_editing_an_answered_question_starts_a_new_version_and_keeps_old_answers():
    questionnaire, code, _ = _code()
    services.submit(code, "before-edit", _choices(questionnaire))
    question = questionnaire.questions.order_by("sort_order").first()
    old = question.versions.get(is_current=True)
    question.text = "If someone online asks you to keep a secret that worries you, what should you do?"
    question.save()
    services.sync_questionnaire(questionnaire)
    new = question.versions.get(is_current=True)
    assert new.pk != old.pk and new.version == old.version + 1
    old.refresh_from_db()
    assert not old.is_current and old.text.startswith("If someone online asks you to keep a secret,")
    assert AnswerCount.objects.filter(question_version=old).count() == 1
    services.submit(code, "after-edit", _choices(questionnaire))
    assert AnswerCount.objects.filter(question_version=new).count() == 1
    # Changing an option's words is a new version too.
    question.options = question.options.replace("Ask them why", "Ask them what they mean")
    question.save()
    services.sync_questionnaire(questionnaire)
    assert question.versions.get(is_current=True).version == 3


def test_editing_an_unanswered_question_corrects_it_in_place():
    questionnaire = pupil_quiz()
    question = questionnaire.questions.first()
    question.text = "A clearer question?"
    question.save()
    services.sync_questionnaire(questionnaire)
    assert question.versions.count() == 1
    assert question.versions.get().text == "A clearer question?"


def test_codes_are_short_unambiguous_and_expire_after_the_session():
    questionnaire, code, school_code = _code()
    assert len(code.code) == 6 and not set(code.code) & set("01OIL")
    assert code.code != school_code.code
    assert services.find_code(code.code.lower()).pk == code.pk
    assert services.find_code(f" {code.code[:3]}-{code.code[3:]} ").pk == code.pk
    with pytest.raises(ServiceError, match="not right"):
        services.find_code("ZZZZZZ" if code.code != "ZZZZZZ" else "YYYYYY")
    later = code.session.ends_at + datetime.timedelta(days=15)
    with pytest.raises(ServiceError, match="expired"):
        services.find_code(code.code, now=later)
    with pytest.raises(ServiceError, match="expired"):
        services.submit(code, "late", _choices(questionnaire), now=later)
    # Asking again gives the same codes.
    again, by_booking = services.codes_for_session(code.session, questionnaire, [school_code.booking])
    assert again.pk == code.pk and by_booking[school_code.booking_id].pk == school_code.pk


def test_adults_give_before_and_after_and_comments_kept_apart():
    campaign, session = past_campaign_session()
    questionnaire = adult_evaluation()
    code, _ = services.codes_for_session(session, questionnaire)
    scale, comment = services.current_versions(questionnaire)
    options = list(scale.choices.all())
    assert [option.value for option in options] == [1, 2, 3, 4, 5]
    services.submit(
        code,
        "adult-1",
        {(scale.pk, "before"): options[1].pk, (scale.pk, "after"): options[4].pk},
        comments={comment.pk: "Clear and useful."},
    )
    assert AnswerCount.objects.get(phase="before").option == options[1]
    assert AnswerCount.objects.get(phase="after").option == options[4]
    assert AdultComment.objects.get().text == "Clear and useful."
    assert timezone.now()


def test_retention_removes_adults_comments_and_keeps_the_counts():
    campaign, session = past_campaign_session(days_ago=800)
    questionnaire = adult_evaluation()
    code, _ = services.codes_for_session(session, questionnaire)
    scale, comment = services.current_versions(questionnaire)
    option = scale.choices.first()
    services.submit(
        code, "old", {(scale.pk, "after"): option.pk}, comments={comment.pk: "Useful."}, now=session.ends_at
    )
    assert apply_retention(dry_run=True).counts["Evaluation comments removed"] == 1
    assert AdultComment.objects.count() == 1
    report = apply_retention()
    assert report.counts["Evaluation comments removed"] == 1
    assert not AdultComment.objects.exists()
    assert AnswerCount.objects.get().count == 1 and Response.objects.count() == 1
