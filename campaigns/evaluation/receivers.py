"""What evaluation answers: a school's follow-up pack gets the link to its own quiz report when a pupils'
questionnaire is asked at its session; the follow-up of a parents' session or a head teachers' briefing gets
the link to the session's adults' evaluation (a pupils' session never does: pupils answer with the quiz code
in the room); and a training certificate's email the link to the session's adults'
evaluation (or, when the course asks for it before the certificate, the trainee's personal link to it)."""

from django.dispatch import receiver
from django.urls import reverse

from campaigns.evaluation import selectors, services
from campaigns.evaluation.views import school_report_token
from campaigns.models import EvaluationAudience
from campaigns.signals import (
    follow_up_pack_written,
    training_certificate_written,
    training_evaluation_requested,
)
from cms.links import absolute_url
from events.models import EventKind

# Sessions for adults whose follow-up email carries the adults' evaluation link.
ADULT_FOLLOW_UP_KINDS = {EventKind.PARENT_SESSION, EventKind.DSL_BRIEFING}


@receiver(follow_up_pack_written, dispatch_uid="campaigns.evaluation.follow_up_report_link")
def add_school_report_link(sender, booking, **kwargs):
    asked = selectors.questionnaires_for_session(booking.session)
    if booking.session.event.kind in ADULT_FOLLOW_UP_KINDS:
        return _adult_evaluation_link(booking.session, asked)
    questionnaires = [
        questionnaire for questionnaire in asked if questionnaire.audience == EvaluationAudience.PUPILS
    ]
    if not questionnaires or not booking.pupils:
        return {}
    # The school's own code, so its report shows its own pupils' answers.
    services.codes_for_session(booking.session, questionnaires[0], [booking])
    url = reverse("campaigns:quiz_school_report", args=[school_report_token(booking)])
    return {"quiz_report_url": absolute_url(url)}


def _adult_evaluation_link(session, asked):
    adults = [questionnaire for questionnaire in asked if questionnaire.audience == EvaluationAudience.ADULTS]
    if not adults:
        return {}
    code, _ = services.codes_for_session(session, adults[0])
    return {"evaluation_url": absolute_url(reverse("campaigns:quiz") + f"?code={code.code}")}


@receiver(training_certificate_written, dispatch_uid="campaigns.evaluation.certificate_evaluation_link")
def add_evaluation_link(sender, record, **kwargs):
    if record.session is None or record.evaluated_at is not None:
        return {}  # someone who answered through their personal link is not asked again
    questionnaires = [
        questionnaire
        for questionnaire in selectors.questionnaires_for_session(record.session)
        if questionnaire.audience == EvaluationAudience.ADULTS
    ]
    if not questionnaires:
        return {}
    code, _ = services.codes_for_session(record.session, questionnaires[0])
    return {"evaluation_url": absolute_url(reverse("campaigns:quiz") + f"?code={code.code}")}


@receiver(training_evaluation_requested, dispatch_uid="campaigns.evaluation.trainee_evaluation_link")
def offer_trainee_link(sender, record, **kwargs):
    if selectors.trainee_questionnaire(record) is None:
        return {}
    url = reverse("campaigns:trainee_evaluation", args=[services.trainee_token(record)])
    return {"evaluation_url": absolute_url(url)}
