"""Did it work?, in the visitor's language: the quiz and its refusals, a trainee's evaluation and the
certificate it sends, a school's report, the follow-up pack and a message from staff to everyone booked.
Each page and email is checked for its English sentences; the questions themselves are staff's words and
stay as written."""

import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from campaigns.bookings import session_changes
from campaigns.evaluation import services as evaluation
from campaigns.evaluation.views import school_report_token
from campaigns.mail.sending import build_email
from campaigns.models import OutboundMessage, TrainingRecord
from campaigns.register import services as attendance_service
from campaigns.register.follow_up import send_follow_up_pack
from events.models import EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import PastSessionFactory, TrainingCourseFactory
from tests.evaluation.helpers import adult_evaluation, answer_all, driver, past_campaign_session, pupil_quiz
from tests.factories import BookingFactory, EventPageFactory
from tests.localize.helpers import fill_strings, publish_by_code, start_translation, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db

COMMUNITY_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
RIGHT_TO_LEFT = {"ur", "ar"}

QUIZ_PAGE = [
    "Choose one answer for each question",
    "There are no wrong answers",
    "Send my answers",
    "Where to get help",
    "If something worries you, tell an adult you trust",
]
SCHOOL_REPORT = [
    "What your pupils told us",
    "The quiz is anonymous",
    "Question and answer",
    "Your pupils",
    "All schools",
    "fewer than 5",
    "Answered",
    "follow your school's safeguarding procedure",
    "To print this report",
]
TRAINEE_PAGE = [
    "Thank you for coming to",
    "Your answers are anonymous",
    "Send my answers and get my certificate",
    "Worried that a child is being exploited?",
    "before the session",
]
FOLLOW_UP = [
    "Thank you for bringing",
    "Here are the follow-up materials",
    "Please pass this guide on",
    "quiz results",
    "If a pupil tells you something",
    "Worried about a child?",
]
CERTIFICATE = [
    "Thank you for completing",
    "View and print your certificate",
    "Verification code",
    "Your licensing team or employer",
    "If you are ever worried",
]
EVALUATION_REQUEST = [
    "One step remains before your certificate",
    "Give your view and get your certificate",
    "This link is for you only",
]
SESSION_MESSAGE = ["Session:", "When:", "Where:", "Your booking:", "Worried about a child?"]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def english_left(text, sentences):
    return [sentence for sentence in sentences if sentence in text]


def html_of(response, language):
    html = response.content.decode()
    direction = "rtl" if language in RIGHT_TO_LEFT else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert not response.cookies
    return html


