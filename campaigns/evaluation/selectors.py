"""Read-only queries for evaluations: which questionnaires a session asks, and the figures, with small
numbers suppressed.

Definitions (every screen, export, school report and the API read these):

- A *respondent* is one Response (one submission of a questionnaire; a replay is not a second one).
- The *response rate* is respondents against the people the register shows came (pupils for a pupils'
  quiz, staff and other adults for an adults' evaluation), over the sessions being counted. It never goes
  above 100%: a trainee's personal link counts once for them (a second use counts nothing), but answers
  given with a room code are anonymous and cannot be matched to anyone, so a trainee who also typed the
  code, or a register short of a head count, can leave more answers than people recorded; the rate is then
  shown as 100% and marked *capped*, with the reason beside it.
- An answer *distribution* is, for one question version and phase, how many chose each option.
- The *shift* on a 1 to 5 scale is the mean of the "after" answers minus the mean of the "before" answers
  (answers are counts, never linked to a person, so the two means are over everyone who gave each).
- *Suppression*: any figure drawn from fewer than EVALUATION_MIN_RESPONDENTS respondents (default 5) is
  not shown; it reads "fewer than 5" instead, wherever figures leave the system.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from campaigns.evaluation.services import min_respondents
from campaigns.models import (
    AnswerCount,
    Attendance,
    EvaluationAudience,
    EvaluationCode,
    Phase,
    QuestionKind,
    Questionnaire,
    QuestionVersion,
    Response,
)
from events.models import Session


def questionnaires_for_session(session):
    """The questionnaires asked at a session: its campaigns' and its training courses'."""
    return list(
        Questionnaire.objects.filter(
            Q(campaigns__events=session.event_id) | Q(courses__events=session.event_id)
        )
        .distinct()
        .order_by("audience", "name")
    )


def trainee_questionnaire(record):
    """The adults' questionnaire a trainee answers for their training session, or None."""
    if record.session is None:
        return None
    return next(
        (
            questionnaire
            for questionnaire in questionnaires_for_session(record.session)
            if questionnaire.audience == EvaluationAudience.ADULTS
        ),
        None,
    )


def code_for_booking(booking):
    return EvaluationCode.objects.filter(booking=booking).select_related("questionnaire").first()


def suppressed_text():
    return f"fewer than {min_respondents()}"


def shown(number, respondents):
    """A figure as it may leave the system: the number, or None when drawn from too few respondents."""
    return number if respondents >= min_respondents() else None


@dataclass
class QuestionFigures:
    text: str
    version: int
    kind: str
    respondents: int
    suppressed: bool
    # phase → [(label, count or None)]
    distribution: dict = field(default_factory=dict)
    mean_before: float | None = None
    mean_after: float | None = None

    @property
    def shift(self):
        if self.mean_before is None or self.mean_after is None:
            return None
        return round(self.mean_after - self.mean_before, 2)


@dataclass
class Figures:
    """The figures for one scope (a session, a school, a campaign or a series)."""

    label: str
    respondents: int
    attended: int
    questions: list = field(default_factory=list)

    @property
    def suppressed(self):
        return self.respondents < min_respondents()

    @property
    def respondents_shown(self):
        return shown(self.respondents, self.respondents)

    @property
    def response_rate(self):
        if self.suppressed or not self.attended:
            return None
        return round(100 * min(self.respondents, self.attended) / self.attended)

    @property
    def response_rate_capped(self):
        """More answers than people recorded as coming (see the module's definitions): shown as 100%."""
        return self.response_rate is not None and self.respondents > self.attended

    def as_dict(self):
        """As the API and exports give them: suppressed figures are None, with `suppressed` saying why."""
        return {
            "label": self.label,
            "respondents": self.respondents_shown,
            "attended": self.attended,
            "response_rate_percent": self.response_rate,
            "response_rate_capped": self.response_rate_capped,
            "suppressed": self.suppressed,
            "questions": [
                {
                    "question": question.text,
                    "version": question.version,
                    "respondents": shown(question.respondents, question.respondents),
                    "suppressed": question.suppressed,
                    "distribution": {
                        phase: [{"answer": label, "count": count} for label, count in rows]
                        for phase, rows in question.distribution.items()
                    },
                    "mean_before": question.mean_before,
                    "mean_after": question.mean_after,
                    "shift": question.shift,
                }
                for question in self.questions
            ],
        }


def _attended(sessions, bookings, audience):
    lines = Attendance.objects.reached().filter(session__in=sessions)
    if bookings is not None:
        lines = lines.filter(booking__in=bookings)
    totals = lines.aggregate(pupils=Sum("pupils"), staff=Sum("staff"), adults=Sum("adults"))
    if audience == EvaluationAudience.PUPILS:
        return totals["pupils"] or 0
    return (totals["staff"] or 0) + (totals["adults"] or 0)


