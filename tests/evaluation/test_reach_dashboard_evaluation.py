"""The reach dashboard of a campaign answers "did it work?": respondents against attendance, the answers
to each question as bars, and the shift on before/after scales, with nothing from too few respondents
shown or drawn, in a number of queries that does not grow with sessions, schools or answers."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.evaluation import selectors, services
from campaigns.models import Attendance, QuestionKind
from campaigns.roles import CAMPAIGN_STAFF
from tests.evaluation.helpers import (
    adult_evaluation,
    answer_all,
    past_campaign_session,
    pupil_quiz,
    school_booking,
)
from tests.factories import SessionFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(member_of(CAMPAIGN_STAFF, "staff"))
    return client


def came(session, campaign, pupils=0, adults=0):
    booking = school_booking(session, pupils=pupils)
    Attendance.objects.create(
        session=session,
        booking=booking,
        campaign=campaign,
        pupils=pupils,
        adults=adults,
        recorded_at=session.starts_at,
    )
    return booking


def evaluation_section(client, campaign):
    response = client.get(f"/admin/reach/campaign/{campaign.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="did-it-work"')
    return html[start : html.index("</section>", start)]


def scale_choices(questionnaire, before, after):
    """Answers to the training evaluation's scale question: option values `before` and `after` (1 to 5),
    either None to leave that phase unanswered."""
    version = next(v for v in services.current_versions(questionnaire) if v.kind == QuestionKind.SCALE)
    options = {option.value: option.pk for option in version.choices.all()}
    choices = {}
    if before is not None:
        choices[(version.pk, "before")] = options[before]
    if after is not None:
        choices[(version.pk, "after")] = options[after]
    return choices


def test_the_shift_on_a_before_and_after_scale_is_shown_with_bars(staff):
    campaign, session = past_campaign_session()
    came(session, campaign, adults=8)
    questionnaire = adult_evaluation()
    questionnaire.campaigns.add(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    for n in range(6):
        services.submit(code, f"n{n}", scale_choices(questionnaire, 2, 4 if n % 2 else 5))

    section = evaluation_section(staff, campaign)
    assert "Answered 6 times, 75% of the 8 the register shows came" in section
    assert "I can recognise the signs of exploitation" in section
    # Before 2.0, after 4.5: the shift is +2.5, and each average is drawn on the 1 to 5 scale.
    assert re.search(r'data-figure="shift">.*?\+2\.5', section, re.S)
    assert 'style="width: 40.0%"' in section and 'style="width: 90.0%"' in section


def quiz_answered(times):
    """A campaign whose one session 30 pupils came to, and its quiz answered `times` with the same answers."""
    campaign, session = past_campaign_session()
    came(session, campaign, pupils=30)
    questionnaire = pupil_quiz(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    for n in range(times):
        answer_all(code, questionnaire, pick=1, nonce=f"n{n}")
    return campaign


def test_a_quiz_answered_by_fewer_than_five_shows_no_number_and_no_bar(staff):
    campaign = quiz_answered(4)
    section = evaluation_section(staff, campaign)
    assert "Answered by fewer than 5 people: no figures are shown yet." in section
    assert "reach-bar" not in section.replace('class="reach-bars', "")
    # The only numbers in the section are those of its explanation ("1 to 5", "fewer than 5").
    text = re.sub(r"<[^>]*>", " ", section)  # tags (h2, the report link with the campaign's id) aside
    assert set(re.findall(r"\d+", text)) <= {"1", "5"}


def test_five_answers_are_shown_as_shares_of_those_who_answered(staff):
    campaign = quiz_answered(5)
    section = evaluation_section(staff, campaign)
    assert "Answered 5 times, 17% of the 30 the register shows came" in section
    assert re.search(
        r"Tell an adult you trust</th>\s*<td[^>]*><span class=\"reach-bar\" style=\"width: 100%\">", section
    )


def test_a_phase_answered_by_too_few_is_not_shown_even_when_the_other_phase_is(staff, client):
    """Six answered after the course, three of them also before: the before figures come from three."""
    campaign, session = past_campaign_session()
    came(session, campaign, adults=8)
    questionnaire = adult_evaluation()
    questionnaire.campaigns.add(campaign)
    code, _ = services.codes_for_session(session, questionnaire)
    for n in range(6):
        services.submit(code, f"n{n}", scale_choices(questionnaire, 1 if n < 3 else None, 4))

    section = evaluation_section(staff, campaign)
    assert re.search(r"Before</th>\s*<td[^>]*></td>\s*<td[^>]*>fewer than 5</td>", section)
    assert 'data-figure="shift"' not in section
    question = selectors.campaign_figures(campaign)[0].questions[0]
    assert question.mean_before is None and question.shift is None
    assert all(count is None for _label, count in question.distribution["before"])  # the API's too
    assert dict(question.distribution["after"])["4"] == 6


def test_the_section_costs_the_same_queries_with_more_sessions_schools_and_answers(staff):
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)

    def answered_session(session, answers):
        booking = came(session, campaign, pupils=30)
        code, by_booking = services.codes_for_session(session, questionnaire, [booking])
        for n in range(answers):
            answer_all(by_booking[booking.pk], questionnaire, pick=n % 3, nonce=f"{session.pk}-{n}")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            evaluation_section(staff, campaign)
        return len(captured)

    answered_session(session, 5)
    staff.get(f"/admin/reach/campaign/{campaign.pk}/")  # the reach figures cached alike both times
    small = queries()
    event = session.event
    for days in (3, 5, 7):
        starts = timezone.now() - datetime.timedelta(days=days)
        answered_session(
            SessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)), 12
        )
    staff.get(f"/admin/reach/campaign/{campaign.pk}/")
    assert queries() == small
