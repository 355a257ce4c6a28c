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


URDU_HELP = "Childline"
URDU_CODE_LABEL = "تمہارا کوڈ"
URDU_SEND = "میرے جوابات بھیجیں"


def test_a_pupil_answers_the_quiz_in_urdu_right_to_left_on_a_phone(phone_page):
    """The same journey at /ur/: every screen right to left, in Urdu, with help, and accessible."""
    from tests.browser.test_accessibility_booking import serious_problems

    ensure_site()
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    _, by_booking = services.codes_for_session(session, questionnaire, [school_booking(session)])
    code = next(iter(by_booking.values()))
    checked = {}

    phone_page.goto("/ur/quiz/")
    assert phone_page.locator("html").get_attribute("dir") == "rtl"
    checked["code"] = serious_problems(phone_page)
    phone_page.get_by_label(URDU_CODE_LABEL).fill("nothing-like-a-code")
    phone_page.get_by_label(URDU_CODE_LABEL).press("Enter")
    phone_page.wait_for_url("**/ur/quiz/?code=*")
    assert "That code is not right" not in phone_page.content()
    checked["refused code"] = serious_problems(phone_page)

    phone_page.get_by_label(URDU_CODE_LABEL).fill(code.code)
    phone_page.get_by_label(URDU_CODE_LABEL).press("Enter")
    phone_page.get_by_role("button", name=URDU_SEND).wait_for()
    assert phone_page.locator("html").get_attribute("dir") == "rtl"
    assert URDU_HELP in phone_page.content()
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH
    checked["questions"] = serious_problems(phone_page)
    save_screenshot(phone_page, "phone-quiz-questions-ur")

    phone_page.get_by_role("group", name="1. If someone online asks you to keep a secret").get_by_label(
        "Tell an adult you trust"
    ).check()
    phone_page.get_by_role("button", name=URDU_SEND).click()
    phone_page.wait_for_url("**/ur/quiz/thanks/")
    assert phone_page.locator("html").get_attribute("dir") == "rtl" and URDU_HELP in phone_page.content()
    assert phone_page.evaluate(WIDEST) <= PHONE_WIDTH
    checked["thanks"] = serious_problems(phone_page)
    save_screenshot(phone_page, "phone-quiz-thanks-ur")
    assert phone_page.context.cookies() == []

    assert checked == {screen: [] for screen in checked}
    assert sorted(AnswerCount.objects.values_list("option__label", "count")) == [
        ("Tell an adult you trust", 1)
    ]
