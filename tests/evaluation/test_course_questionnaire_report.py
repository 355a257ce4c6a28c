"""A questionnaire asked only on a training course (on no campaign) is counted in the figures report, under
the course, suppressed like every other figure."""

import csv
import io

import pytest

from campaigns.evaluation import services
from campaigns.models import Attendance, TrainingCourse
from campaigns.roles import PARTNER_ANALYSTS
from tests.evaluation.helpers import adult_evaluation, answer_all, past_campaign_session, school_booking
from tests.factories import member_of

pytestmark = pytest.mark.django_db


def _course_answered(respondents):
    campaign, session = past_campaign_session()
    course = TrainingCourse.objects.create(name="CSE awareness for drivers", slug="drivers")
    course.events.add(session.event)
    booking = school_booking(session, pupils=0)
    Attendance.objects.create(
        session=session,
        booking=booking,
        campaign=campaign,
        pupils=0,
        adults=10,
        recorded_at=session.starts_at,
    )
    evaluation = adult_evaluation()
    evaluation.courses.add(course)
    code, _ = services.codes_for_session(session, evaluation)
    for n in range(respondents):
        answer_all(code, evaluation, pick=3, nonce=f"t{n}")


@pytest.mark.parametrize(("respondents", "shown"), [(4, False), (6, True)])
def test_a_course_only_questionnaire_is_in_the_report_and_suppressed(client, respondents, shown):
    _course_answered(respondents)
    client.force_login(member_of(PARTNER_ANALYSTS, "analyst"))
    page = client.get("/admin/evaluation/report/")
    assert page.status_code == 200
    assert "Training: CSE awareness for drivers" in page.content.decode()
    response = client.get("/admin/evaluation/report/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    body = [row for row in rows if row and row[0] == "Training: CSE awareness for drivers"]
    assert body
    assert all(row[6] == (str(respondents) if shown else "fewer than 5") for row in body)
    assert all(row[7] == ("60" if shown else "fewer than 5") for row in body)
