"""Wherever figures leave the system (the API, a school's report, its follow-up email's link; the dashboard
and the export are in test_staff_screens), a figure from fewer than five respondents reads "fewer than 5"
or null."""

import re

import pytest
from django.core import signing

from campaigns.evaluation import selectors, services
from campaigns.evaluation.views import school_report_token
from campaigns.models import Attendance, NamedAttendee, OutboundMessage, TrainingCourse
from campaigns.partner_api import services as partner_tokens
from campaigns.register.follow_up import send_follow_up_pack
from campaigns.training.services import issue_training_record
from tests.evaluation.helpers import (
    adult_evaluation,
    answer_all,
    past_campaign_session,
    pupil_quiz,
    school_booking,
)

pytestmark = pytest.mark.django_db


def _campaign(own_answers, other_answers):
    """One school answering with its own code beside another school, at one session of a campaign."""
    campaign, session = past_campaign_session()
    ours = school_booking(session, pupils=28)
    ours.campaign = campaign
    ours.save()
    theirs = school_booking(session, pupils=30)
    for booking in (ours, theirs):
        Attendance.objects.create(
            session=session,
            booking=booking,
            campaign=campaign,
            pupils=booking.pupils,
            recorded_at=session.starts_at,
        )
    questionnaire = pupil_quiz(campaign)
    _, by_booking = services.codes_for_session(session, questionnaire, [ours, theirs])
    for n in range(own_answers):
        answer_all(by_booking[ours.pk], questionnaire, pick=1, nonce=f"ours-{n}")
    for n in range(other_answers):
        answer_all(by_booking[theirs.pk], questionnaire, pick=0, nonce=f"theirs-{n}")
    return campaign, ours


def _api(client, **params):
    _, token = partner_tokens.issue_token("Partnership analysts")
    return client.get("/api/v1/evaluation", params, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize(("answers", "shown"), [(4, False), (5, True)])
def test_the_api_gives_null_for_figures_from_fewer_than_five(client, answers, shown):
    campaign, _ = _campaign(answers, 0)
    response = _api(client, campaign=campaign.pk)
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["suppressed"] is not shown
    assert result["respondents"] == (answers if shown else None)
    assert result["response_rate_percent"] == (round(100 * answers / 58) if shown else None)
    counts = [row["count"] for question in result["questions"] for row in question["distribution"]["after"]]
    assert counts and (all(count is None for count in counts) is not shown)
    # By series, and bad parameters.
    assert (
        _api(client, series="walk-online-quiz").json()["results"][0]["respondents"] == result["respondents"]
    )
    assert _api(client, campaign=999999).status_code == 404
    assert _api(client, campaign="x").status_code == 422
    assert client.get("/api/v1/evaluation").status_code == 401


def test_a_schools_report_shows_its_own_pupils_beside_the_campaign_each_suppressed_alike(client):
    campaign, ours = _campaign(own_answers=3, other_answers=6)
    response = client.get(f"/quiz/report/{school_report_token(ours)}/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert not response.cookies
    rows = selectors.side_by_side(*[selectors.school_figures(ours)[key] for key in ("own", "campaign")])
    answered = rows[0]
    assert answered[2] is None and answered[3] == 9  # ours: 3 answers, suppressed; the campaign: 9
    html = response.content.decode()
    assert "fewer than 5" in html and ">9<" in html
    assert 'NSPCC Helpline on <span dir="ltr">0808 800 5000</span>' in html


def test_a_schools_report_with_enough_answers_shows_its_figures(client):
    campaign, ours = _campaign(own_answers=5, other_answers=0)
    html = client.get(f"/quiz/report/{school_report_token(ours)}/").content.decode()
    assert "fewer than 5</td>" not in html
    assert re.search(r"Tell an adult you trust</td><td>5</td><td>5</td>", html)


def test_a_tampered_or_unknown_report_link_is_not_valid(client):
    _campaign(5, 0)
    for token in ("x", signing.dumps(999999, salt="campaigns.evaluation.school_report"), "a" * 300):
        response = client.get(f"/quiz/report/{token}/")
        assert response.status_code == 404 and "This link is not valid" in response.content.decode()


def test_the_follow_up_pack_links_to_the_schools_report(client):
    campaign, ours = _campaign(5, 0)
    send_follow_up_pack(ours)
    message = OutboundMessage.objects.get(template="follow_up_pack")
    url = message.context["quiz_report_url"]
    assert "/quiz/report/" in url
    path = url.split("://", 1)[-1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200


def test_a_training_certificate_email_links_to_the_anonymous_evaluation(client, admin_user):
    _, session = past_campaign_session()
    course = TrainingCourse.objects.create(name="CSE awareness for drivers", slug="drivers")
    course.events.add(session.event)
    evaluation = adult_evaluation()
    evaluation.courses.add(course)
    attendee = NamedAttendee.objects.create(
        session=session, name="A Driver", email="driver@example.org", attended=True
    )
    issue_training_record(attendee, user=admin_user)
    message = OutboundMessage.objects.get(template="training_certificate")
    url = message.context["evaluation_url"]
    code = url.rsplit("code=", 1)[1]
    assert session.evaluation_codes.get().code == code
    page = client.get("/quiz/", {"code": code})
    assert page.status_code == 200 and "I can recognise the signs of exploitation" in page.content.decode()
