"""The quiz form under hypothesis-generated input in every field (code, ticket, each question, made-up
comment boxes): never a 500, never a comment stored for pupils, and a refused post counts nothing."""

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.evaluation import services
from campaigns.models import AdultComment, AnswerCount, Response
from tests.evaluation.helpers import past_campaign_session, pupil_quiz, school_booking
from tests.fuzz.test_public_input_fuzz import Rollback, form_body, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(settings):
    settings.EVALUATION_CODE_TRIES_PER_MINUTE = 10_000
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire, [school_booking(session)])
    versions = services.current_versions(questionnaire)
    valid = {"code": code.code, "ticket": services.new_ticket(code)}
    for version in versions:
        valid[f"q{version.pk}"] = str(version.choices.first().pk)
    names = [*valid, *(f"c{version.pk}" for version in versions), f"q{versions[0].pk}_before"]
    return valid, names


def _snapshot():
    return (
        Response.objects.count(),
        list(AnswerCount.objects.order_by("pk").values_list("pk", "count")),
        AdultComment.objects.count(),
    )


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_quiz_post_answers_without_failing_and_a_refusal_counts_nothing(client, quiz, data):
    valid, names = quiz
    broken = data.draw(st.lists(st.tuples(st.sampled_from(names), texts), max_size=len(names) + 2))
    keep_valid = data.draw(st.booleans())
    fields = [
        (name, value) for name, value in valid.items() if keep_valid and name not in dict(broken)
    ] + broken
    cache.clear()
    try:
        with transaction.atomic():
            before = _snapshot()
            response = client.generic(
                "POST", "/quiz/", data=form_body(fields), content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code < 500, fields
            if response.status_code >= 400:
                assert _snapshot() == before, fields
            assert AdultComment.objects.count() == 0
            raise Rollback
    except Rollback:
        pass
