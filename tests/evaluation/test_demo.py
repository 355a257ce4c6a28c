"""The evaluation demo: past roadshow schools' quiz answers and the training's before/after evaluation,
loaded twice without counting anything twice."""

from io import StringIO

import pytest

from campaigns.demo import attendance as demo_attendance
from campaigns.demo import evaluation as demo_evaluation
from campaigns.evaluation import selectors
from campaigns.models import AnswerCount, Attendance, Campaign, NamedAttendee, Response, TrainingRecord
from events.models import BookingMode, EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import PastSessionFactory, ReachBookingFactory
from tests.factories import CampaignFactory, EventPageFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_past_roadshow_schools_have_quiz_results_and_a_second_run_adds_nothing():
    session = PastSessionFactory()
    campaign = CampaignFactory(series="walk-online")
    campaign.events.add(session.event)
    for _ in range(3):
        ReachBookingFactory(session=session, campaign=campaign, pupils=20, staff=2)
    demo_attendance.seed(StringIO())
    demo_evaluation.seed(StringIO())
    counts = (Response.objects.count(), sorted(AnswerCount.objects.values_list("pk", "count")))
    demo_evaluation.seed(StringIO())
    assert (Response.objects.count(), sorted(AnswerCount.objects.values_list("pk", "count"))) == counts
    assert Response.objects.filter(session=session).count() > 0
    figures = selectors.campaign_figures(campaign)[0]
    attended = sum(Attendance.objects.reached().filter(session=session).values_list("pupils", flat=True))
    assert not figures.suppressed and figures.respondents <= attended
    assert figures.questions[0].distribution["after"][1][1] > 0  # most would tell an adult they trust
    assert Campaign.objects.filter(series="walk-online", questionnaires__series="walk-online-quiz").exists()


def test_the_past_drivers_training_has_a_full_room_and_a_before_and_after_shift_shown_once():
    event = EventPageFactory(
        slug=demo_attendance.TAXI_EVENT_SLUG,
        kind=EventKind.PROFESSIONAL_TRAINING,
        audience=Audience.PROFESSIONALS,
        booking_mode=BookingMode.INDIVIDUAL,
        attendees_named=True,
    )
    SessionFactory(event=event, capacity=4)  # smaller than the room: the past session still holds ten
    campaign = CampaignFactory(name="Professionals' training")
    campaign.events.add(event)

    demo_attendance.seed(StringIO())
    demo_evaluation.seed(StringIO())
    counts = (
        NamedAttendee.objects.count(),
        TrainingRecord.objects.count(),
        Response.objects.count(),
        sorted(AnswerCount.objects.values_list("pk", "count")),
    )
    demo_attendance.seed(StringIO())
    demo_evaluation.seed(StringIO())

    assert (
        NamedAttendee.objects.count(),
        TrainingRecord.objects.count(),
        Response.objects.count(),
        sorted(AnswerCount.objects.values_list("pk", "count")),
    ) == counts
    assert NamedAttendee.objects.filter(attended=True).count() >= 8
    assert TrainingRecord.objects.filter(licence_number__startswith="PH-DEMO-").count() >= 8
    figures = selectors.campaign_figures(campaign)[0]
    assert figures.respondents >= 5 and not figures.suppressed
    confidence = figures.questions[0]
    assert not confidence.suppressed
    assert confidence.shift is not None and confidence.shift > 0
