"""The follow-up email of a parents' session or a head teachers' briefing carries the link to the session's
adults' evaluation, and it works; a pupils' session's follow-up does not (pupils answer with the quiz code)."""

import pytest

from campaigns.mail.sending import build_email
from campaigns.models import OutboundMessage
from campaigns.register.follow_up import send_follow_up_pack
from events.models import EventKind
from tests.evaluation.helpers import adult_evaluation, past_campaign_session, pupil_quiz, school_booking

pytestmark = pytest.mark.django_db


def _session(kind):
    campaign, session = past_campaign_session()
    session.event.kind = kind
    session.event.save()
    booking = school_booking(session, pupils=0 if kind != EventKind.PUPIL_ROADSHOW else 28)
    booking.campaign = campaign
    booking.save()
    return campaign, booking


@pytest.mark.parametrize("kind", [EventKind.PARENT_SESSION, EventKind.DSL_BRIEFING])
def test_an_adult_sessions_follow_up_carries_a_working_evaluation_link(client, kind):
    campaign, booking = _session(kind)
    evaluation = adult_evaluation()
    evaluation.campaigns.add(campaign)

    message = send_follow_up_pack(booking)

    url = message.context["evaluation_url"]
    email = build_email(message)
    assert url in email.body
    assert "How did the session go?" in email.body
    page = client.get("/" + url.split("://", 1)[-1].split("/", 1)[1], follow=True)
    assert page.status_code == 200
    assert "I can recognise the signs of exploitation" in page.content.decode()


def test_a_pupils_sessions_follow_up_has_no_adult_evaluation_link():
    campaign, booking = _session(EventKind.PUPIL_ROADSHOW)
    adult_evaluation().campaigns.add(campaign)
    pupil_quiz(campaign)

    send_follow_up_pack(booking)

    message = OutboundMessage.objects.get(template="follow_up_pack")
    assert "evaluation_url" not in message.context
    assert "quiz_report_url" in message.context
    assert "How did the session go?" not in build_email(message).body


def test_an_adult_session_without_an_evaluation_sends_no_link():
    _, booking = _session(EventKind.PARENT_SESSION)

    message = send_follow_up_pack(booking)

    assert "evaluation_url" not in message.context
    assert "How did the session go?" not in build_email(message).body
