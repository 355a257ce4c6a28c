"""The pupils' quiz in the browser's terms: a code, the questions, thank you. No cookie, no names, no free
text; unknown and expired codes are refused plainly; a doubled submission counts once."""

import datetime
import re

import pytest
from django.utils import timezone

from campaigns.evaluation import services
from campaigns.models import AnswerCount, Response
from tests.evaluation.helpers import adult_evaluation, past_campaign_session, pupil_quiz, school_booking

pytestmark = pytest.mark.django_db

HELP = "tell an adult you trust or call Childline on"


@pytest.fixture
def quiz():
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire, [school_booking(session)])
    return questionnaire, code


def _form(client, code):
    response = client.get("/quiz/", {"code": code.code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    return html, ticket


def _answers(questionnaire, pick=1):
    return {
        f"q{version.pk}": str(list(version.choices.all())[pick].pk)
        for version in services.current_versions(questionnaire)
    }


def test_from_the_code_to_thank_you_with_help_on_every_screen_and_no_cookie(client, quiz):
    questionnaire, code = quiz
    start = client.get("/quiz/")
    assert start.status_code == 200 and HELP in start.content.decode()
    html, ticket = _form(client, code)
    assert HELP in html and "textarea" not in html
    response = client.post("/quiz/", {"code": code.code, "ticket": ticket, **_answers(questionnaire)})
    assert response.status_code == 302 and response["Location"] == "/quiz/thanks/"
    thanks = client.get("/quiz/thanks/")
    assert "Thank you" in thanks.content.decode() and HELP in thanks.content.decode()
    assert Response.objects.count() == 1
    assert sum(AnswerCount.objects.values_list("count", flat=True)) == 2
    for page in (start, thanks, response):
        assert not page.cookies, page.cookies


def test_a_doubled_or_replayed_submission_counts_once(client, quiz):
    questionnaire, code = quiz
    _, ticket = _form(client, code)
    data = {"code": code.code, "ticket": ticket, **_answers(questionnaire)}
    assert client.post("/quiz/", data).status_code == 302
    assert client.post("/quiz/", data).status_code == 302
    assert Response.objects.count() == 1
    assert set(AnswerCount.objects.values_list("count", flat=True)) == {1}


def test_unknown_and_expired_codes_are_refused_with_a_message(client, quiz):
    questionnaire, code = quiz
    unknown = client.get("/quiz/", {"code": "ZZZZZ9"})
    assert unknown.status_code == 404 and "not right" in unknown.content.decode()
    code.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    code.save()
    expired = client.get("/quiz/", {"code": code.code})
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    posted = client.post("/quiz/", {"code": code.code, "ticket": "x", **_answers(questionnaire)})
    assert posted.status_code == 410
    assert not Response.objects.exists()


def test_answers_not_offered_a_tampered_ticket_or_a_comment_are_refused(client, quiz):
    questionnaire, code = quiz
    _, ticket = _form(client, code)
    version = services.current_versions(questionnaire)[0]
    for data in (
        {f"q{version.pk}": "999999"},
        {f"q{version.pk}": "Tell an adult"},
        {},
    ):
        response = client.post("/quiz/", {"code": code.code, "ticket": ticket, **data})
        assert response.status_code == 400
    tampered = client.post("/quiz/", {"code": code.code, "ticket": ticket + "x", **_answers(questionnaire)})
    assert tampered.status_code == 400 and "out of date" in tampered.content.decode()
    # A comment box a pupil's form never had is ignored, never stored: counts only.
    sneaky = client.post(
        "/quiz/", {"code": code.code, "ticket": ticket, f"c{version.pk}": "A name", **_answers(questionnaire)}
    )
    assert sneaky.status_code == 302
    assert not Response.objects.filter(comments__isnull=False).exists()


def test_submissions_are_limited_per_code(client, quiz, settings):
    settings.EVALUATION_SUBMISSIONS_PER_CODE_PER_MINUTE = 2
    questionnaire, code = quiz
    statuses = []
    for _ in range(3):
        _, ticket = _form(client, code)
        statuses.append(
            client.post(
                "/quiz/", {"code": code.code, "ticket": ticket, **_answers(questionnaire)}
            ).status_code
        )
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2


def test_guessing_codes_is_limited_per_client(client, quiz, settings):
    settings.EVALUATION_CODE_TRIES_PER_MINUTE = 3
    statuses = [client.get("/quiz/", {"code": f"ZZZZZ{n}"}).status_code for n in range(2, 6)]
    assert statuses == [404, 404, 404, 429]


def test_adults_answer_before_and_after_and_may_comment(client):
    campaign, session = past_campaign_session()
    questionnaire = adult_evaluation()
    code, _ = services.codes_for_session(session, questionnaire)
    html, ticket = _form(client, code)
    assert "before the session" in html and "textarea" in html
    scale, comment = services.current_versions(questionnaire)
    options = list(scale.choices.all())
    response = client.post(
        "/quiz/",
        {
            "code": code.code,
            "ticket": ticket,
            f"q{scale.pk}_before": str(options[1].pk),
            f"q{scale.pk}": str(options[4].pk),
            f"c{comment.pk}": "The case studies helped.",
        },
    )
    assert response.status_code == 302
    assert Response.objects.get().comments.get().text == "The case studies helped."
