"""Evaluations: keeping question versions in step with what staff wrote, the codes a room types in, and
taking one submission as counts.

A submission is counted once: its nonce (signed into the form when it was shown) is unique on Response, so
a replayed or doubled post finds the first and adds nothing. Counts are raised with one F() statement per
option, never read and written back.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    AdultComment,
    AnswerCount,
    Asked,
    EvaluationAudience,
    EvaluationCode,
    Option,
    Phase,
    QuestionKind,
    QuestionVersion,
    Response,
    TrainingRecord,
)
from campaigns.models.evaluation import SCALE_LABELS, new_code, normalise_code
from campaigns.training import services as training
from cms.errors import ServiceError

TICKET_SALT = "campaigns.evaluation.ticket"
TRAINEE_SALT = "campaigns.evaluation.trainee"
# A form shown longer ago than this is refused (a class takes minutes, an adult perhaps an evening).
TICKET_MAX_AGE_SECONDS = 12 * 60 * 60
COMMENT_MAX_LENGTH = 2000


def code_days():
    return int(getattr(settings, "EVALUATION_CODE_DAYS", 14))


def min_respondents():
    return int(getattr(settings, "EVALUATION_MIN_RESPONDENTS", 5))


# --- question versions -----------------------------------------------------------------------------


def _wording(text, kind, asked, labels):
    return (text.strip(), kind, asked, tuple(labels))


def sync_question(question):
    """Make the question's current version say what the question says now.

    An unanswered current version is corrected in place; an answered one is retired and a new version
    starts, so answers already given keep the wording they answered.
    """
    labels = question.option_labels()
    wanted = _wording(question.text, question.kind, question.asked, labels)
    current = question.versions.filter(is_current=True).order_by("-version").first()
    if current is not None:
        have = _wording(
            current.text, current.kind, current.asked, [option.label for option in current.choices.all()]
        )
        if have == wanted:
            if current.position != question.position:
                QuestionVersion.objects.filter(pk=current.pk).update(position=question.position)
            return current
        answered = current.counts.exists() or current.comments.exists()
        if not answered:
            current.text, current.kind, current.asked = wanted[0], question.kind, question.asked
            current.position = question.position
            current.audience = question.questionnaire.audience
            current.save()
            current.choices.all().delete()
            _add_options(current, question.kind, labels)
            return current
        QuestionVersion.objects.filter(pk=current.pk).update(is_current=False)
    number = (question.versions.aggregate(top=Max("version"))["top"] or 0) + 1
    version = QuestionVersion.objects.create(
        question=question,
        questionnaire=question.questionnaire,
        audience=question.questionnaire.audience,
        version=number,
        position=question.position,
        text=wanted[0],
        kind=question.kind,
        asked=question.asked,
    )
    _add_options(version, question.kind, labels)
    return version


def _add_options(version, kind, labels):
    values = list(SCALE_LABELS) if kind == QuestionKind.SCALE else [None] * len(labels)
    Option.objects.bulk_create(
        Option(question_version=version, position=index, label=label, value=value)
        for index, (label, value) in enumerate(zip(labels, values, strict=True))
    )


@transaction.atomic
def sync_questionnaire(questionnaire):
    """After the questionnaire was saved: every question's version current, removed questions retired."""
    questions = list(questionnaire.questions.all())
    for question in questions:
        if questionnaire.audience == EvaluationAudience.PUPILS and question.kind == QuestionKind.FREE_TEXT:
            raise ServiceError("Pupils' questionnaires hold no free text: use multiple choice questions.")
        sync_question(question)
    # Versions whose question was deleted keep their answers but are asked no more.
    questionnaire.versions.filter(question__isnull=True, is_current=True).update(is_current=False)


def current_versions(questionnaire):
    return list(
        questionnaire.versions.filter(is_current=True).prefetch_related("choices").order_by("position", "pk")
    )


# --- codes -----------------------------------------------------------------------------------------