def path_of(url):
    return "/" + url.split("://", 1)[-1].split("/", 1)[1]


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_the_pupils_quiz_is_in_the_language_of_the_address(client, language):
    campaign, session = past_campaign_session()
    code, _ = evaluation.codes_for_session(session, pupil_quiz(campaign))

    response = client.get(f"/{language}/quiz/", {"code": code.code})

    assert response.status_code == 200
    html = html_of(response, language)
    assert english_left(html, QUIZ_PAGE) == []
    english = client.get("/quiz/", {"code": code.code}).content.decode()
    assert english_left(english, QUIZ_PAGE) == QUIZ_PAGE  # the sentences looked for are the page's own
    assert "If someone online asks you to keep a secret" in html  # staff's question, as written
    assert 'dir="ltr">0800 1111</a>' in html  # the number reads the same way round in every language


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_wrong_or_expired_code_is_refused_in_the_visitors_language(client, language):
    campaign, session = past_campaign_session()
    code, _ = evaluation.codes_for_session(session, pupil_quiz(campaign))
    code.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    code.save()

    unknown = client.get(f"/{language}/quiz/", {"code": "ZZZZZZ"})
    expired = client.get(f"/{language}/quiz/", {"code": code.code})

    assert unknown.status_code == 404 and expired.status_code == 410
    assert "That code is not right" not in html_of(unknown, language)
    assert "That code has expired" not in html_of(expired, language)
    assert "Your code" not in unknown.content.decode()


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_post_with_no_answer_is_refused_in_the_visitors_language_and_counts_nothing(client, language):
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    code, _ = evaluation.codes_for_session(session, questionnaire)

    response = client.post(f"/{language}/quiz/", {"code": code.code, "ticket": evaluation.new_ticket(code)})

    assert response.status_code == 400
    html = html_of(response, language)
    assert "Answer at least one question." not in html and "Please check your answers" not in html
    assert not questionnaire.responses.exists()


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_schools_report_is_in_the_language_of_the_address(client, language):
    campaign, session = past_campaign_session()
    questionnaire = pupil_quiz(campaign)
    ours = BookingFactory(session=session, campaign=campaign, pupils=30)
    other = BookingFactory(session=session, campaign=campaign, pupils=30)
    _, codes = evaluation.codes_for_session(session, questionnaire, [ours, other])
    for number in range(3):
        answer_all(codes[ours.pk], questionnaire, nonce=f"ours-{number}")
    for number in range(6):
        answer_all(codes[other.pk], questionnaire, nonce=f"other-{number}")

    response = client.get(f"/{language}/quiz/report/{school_report_token(ours)}/")

    assert response.status_code == 200
    html = html_of(response, language)
    assert english_left(html, SCHOOL_REPORT) == []
    english = client.get(f"/quiz/report/{school_report_token(ours)}/").content.decode()
    assert english_left(english, SCHOOL_REPORT) == SCHOOL_REPORT
    assert ">9<" in html  # the campaign's nine answers; our three are below the threshold and not shown


def _trainee(language):
    course = TrainingCourseFactory(name="CSE awareness for drivers", evaluation_before_certificate=True)
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS, attendees_named=True
    )
    course.events.add(event)
    starts = timezone.now() - datetime.timedelta(days=1)
    session = PastSessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    questionnaire = adult_evaluation()
    questionnaire.courses.add(course)
    booking = driver(session, language=language)
    attendance_service.tick_named_attendee(booking, attended=True)
    return TrainingRecord.objects.get(), questionnaire


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_trainee_who_booked_in_a_language_is_asked_answers_and_gets_the_certificate_in_it(client, language):
    record, questionnaire = _trainee(language)

    request = OutboundMessage.objects.get(template="training_evaluation_request")
    email = build_email(request)
    assert request.language == language
    assert record.course.name in request.subject and "One step to your certificate" not in request.subject
    assert english_left(email.body, EVALUATION_REQUEST) == []
    link = path_of(request.context["evaluation_url"])
    assert link.startswith(f"/{language}/evaluation/")

    page = client.get(link)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert english_left(html_of(page, language), TRAINEE_PAGE) == []
    english = client.get(link.removeprefix(f"/{language}")).content.decode()
    assert english_left(english, TRAINEE_PAGE) == TRAINEE_PAGE

    scale, comments = evaluation.current_versions(questionnaire)
    options = list(scale.choices.all())
    sent = client.post(link, {f"q{scale.pk}_before": options[1].pk, f"q{scale.pk}": options[4].pk})
    assert sent.status_code == 302
    done = client.get(sent["Location"])
    assert "We have your answers" not in html_of(done, language)

    certificate = OutboundMessage.objects.get(template="training_certificate")
    email = build_email(certificate)
    assert certificate.language == language
    assert english_left(email.body, CERTIFICATE) == []
    assert path_of(certificate.context["certificate_url"]).startswith(f"/{language}/certificates/")
    assert "December" not in certificate.context["completed_on"]  # the month in the trainee's language


