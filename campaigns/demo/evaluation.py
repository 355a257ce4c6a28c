"""Demo evaluations: the Walk Online pupils' quiz answered by the past roadshows' schools, and the drivers'
training evaluation (confidence before and after, usefulness, comments) answered by those who came.

Idempotent: each demo answer has a fixed nonce, and a submission whose nonce was seen counts once."""

from django.utils import timezone

from campaigns.evaluation import services
from campaigns.models import (
    Asked,
    Attendance,
    Campaign,
    EvaluationAudience,
    Question,
    QuestionKind,
    Questionnaire,
    TrainingCourse,
)

QUIZ_SERIES = "walk-online-quiz"
TRAINING_SERIES = "cse-awareness-training-evaluation"

QUIZ_QUESTIONS = [
    (
        "Someone you only know online asks you to keep a secret. What should you do?",
        ["Keep the secret", "Tell an adult you trust", "Ask them why"],
        [1, 1, 1, 1, 1, 1, 0, 2],
    ),
    (
        "A new online friend asks for a photo of you. Is it OK to say no?",
        ["Yes, always", "Only if I know them", "No"],
        [0, 0, 0, 0, 0, 1, 0, 2],
    ),
    (
        "Do you know who you could talk to if something online or offline worried you?",
        ["Yes", "Not sure", "No"],
        [0, 0, 0, 1, 0, 0, 0, 1],
    ),
    (
        "Which number can you call for free to talk to Childline?",
        ["0800 1111", "999 only", "I don't know"],
        [0, 0, 0, 2, 0, 0, 1, 0],
    ),
]

TRAINING_QUESTIONS = [
    ("I can recognise the signs of exploitation", QuestionKind.SCALE, Asked.BEFORE_AND_AFTER),
    ("I know how to report a concern", QuestionKind.SCALE, Asked.BEFORE_AND_AFTER),
    ("How useful was the training for your work?", QuestionKind.SCALE, Asked.AFTER),
    ("Anything else you would like to tell us about the training?", QuestionKind.FREE_TEXT, Asked.AFTER),
]
COMMENTS = [
    "The examples of what to look out for in the car were practical.",
    "Clear about who to call and when. More time for questions would help.",
    "",
    "I did not know I could report a worry without being sure. Now I do.",
    "Good to hear what other drivers have noticed on late-night fares.",
    "",
]


def seed(out):
    quiz = _pupil_quiz()
    evaluation = _training_evaluation()
    answered = _answer_quiz(quiz) + _answer_training(evaluation)
    out.write(f"Evaluation demo: {answered} quiz and evaluation answers in all.")


def _questionnaire(name, audience, series, introduction, questions):
    questionnaire = Questionnaire.objects.filter(series=series).first()
    if questionnaire is not None:
        return questionnaire
    questionnaire = Questionnaire.objects.create(
        name=name, audience=audience, series=series, introduction=introduction
    )
    for number, fields in enumerate(questions, start=1):
        Question.objects.create(questionnaire=questionnaire, sort_order=number, **fields)
    services.sync_questionnaire(questionnaire)
    return questionnaire


def _pupil_quiz():
    quiz = _questionnaire(
        "Walk Online quiz",
        EvaluationAudience.PUPILS,
        QUIZ_SERIES,
        "Four quick questions about today. There are no wrong answers.",
        [{"text": text, "options": "\n".join(options)} for text, options, _ in QUIZ_QUESTIONS],
    )
    quiz.campaigns.add(*Campaign.objects.filter(series="walk-online"))
    return quiz


def _training_evaluation():
    evaluation = _questionnaire(
        "CSE awareness training: your view",
        EvaluationAudience.ADULTS,
        TRAINING_SERIES,
        "Your answers are anonymous and help us improve the training.",
        [{"text": text, "kind": kind, "asked": asked} for text, kind, asked in TRAINING_QUESTIONS],
    )
    evaluation.courses.add(*TrainingCourse.objects.all())
    # The campaigns that run the training show its figures on their dashboards and in the report.
    evaluation.campaigns.add(
        *Campaign.objects.filter(events__training_courses__in=evaluation.courses.all()).distinct()
    )
    return evaluation


def _pattern(version):
    for text, _options, pattern in QUIZ_QUESTIONS:
        if text == version.text:
            return pattern
    return [0]


def _answer_quiz(quiz):
    """About four in five pupils who came to each past roadshow session answer with their school's code."""
    lines = (
        Attendance.objects.reached()
        .filter(campaign__in=quiz.campaigns.all(), booking__isnull=False, pupils__gt=0)
        .filter(session__ends_at__lt=timezone.now())
        .select_related("session", "booking")
        .order_by("pk")
    )
    versions = services.current_versions(quiz)
    answered = 0
    for line in lines:
        _, by_booking = services.codes_for_session(line.session, quiz, [line.booking])
        code = by_booking[line.booking_id]
        for n in range(line.pupils * 4 // 5):
            choices = {}
            for version in versions:
                options = list(version.choices.all())
                pattern = _pattern(version)
                choices[(version.pk, "after")] = options[pattern[(n + line.pk) % len(pattern)]].pk
            _, created = services.submit(code, f"demo-quiz-{line.pk}-{n}", choices, now=line.session.ends_at)
            answered += created
    return answered


def _answer_training(evaluation):
    """Each adult who came to a past training session answers: less sure before, more sure after."""
    lines = (
        Attendance.objects.reached()
        .filter(session__event__training_courses__in=evaluation.courses.all())
        .filter(session__ends_at__lt=timezone.now())
        .select_related("session")
        .distinct()
        .order_by("pk")
    )
    versions = services.current_versions(evaluation)
    answered = 0
    for line in lines:
        code, _ = services.codes_for_session(line.session, evaluation)
        for n in range(max(line.adults + line.staff, 1 if line.booking_id else 0)):
            choices, comments = {}, {}
            for version in versions:
                options = list(version.choices.all())
                if version.kind == QuestionKind.FREE_TEXT:
                    if COMMENTS[n % len(COMMENTS)]:
                        comments[version.pk] = COMMENTS[n % len(COMMENTS)]
                    continue
                choices[(version.pk, "after")] = options[3 + (n + line.pk) % 2].pk
                if version.asked == Asked.BEFORE_AND_AFTER:
                    choices[(version.pk, "before")] = options[1 + (n + line.pk) % 2].pk
            _, created = services.submit(
                code, f"demo-training-{line.pk}-{n}", choices, comments, now=line.session.ends_at
            )
            answered += created
    return answered
