"""The session's closing screen (the facilitator's tablet or the classroom screen): where to get help, for
the people in the room, and a link that opens the questions with the code already in it."""

import re

import pytest

from campaigns.evaluation import services
from campaigns.models import EvaluationCode, Response
from campaigns.roles import REGISTER_TAKERS
from events.models import EventKind
from resources.taxonomy import Audience
from tests.evaluation.helpers import adult_evaluation, past_campaign_session, pupil_quiz, school_booking
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def taker(client):
    client.force_login(member_of(REGISTER_TAKERS, "taker"))
    return client


def screen(client, session):
    response = client.get(f"/admin/evaluation/sessions/{session.pk}/quiz/")
    assert response.status_code == 200
    return response.content.decode()


def test_pupils_are_told_of_childline_and_a_trusted_adult(taker):
    campaign, session = past_campaign_session()
    school_booking(session)
    pupil_quiz(campaign)
    html = screen(taker, session)
    assert "Tell an adult you trust" in html and "<strong>0800 1111</strong>" in html
    assert "0808 800 5000" not in html  # the adults' helpline is not what a pupil needs here


def test_adults_at_a_parents_session_are_told_of_999_the_nspcc_and_ceop(taker):
    campaign, session = past_campaign_session()
    event = session.event
    event.kind, event.audience = EventKind.PARENT_SESSION, Audience.PARENTS_CARERS
    event.save_revision().publish()
    questionnaire = adult_evaluation()
    questionnaire.campaigns.add(campaign)
    html = screen(taker, session)
    assert "Worried about a child?" in html
    assert "<strong>999</strong>" in html and "<strong>0808 800 5000</strong>" in html
    assert "ceop.police.uk" in html and "<strong>0800 1111</strong>" in html


def test_the_link_on_the_screen_opens_the_questions_with_its_code(taker, client):
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    html = screen(taker, session)
    code, _ = services.codes_for_session(session, questionnaire)
    link = re.search(r'href="(https?://[^"]*/quiz/\?code=([A-Z0-9]+))"', html)
    assert link and link.group(2) == code.code
    client.logout()
    questions = client.get(link.group(1).split("testserver", 1)[1])
    assert questions.status_code == 200
    assert "Tell an adult you trust" in questions.content.decode() and not questions.cookies


@pytest.mark.parametrize("value", ["", "ZZZZZZ", "x" * 500, "🙂🙂🙂", "AB\x00CD", "<script>"])
def test_a_bad_code_in_the_link_is_refused_plainly_and_changes_nothing(client, value):
    before = (EvaluationCode.objects.count(), Response.objects.count())
    response = client.get("/quiz/", {"code": value})
    assert response.status_code in (400, 404, 410)
    assert "0800 1111" in response.content.decode()  # a plain page that still says where to get help
    assert (EvaluationCode.objects.count(), Response.objects.count()) == before