def figures(questionnaires, *, label, sessions=None, bookings=None, booking_codes_only=False):
    """Figures for answers to `questionnaires` at `sessions` (a queryset or None for all), optionally only
    the answers given with the codes of `bookings` (a school's own)."""
    questionnaires = list(questionnaires)
    responses = Response.objects.filter(questionnaire__in=questionnaires)
    counts = AnswerCount.objects.filter(questionnaire__in=questionnaires)
    if sessions is not None:
        responses = responses.filter(session__in=sessions)
        counts = counts.filter(session__in=sessions)
    if bookings is not None:
        responses = responses.filter(booking__in=bookings)
        counts = counts.filter(booking__in=bookings)
    respondents = responses.count()
    audience = questionnaires[0].audience if questionnaires else EvaluationAudience.PUPILS
    attended_sessions = sessions if sessions is not None else responses.values("session")
    attended = _attended(attended_sessions, bookings, audience)
    rows = counts.values("question_version", "option", "phase").annotate(total=Sum("count"))
    by_version = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        by_version[row["question_version"]][row["phase"]][row["option"]] = row["total"]
    versions = (
        QuestionVersion.objects.filter(pk__in=list(by_version))
        .exclude(kind=QuestionKind.FREE_TEXT)
        .prefetch_related("choices")
        .order_by("questionnaire", "position", "version")
    )
    result = Figures(label=label, respondents=respondents, attended=attended)
    for version in versions:
        phases = by_version[version.pk]
        answered = max((sum(totals.values()) for totals in phases.values()), default=0)
        suppressed = answered < min_respondents()
        question = QuestionFigures(
            text=version.text,
            version=version.version,
            kind=version.kind,
            respondents=answered,
            suppressed=suppressed,
        )
        means = {}
        for phase in (Phase.BEFORE, Phase.AFTER):
            if phase not in phases:
                continue
            totals = phases[phase]
            # A phase answered by too few is suppressed even when the other phase was answered by enough.
            hidden = suppressed or sum(totals.values()) < min_respondents()
            question.distribution[phase] = [
                (option.label, None if hidden else totals.get(option.pk, 0))
                for option in version.choices.all()
            ]
            if version.kind == QuestionKind.SCALE and not suppressed:
                given = sum(totals.get(option.pk, 0) for option in version.choices.all())
                weighted = sum(
                    totals.get(option.pk, 0) * (option.value or 0) for option in version.choices.all()
                )
                means[phase] = round(weighted / given, 2) if given >= min_respondents() else None
        question.mean_before = means.get(Phase.BEFORE)
        question.mean_after = means.get(Phase.AFTER)
        result.questions.append(question)
    return result


def campaign_figures(campaign):
    questionnaires = campaign.questionnaires.all()
    return [
        figures([questionnaire], label=questionnaire.name, sessions=campaign.sessions())
        for questionnaire in questionnaires
    ]


def session_figures(session):
    return [
        figures([questionnaire], label=questionnaire.name, sessions=[session])
        for questionnaire in questionnaires_for_session(session)
    ]


def school_figures(booking):
    """A school's own pupils' answers (given with its code) beside its campaign's, both suppressed alike."""
    code = code_for_booking(booking)
    if code is None:
        return None
    questionnaire = code.questionnaire
    own = figures([questionnaire], label="Your pupils", sessions=[booking.session], bookings=[booking])
    campaign = booking.campaign if getattr(booking, "campaign_id", None) else None
    sessions = campaign.sessions() if campaign is not None else None
    whole = figures([questionnaire], label="All schools in the campaign", sessions=sessions)
    return {"questionnaire": questionnaire, "own": own, "campaign": whole, "booking": booking}


def series_figures(series, campaigns=None):
    """Year on year: each campaign asking a questionnaire of this series, oldest first; only those in
    `campaigns` (a queryset, such as a partner council's campaigns) when it is given."""
    questionnaires = list(Questionnaire.objects.filter(series=series))
    allowed = None if campaigns is None else set(campaigns.values_list("pk", flat=True))
    campaigns = {}
    for questionnaire in questionnaires:
        for campaign in questionnaire.campaigns.all():
            if allowed is None or campaign.pk in allowed:
                campaigns[campaign.pk] = campaign
    ordered = sorted(campaigns.values(), key=lambda campaign: campaign.starts_on)
    return [
        figures(
            [q for q in questionnaires if campaign in q.campaigns.all()],
            label=campaign.name,
            sessions=campaign.sessions(),
        )
        for campaign in ordered
    ]


def course_only_figures():
    """(course name, figures) for questionnaires asked on a training course and on no campaign, over the
    course's sessions: otherwise they would appear on no report."""

    result = []
    for questionnaire in (
        Questionnaire.objects.filter(campaigns__isnull=True, courses__isnull=False)
        .distinct()
        .order_by("name")
        .prefetch_related("courses")
    ):
        for course in questionnaire.courses.all():
            sessions = Session.objects.filter(event__in=course.events.all())
            result.append(
                (course.name, figures([questionnaire], label=questionnaire.name, sessions=sessions))
            )
    return result


def all_series():
    return list(Questionnaire.objects.order_by("series").values_list("series", flat=True).distinct())


def side_by_side(own, whole):
    """Rows for a table of one school's (or session's) figures beside the campaign's: (heading, label,
    own value, campaign value); a value of None is suppressed."""
    rows = [(None, _("Answered"), own.respondents_shown, whole.respondents_shown)]
    rows.append((None, _("Share of those who came (%)"), own.response_rate, whole.response_rate))
    phases = {Phase.BEFORE: _("Before"), Phase.AFTER: _("After")}
    own_by_key = {(question.text, question.version): question for question in own.questions}
    for question in whole.questions:
        rows.append((question.text, None, None, None))
        mine = own_by_key.get((question.text, question.version))
        for phase, entries in question.distribution.items():
            own_counts = dict(mine.distribution.get(phase, [])) if mine is not None else {}
            for label, count in entries:
                prefix = f"{phases.get(phase, phase)}: " if len(question.distribution) > 1 else ""
                rows.append((None, prefix + label, own_counts.get(label) if mine else None, count))
    return rows
