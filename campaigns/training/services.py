"""Training records and certificates: issuing, revoking, and the codes a licensing team can check.

A certificate is issued only once the person has completed the training: when the session has ended (the
scheduled `issue_due_certificates`, or at once when staff who manage training tick someone off after the
end), or when such staff confirm completion of a session that has started. A tick corrected before then
sends nothing.

A course may ask for its evaluation first (`TrainingCourse.evaluation_before_certificate`): the record is
then made `awaiting_evaluation` and the trainee is emailed a personal link to the session's adults'
evaluation instead of the certificate. Answering through it (`issue_after_evaluation`, called by
evaluation) or staff who manage training (`issue_without_evaluation`) issue the certificate, once. Until
then the record is no certificate: the public check, the certificate page, the licence check, cohorts and
reach leave it out.
"""

import secrets

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from campaigns.mail.services import queue_email
from campaigns.models import MessageKind, NamedAttendee, TrainingCourse, TrainingRecord
from campaigns.models.bookings import REFERENCE_ALPHABET
from campaigns.roles import ISSUE_CERTIFICATES
from campaigns.signals import (
    announce_reach_inputs_changed,
    training_certificate_written,
    training_evaluation_requested,
)
from cms.errors import ServiceError
from cms.links import absolute_url
from events.models import SessionStatus

CODE_LENGTH = 12  # 11 random characters (31**11 ≈ 2.5e16) and one check character
CERTIFICATE_SALT = "campaigns.certificate"


def _check_character(body):
    total = sum((index + 1) * REFERENCE_ALPHABET.index(char) for index, char in enumerate(body))
    return REFERENCE_ALPHABET[total % len(REFERENCE_ALPHABET)]


def new_verification_code():
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + _check_character(body)


def normalise_code(raw):
    """The code as stored, from what someone typed (spaces, dashes, lower case), or "" if malformed."""
    code = "".join(ch for ch in (raw or "").upper()[:40] if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in code):
        return ""
    if _check_character(code[:-1]) != code[-1]:
        return ""
    return code


def format_code(code):
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificate_token(record):
    return signing.dumps(record.pk, salt=CERTIFICATE_SALT)


def record_from_certificate_token(token):
    try:
        pk = signing.loads(token, salt=CERTIFICATE_SALT)
    except signing.BadSignature:
        return None
    return TrainingRecord.objects.select_related("course").filter(pk=pk).first()


def certificate_url(record):
    return absolute_url(reverse("campaigns:certificate", args=[certificate_token(record)]))


def verification_url(record):
    return absolute_url(reverse("campaigns:verify_certificate") + f"?code={record.verification_code}")


def course_for_session(session):
    return TrainingCourse.objects.filter(events=session.event_id).order_by("pk").first()


def valid_until(course, completed_on):
    return completed_on + relativedelta(months=course.renewal_months)


def may_issue_certificates(user):
    """Whether `user` may issue (or withdraw) training records: staff who manage training, or the system
    itself (`user` None: the demo, management commands). Taking the register alone is not enough."""
    return user is None or user.has_perm(ISSUE_CERTIFICATES)


def _check_may_issue(user):
    if not may_issue_certificates(user):
        raise ServiceError(
            "Only staff who manage training can issue or withdraw certificates.", code="forbidden"
        )


@transaction.atomic
def issue_training_record(attendee, *, user=None):
    """Give an attendee who came to professional training their record and certificate (once).

    Returns the record, or None when the session's event teaches no course. Needs ISSUE_CERTIFICATES.
    """
    _check_may_issue(user)
    existing = TrainingRecord.objects.filter(attendee=attendee).first()
    if existing is not None:
        if existing.revoked:
            existing.revoked = False
            existing.save(update_fields=["revoked"])
            log(instance=existing, action="campaigns.training_record.reinstated", user=user)
        return existing
    session = attendee.session
    course = course_for_session(session)
    if course is None:
        return None
    completed_on = timezone.localdate(session.starts_at)
    record = TrainingRecord.objects.create(
        course=course,
        attendee=attendee,
        session=session,
        name=attendee.name,
        email=attendee.email.lower(),
        licence_number=attendee.licence_number.strip().upper(),
        organisation_name=attendee.organisation_name,
        sector=attendee.sector or course.sector,
        completed_on=completed_on,
        valid_until=valid_until(course, completed_on),
        verification_code=new_verification_code(),
    )
    announce_reach_inputs_changed()
    if course.evaluation_before_certificate:
        with trainee_language(record):
            evaluation_url = _evaluation_link(record)
            if evaluation_url:
                _hold_for_evaluation(record, evaluation_url, user=user)
                return record
    log(
        instance=record,
        action="campaigns.training_record.issued",
        user=user,
        data={"course": course.name, "valid_until": record.valid_until.isoformat()},
    )
    _send_certificate(record)
    return record


def trainee_language(record):
    """The trainee's emails are written in the language their place was booked in (English when staff
    added them to the register without a booking), and their links lead to the pages in that language."""
    attendee = record.attendee
    booking = attendee.booking if attendee is not None and attendee.booking_id else None
    return translation.override((booking.language if booking is not None else "") or settings.LANGUAGE_CODE)


