"""Answers given by room code are anonymous, so a room can leave more answers than the register shows
people: the response rate never goes above 100%, and says it was capped."""

import pytest

from campaigns.evaluation import services
from campaigns.models import Attendance
from campaigns.partner_api import services as partner_tokens
from tests.evaluation.helpers import answer_all, past_campaign_session, pupil_quiz, school_booking

pytestmark = pytest.mark.django_db


def _answered(answers, came=6):
    campaign, session = past_campaign_session()
    booking = school_booking(session, pupils=came)
    Attendance.objects.create(
        session=session, booking=booking, campaign=campaign, pupils=came, recorded_at=session.starts_at
    )
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    for n in range(answers):
        answer_all(code, questionnaire, nonce=f"room-{n}")
    _, token = partner_tokens.issue_token("Partnership analysts")
    return lambda client: client.get(
        "/api/v1/evaluation", {"campaign": campaign.pk}, HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()["results"][0]


@pytest.mark.parametrize(("answers", "rate", "capped"), [(6, 100, False), (9, 100, True), (5, 83, False)])
def test_the_response_rate_is_at_most_100_percent_and_says_when_capped(client, answers, rate, capped):
    result = _answered(answers)(client)
    assert result["respondents"] == answers
    assert result["response_rate_percent"] == rate
    assert result["response_rate_capped"] is capped
