"""A pupil on a 390 px phone or tablet types the code from the classroom screen, answers the quiz and sees
the thank-you screen; help is on every screen, nothing is wider than the screen and no cookie is set."""

import pytest

from campaigns.evaluation import services
from campaigns.models import AnswerCount, Response
from tests.browser.test_phone_widths import PHONE_WIDTH, WIDEST
from tests.evaluation.helpers import past_campaign_session, pupil_quiz, school_booking
from tests.resources.helpers import ensure_site
from tests.support.browser import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELP = "tell an adult you trust or call Childline"


def test_a_pupil_answers_the_quiz_from_the_code_to_thank_you_on_a_phone(phone_page):
    ensure_site()
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    _, by_booking = services.codes_for_session(session, questionnaire, [school_booking(session)])
    code = next(iter(by_booking.values()))

    phone_page.goto("/quiz/")
    assert HELP in phone_page.content()
    phone_page.get_by_label("Your code").fill(code.code.lower())
    phone_page.get_by_role("button", name="Start").click()
    phone_page.wait_for_url("**/quiz/?code=*")
    assert HELP in phone_page.content()
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH
    save_screenshot(phone_page, "phone-quiz-questions")

    phone_page.get_by_role("group", name="1. If someone online asks you to keep a secret").get_by_label(
        "Tell an adult you trust"
    ).check()
    phone_page.get_by_role("group", name="2. Do you know who you could talk to").get_by_label("Yes").check()
    phone_page.get_by_role("button", name="Send my answers").click()
    phone_page.wait_for_url("**/quiz/thanks/")
    assert "Thank you" in phone_page.content() and HELP in phone_page.content()
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH
    save_screenshot(phone_page, "phone-quiz-thanks")
    assert phone_page.context.cookies() == []

    assert Response.objects.filter(booking=code.booking).count() == 1
    assert sorted(AnswerCount.objects.values_list("option__label", "count")) == [
        ("Tell an adult you trust", 1),
        ("Yes", 1),
    ]
