"""Staff read "did it work?" on a campaign's reach dashboard, at desktop and phone widths: the shift on a
before/after scale is drawn, the page has no serious accessibility problems and nothing is wider than a
phone's screen."""

import pytest

from campaigns.evaluation import services
from campaigns.models import Attendance, QuestionKind
from campaigns.roles import CAMPAIGN_STAFF
from tests.browser.test_accessibility_booking import serious_problems
from tests.browser.test_phone_widths import PHONE_WIDTH, WIDEST
from tests.evaluation.helpers import adult_evaluation, past_campaign_session, pupil_quiz, school_booking
from tests.factories import member_of
from tests.resources.helpers import ensure_site
from tests.support.browser import ARTIFACTS, login, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answered_campaign():
    campaign, session = past_campaign_session()
    booking = school_booking(session, pupils=30)
    Attendance.objects.create(
        session=session,
        booking=booking,
        campaign=campaign,
        pupils=30,
        adults=8,
        recorded_at=session.starts_at,
    )
    quiz = pupil_quiz(campaign)
    evaluation = adult_evaluation()
    evaluation.campaigns.add(campaign)
    quiz_code, _ = services.codes_for_session(session, quiz)
    for n in range(12):
        choices = {}
        for version in services.current_versions(quiz):
            options = list(version.choices.all())
            choices[(version.pk, "after")] = options[1 if n % 4 else 0].pk
        services.submit(quiz_code, f"quiz-{n}", choices)
    adults_code, _ = services.codes_for_session(session, evaluation)
    scale = next(v for v in services.current_versions(evaluation) if v.kind == QuestionKind.SCALE)
    options = {option.value: option.pk for option in scale.choices.all()}
    for n in range(7):
        services.submit(
            adults_code,
            f"adult-{n}",
            {(scale.pk, "before"): options[2], (scale.pk, "after"): options[4 + n % 2]},
        )
    return campaign


@pytest.mark.parametrize("width", [1366, PHONE_WIDTH])
def test_the_reach_dashboard_shows_did_it_work(page, width):
    ensure_site()
    campaign = answered_campaign()
    staff = member_of(CAMPAIGN_STAFF, "campaign-staff")
    staff.set_password("password")
    staff.save()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "campaign-staff")
    page.goto(f"/admin/reach/campaign/{campaign.pk}/")
    section = page.locator("section.reach-evaluation")
    section.scroll_into_view_if_needed()
    assert "Did it work?" in section.inner_text()
    assert section.locator('[data-figure="shift"]').inner_text().split()[-1].startswith("+")
    assert section.locator(".reach-bar").count() >= 6
    save_screenshot(page, f"reach-dashboard-{width}")
    section.screenshot(path=str(ARTIFACTS / f"reach-did-it-work-{width}.png"))
    assert serious_problems(page) == []
    if width == PHONE_WIDTH:
        assert page.evaluate(WIDEST.replace("main *", "section.reach-evaluation *")) <= PHONE_WIDTH + 1