def test_a_trainee_added_on_the_day_without_a_booking_is_written_to_in_english():
    record, _questionnaire = _trainee("pl")
    record.attendee.booking = None
    record.attendee.save()
    record.awaiting_evaluation, record.evaluated_at = False, None
    record.save()
    OutboundMessage.objects.all().delete()

    from campaigns.training import services as training

    training._send_certificate(record)

    certificate = OutboundMessage.objects.get(template="training_certificate")
    assert certificate.language == settings.LANGUAGE_CODE
    assert "View and print your certificate" in build_email(certificate).body


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_trainee_link_that_is_not_valid_says_so_in_the_language_of_the_address(client, language):
    response = client.get(f"/{language}/evaluation/not-a-real-token/")

    assert response.status_code == 404
    html = html_of(response, language)
    assert english_left(html, ["This link is not valid", "copied incompletely"]) == []


@pytest.mark.parametrize("language", COMMUNITY_LANGUAGES)
def test_a_school_that_booked_in_a_language_gets_its_follow_up_pack_in_it(client, language):
    campaign, session = past_campaign_session()
    pupil_quiz(campaign)
    booking = BookingFactory(session=session, campaign=campaign, pupils=28, language=language)

    message = send_follow_up_pack(booking)

    email = build_email(message)
    assert message.language == language
    assert campaign.name in message.subject and "your follow-up pack" not in message.subject
    assert english_left(email.body, FOLLOW_UP) == []
    booking.language = ""
    assert english_left(build_email(send_follow_up_pack_again(booking)).body, FOLLOW_UP) == FOLLOW_UP
    report = path_of(message.context["quiz_report_url"])
    assert report.startswith(f"/{language}/quiz/report/")
    assert client.get(report).status_code == 200
    assert (
        path_of(message.context["parents_guide_fallback"])
        == f"/{language}/resources/?audience=parents-carers"
    )


def send_follow_up_pack_again(booking):
    OutboundMessage.objects.filter(template="follow_up_pack").delete()
    return send_follow_up_pack(booking)


def test_the_follow_up_pack_links_a_guide_in_the_schools_language_and_one_not_yet_translated_in_english():
    translated_tree("pl")
    campaign, session = past_campaign_session()
    guide = make_resource("Talking with your child about online safety", audiences=("parents-carers",))
    guide.save_revision().publish()
    translation = start_translation(guide, "pl")
    fill_strings(
        translation, {"Talking with your child about online safety": "Rozmowa z dzieckiem o internecie"}
    )
    publish_by_code(translation)
    untranslated = make_resource("Sharing photos safely", audiences=("parents-carers",))
    untranslated.save_revision().publish()
    campaign.post_session_materials.add(guide, untranslated)
    booking = BookingFactory(session=session, campaign=campaign, pupils=28, language="pl")

    message = send_follow_up_pack(booking)

    guides = {item["title"]: path_of(item["url"]) for item in message.context["parents_guides"]}
    assert set(guides) == {"Rozmowa z dzieckiem o internecie", "Sharing photos safely"}
    assert guides["Rozmowa z dzieckiem o internecie"].startswith("/pl/")
    assert not guides["Sharing photos safely"].startswith("/pl/")


def test_staffs_message_to_everyone_booked_is_framed_in_each_bookers_language():
    campaign, session = past_campaign_session(days_ago=-7)
    BookingFactory(session=session, campaign=campaign, booker_email="ola@example.org", language="pl")
    BookingFactory(session=session, campaign=campaign, booker_email="amal@example.org", language="ar")
    BookingFactory(session=session, campaign=campaign, booker_email="jo@example.org", language="")

    session_changes.email_session_bookers(
        session, subject="Parking", message="Please use the car park on Station Road.", key="k" * 20
    )

    sent = {
        message.to_email: message for message in OutboundMessage.objects.filter(template="session_message")
    }
    for address, language in (("ola@example.org", "pl"), ("amal@example.org", "ar")):
        body = build_email(sent[address]).body
        assert sent[address].language == language
        assert "Please use the car park on Station Road." in body  # staff's words, as written
        assert english_left(body, SESSION_MESSAGE) == [], language
    english = build_email(sent["jo@example.org"]).body
    assert english_left(english, SESSION_MESSAGE) == SESSION_MESSAGE