def _date(value):
    return formats.date_format(value, "j F Y")


def _evaluation_link(record):
    links = [
        extra.get("evaluation_url")
        for _receiver, extra in training_evaluation_requested.send(sender=TrainingRecord, record=record)
        if extra
    ]
    return next((link for link in links if link), "")


def _hold_for_evaluation(record, evaluation_url, *, user=None):
    record.awaiting_evaluation = True
    record.save(update_fields=["awaiting_evaluation"])
    log(
        instance=record,
        action="campaigns.training_record.awaiting_evaluation",
        user=user,
        data={"course": record.course.name, "emailed": bool(record.email)},
    )
    if not record.email:
        return  # staff who manage training issue it by hand
    queue_email(
        to=record.email,
        to_name=record.name,
        subject=_("One step to your certificate: %(course)s") % {"course": record.course.name},
        template="training_evaluation_request",
        context={
            "name": record.name,
            "course": record.course.name,
            "completed_on": _date(record.completed_on),
            "evaluation_url": evaluation_url,
        },
        kind=MessageKind.TRANSACTIONAL,
        language=translation.get_language(),
        related=record,
        dedupe_key=f"training-evaluation-request:{record.pk}",
    )


def _send_certificate(record):
    if not record.email:
        return
    with trainee_language(record):
        extras = {}
        for _receiver, extra in training_certificate_written.send(sender=TrainingRecord, record=record):
            extras.update(extra or {})
        queue_email(
            to=record.email,
            to_name=record.name,
            subject=_("Your certificate: %(course)s") % {"course": record.course.name},
            template="training_certificate",
            context={
                "name": record.name,
                "course": record.course.name,
                "completed_on": _date(record.completed_on),
                "valid_until": _date(record.valid_until),
                "code": format_code(record.verification_code),
                "certificate_url": certificate_url(record),
                "verification_url": verification_url(record),
                **extras,
            },
            kind=MessageKind.TRANSACTIONAL,
            related=record,
            language=translation.get_language(),
            dedupe_key=f"training-certificate:{record.pk}",
        )


def _release(record, *, action, user, now=None, evaluated=False):
    """Issue a held certificate once: True when this call issued it."""
    current = TrainingRecord.objects.select_for_update().select_related("course").filter(pk=record.pk).first()
    if current is None or current.revoked or not current.awaiting_evaluation:
        return False
    current.awaiting_evaluation = False
    fields = ["awaiting_evaluation"]
    if evaluated:
        current.evaluated_at = now or timezone.now()
        fields.append("evaluated_at")
    current.save(update_fields=fields)
    announce_reach_inputs_changed()
    log(
        instance=current,
        action=action,
        user=user,
        data={"course": current.course.name, "valid_until": current.valid_until.isoformat()},
    )
    _send_certificate(current)
    record.awaiting_evaluation, record.evaluated_at = current.awaiting_evaluation, current.evaluated_at
    return True


@transaction.atomic
def issue_after_evaluation(record, *, now=None):
    """The trainee answered the evaluation through their personal link: note only that they did, and issue
    and email the certificate. Returns False (and changes nothing) when it was issued already."""
    return _release(record, action="campaigns.training_record.issued", user=None, now=now, evaluated=True)


@transaction.atomic
def issue_without_evaluation(record, *, user):
    """Staff who manage training issue a certificate still waiting for the evaluation (a trainee without
    email, or who cannot answer). Logged; returns False when there was nothing waiting."""
    _check_may_issue(user)
    return _release(record, action="campaigns.training_record.issued_without_evaluation", user=user)


@transaction.atomic
def revoke_for_attendee(attendee, *, user=None):
    """An attendee ticked by mistake loses the record they were given; the code stops verifying."""
    record = TrainingRecord.objects.filter(attendee=attendee, revoked=False).first()
    if record is None:
        return
    _check_may_issue(user)
    record.revoked = True
    record.save(update_fields=["revoked"])
    announce_reach_inputs_changed()
    log(instance=record, action="campaigns.training_record.revoked", user=user)


def session_has_ended(session, now=None):
    return session.ends_at <= (now or timezone.now())


def issue_due_certificates(*, now=None):
    """Issue (and email, once) the certificates of everyone ticked off at a training session that has ended,
    where the tick came from staff who may issue certificates or from the system. Ticks by register takers
    alone still wait for such staff. Safe to run any number of times. Returns how many were issued."""
    now = now or timezone.now()
    due = (
        NamedAttendee.objects.filter(
            attended=True,
            training_record__isnull=True,
            session__ends_at__lte=now,
            session__status=SessionStatus.SCHEDULED,
        )
        .select_related("session", "recorded_by")
        .order_by("pk")
    )
    issued = 0
    for attendee in due:
        if attendee.recorded_by is not None and not may_issue_certificates(attendee.recorded_by):
            continue
        with transaction.atomic():
            # Locked and checked again, so two runs at once issue one record.
            current = (
                NamedAttendee.objects.select_for_update(of=("self",))
                .filter(pk=attendee.pk, attended=True)
                .select_related("session")
                .first()
            )
            if current is None or TrainingRecord.objects.filter(attendee=current).exists():
                continue
            if issue_training_record(current, user=None) is not None:
                issued += 1
    return issued
