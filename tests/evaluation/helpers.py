"""A pupils' quiz and an adults' evaluation on a campaign's session, ready to answer."""

import datetime

from django.utils import timezone

from campaigns.evaluation import services
from campaigns.models import Asked, BookingKind, EvaluationAudience, Question, QuestionKind, Questionnaire
from tests.campaigns.factories_reach import ReachBookingFactory
from tests.factories import BookingFactory, CampaignFactory, EventPageFactory, SessionFactory


def pupil_quiz(campaign=None, **fields):
    questionnaire = Questionnaire.objects.create(
        name="Walk Online quiz",
        audience=EvaluationAudience.PUPILS,
        series="walk-online-quiz",
        **fields,
    )
    if campaign is not None:
        questionnaire.campaigns.add(campaign)
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=1,
        text="If someone online asks you to keep a secret, what should you do?",
        options="Keep the secret\nTell an adult you trust\nAsk them why",
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=2,
        text="Do you know who you could talk to if something online worried you?",
        options="Yes\nNot sure\nNo",
    )
    services.sync_questionnaire(questionnaire)
    return questionnaire


def adult_evaluation(**fields):
    questionnaire = Questionnaire.objects.create(
        name="Training evaluation",
        audience=EvaluationAudience.ADULTS,
        series="cse-training-evaluation",
        **fields,
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=1,
        text="I can recognise the signs of exploitation",
        kind=QuestionKind.SCALE,
        asked=Asked.BEFORE_AND_AFTER,
    )
    Question.objects.create(
        questionnaire=questionnaire,
        sort_order=2,
        text="Any other comments?",
        kind=QuestionKind.FREE_TEXT,
    )
    services.sync_questionnaire(questionnaire)
    return questionnaire


def past_campaign_session(days_ago=1):
    campaign = CampaignFactory()
    event = EventPageFactory()
    campaign.events.add(event)
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    session = SessionFactory(event=event, starts_at=starts, ends_at=starts + datetime.timedelta(hours=2))
    return campaign, session


def school_booking(session, pupils=30):
    return BookingFactory(session=session, pupils=pupils)


def answer_all(code, questionnaire, pick=0, nonce=None):
    """Submit one response choosing the `pick`-th option of every choice question."""
    choices = {}
    for version in services.current_versions(questionnaire):
        options = list(version.choices.all())
        if not options:
            continue
        choices[(version.pk, "after")] = options[min(pick, len(options) - 1)].pk
        if version.asked == Asked.BEFORE_AND_AFTER:
            choices[(version.pk, "before")] = options[0].pk
    return services.submit(code, nonce or f"nonce-{timezone.now().timestamp()}-{pick}-{id(choices)}", choices)


def driver(session, email="sam.driver@example.org", name="Sam Example Driver", **fields):
    """A taxi driver's own place at a professional training session."""
    return ReachBookingFactory(
        session=session,
        kind=BookingKind.INDIVIDUAL,
        organisation=None,
        year_group="",
        pupils=0,
        staff=0,
        adults=1,
        booker_name=name,
        booker_email=email,
        licence_number="PHD 20481",
        **fields,
    )