def code_expiry(session):
    return session.ends_at + timedelta(days=code_days())


def _create_code(**fields):
    """A code nobody else holds (a clash of random codes is tried again)."""
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return EvaluationCode.objects.create(code=new_code(), **fields)
        except IntegrityError:
            existing = EvaluationCode.objects.filter(
                questionnaire=fields["questionnaire"],
                session=fields["session"],
                booking=fields.get("booking"),
            ).first()
            if existing is not None:
                return existing
    raise ServiceError("A code could not be made. Try again.")


def codes_for_session(session, questionnaire, bookings=()):
    """The session's own code and one for each booking given (a school's pupils), made when first asked."""
    expires_at = code_expiry(session)
    session_code = EvaluationCode.objects.filter(
        questionnaire=questionnaire, session=session, booking__isnull=True
    ).first() or _create_code(
        questionnaire=questionnaire, session=session, booking=None, expires_at=expires_at
    )
    by_booking = {
        code.booking_id: code
        for code in EvaluationCode.objects.filter(questionnaire=questionnaire, booking__in=list(bookings))
    }
    for booking in bookings:
        if booking.pk not in by_booking:
            by_booking[booking.pk] = _create_code(
                questionnaire=questionnaire, session=session, booking=booking, expires_at=expires_at
            )
    return session_code, by_booking


def find_code(value, now=None):
    """The code someone typed, or a ServiceError saying plainly why not."""
    now = now or timezone.now()
    code = normalise_code(value)
    if not code:
        raise ServiceError(_("Type the code on the screen at the front of the room."), code="empty")
    found = (
        EvaluationCode.objects.select_related("questionnaire", "session__event", "booking")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise ServiceError(
            _("That code is not right. Check it with the person who ran the session."), code="unknown"
        )
    if found.expires_at <= now:
        raise ServiceError(_("That code has expired. Thank you for wanting to help."), code="expired")
    return found


# --- the form's ticket -----------------------------------------------------------------------------


def new_ticket(code):
    return signing.dumps({"c": code.code, "n": secrets.token_urlsafe(18)}, salt=TICKET_SALT, compress=True)


def read_ticket(ticket, code):
    """The nonce in a ticket made for this code, or a ServiceError."""
    try:
        data = signing.loads(str(ticket or ""), salt=TICKET_SALT, max_age=TICKET_MAX_AGE_SECONDS)
    except signing.BadSignature:
        raise ServiceError(_("This form is out of date. Open the quiz again with the code.")) from None
    if not isinstance(data, dict) or data.get("c") != code.code or not isinstance(data.get("n"), str):
        raise ServiceError(_("This form is out of date. Open the quiz again with the code."))
    return data["n"][:64]


# --- taking a submission ---------------------------------------------------------------------------


def _increment(questionnaire, session, booking, version, option, phase):
    where = {
        "session": session,
        "booking": booking,
        "question_version": version,
        "option": option,
        "phase": phase,
    }
    if AnswerCount.objects.filter(**where).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            AnswerCount.objects.create(questionnaire=questionnaire, count=1, **where)
    except IntegrityError:
        # Someone else's first answer made the row a moment ago.
        AnswerCount.objects.filter(**where).update(count=F("count") + 1)


def submit(code, nonce, choices, comments=None, now=None):
    """Take one submission: `choices` maps (version id, phase) to an option id, `comments` version id to text.

    Returns (response, created). Only the questionnaire's current questions and their own options are
    accepted; a pupil questionnaire takes no comment. A submission whose nonce was seen already changes
    nothing and returns the first.
    """
    now = now or timezone.now()
    if code.expires_at <= now:
        raise ServiceError(_("That code has expired. Thank you for wanting to help."), code="expired")
    picked, written = _checked_answers(code.questionnaire, choices, comments or {})
    with transaction.atomic():
        return _record(code.questionnaire, code.session, code.booking, nonce, picked, written, now)


def _checked_answers(questionnaire, choices, comments):
    versions = {version.pk: version for version in current_versions(questionnaire)}
    picked = []
    for (version_id, phase), option_id in choices.items():
        version = versions.get(version_id)
        if version is None or version.kind == QuestionKind.FREE_TEXT:
            raise ServiceError(
                _("That question is not part of this quiz. Open the quiz again with the code.")
            )
        if phase not in Phase.values or (phase == Phase.BEFORE and version.asked != Asked.BEFORE_AND_AFTER):
            raise ServiceError(
                _("That question is not part of this quiz. Open the quiz again with the code.")
            )
        option = next((option for option in version.choices.all() if option.pk == option_id), None)
        if option is None:
            raise ServiceError(_("Choose one of the answers given."))
        picked.append((version, option, phase))
    written = []
    for version_id, text in comments.items():
        version = versions.get(version_id)
        if questionnaire.audience != EvaluationAudience.ADULTS or version is None:
            raise ServiceError(_("This quiz has no space for comments."))
        if version.kind != QuestionKind.FREE_TEXT:
            raise ServiceError(_("This quiz has no space for comments."))
        text = str(text).strip()
        if len(text) > COMMENT_MAX_LENGTH:
            raise ServiceError(
                _("Keep each comment under %(limit)s characters.") % {"limit": COMMENT_MAX_LENGTH}
            )
        if text:
            written.append((version, text))
    if not picked and not written:
        raise ServiceError(_("Answer at least one question."))
    return picked, written


def _record(questionnaire, session, booking, nonce, picked, written, submitted_at):
    """Write one checked submission as counts (inside the caller's transaction); (response, created)."""
    existing = Response.objects.filter(nonce=nonce).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            response = Response.objects.create(
                questionnaire=questionnaire,
                session=session,
                booking=booking,
                nonce=nonce,
                submitted_at=submitted_at,
            )
    except IntegrityError:
        return Response.objects.get(nonce=nonce), False
    for version, option, phase in picked:
        _increment(questionnaire, session, booking, version, option, phase)
    AdultComment.objects.bulk_create(
        AdultComment(response=response, question_version=version, audience=questionnaire.audience, text=text)
        for version, text in written
    )
    return response, True


# --- a trainee's personal link (a course that asks for the evaluation before the certificate) ----------


def trainee_link_days():
    return int(getattr(settings, "TRAINEE_EVALUATION_LINK_DAYS", 60))


def trainee_token(record):
    return signing.dumps(record.pk, salt=TRAINEE_SALT)


def record_from_trainee_token(token):
    """The training record a personal link was made for, or a ServiceError saying why not."""
    try:
        pk = signing.loads(str(token or ""), salt=TRAINEE_SALT, max_age=trainee_link_days() * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise ServiceError(
            _("This link has expired. Please contact the training team, who can issue your certificate."),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ServiceError(_("This link is not valid."), code="not_valid") from None
    record = (
        TrainingRecord.objects.select_related("course", "session__event").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if record is None or record.revoked or record.session is None:
        raise ServiceError(_("This link is not valid."), code="not_valid")
    return record


@transaction.atomic
def submit_for_trainee(record, questionnaire, choices, comments=None, now=None):
    """Take a trainee's answers from their personal link and issue their certificate, once.

    Returns True when this submission counted. The answers are counts for the session like anyone else's,
    with a random nonce, and stamped with the session's end rather than the moment they came, so nothing
    on them points back to the record; the record notes only that the trainee has evaluated. A second
    submission (the link used again, a doubled post) counts nothing and issues nothing.
    """
    now = now or timezone.now()
    picked, written = _checked_answers(questionnaire, choices, comments or {})
    if not training.issue_after_evaluation(record, now=now):
        return False
    stamp = record.session.ends_at
    response, _created = _record(
        questionnaire, record.session, None, secrets.token_urlsafe(24), picked, written, stamp
    )
    AdultComment.objects.filter(response=response).update(created_at=stamp)
    return True
