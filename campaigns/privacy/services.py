"""Data protection: removing personal data past its retention period, and one person's export or erasure.

Only adults' details are ever held (bookers, contacts, named attendees of professional training, cohort
members, email recipients). Removing them blanks the personal fields in place, so every count that reach
reports rely on (pupils, staff, adults, places, attendance, messages by state) stays exactly as it was.

Periods are settings, in days: RETENTION_BOOKING_DAYS (after the session), RETENTION_CONTACT_DAYS (since
the contact was last changed or invited), RETENTION_MESSAGE_DAYS (since the email was written),
RETENTION_TRAINING_DAYS (after a training record stops being valid).
Suppressed addresses are kept: they are how a request not to be emailed is honoured.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import ModelLogEntry

from campaigns.models import (
    AdultComment,
    Attendance,
    Booking,
    CohortMember,
    Contact,
    EmailEvent,
    Invitation,
    NamedAttendee,
    OutboundMessage,
    TrainingRecord,
    UnsubscribeLink,
    WaitingListEntry,
)
from campaigns.models.bookings import BOOKER_PERSONAL_FIELDS
from cms.errors import ServiceError

DEFAULT_DAYS = {
    "RETENTION_BOOKING_DAYS": 730,
    "RETENTION_CONTACT_DAYS": 1095,
    "RETENTION_MESSAGE_DAYS": 395,
    "RETENTION_TRAINING_DAYS": 365,
    "RETENTION_COHORT_DAYS": 1095,
}

# The personal fields of each model and what they become when removed.
BOOKING_BLANK = dict.fromkeys(BOOKER_PERSONAL_FIELDS, "")
WAITING_BLANK = {"booker_name": "", "booker_email": "", "details": {}}
ATTENDEE_BLANK = {"name": "", "email": "", "licence_number": "", "organisation_name": ""}
TRAINING_BLANK = {"name": "", "email": "", "licence_number": "", "organisation_name": ""}
MESSAGE_BLANK = {
    "to_email": "",
    "to_name": "",
    "context": {},
    "calendar": "",
}  # the calendar names the attendee


def days(name):
    return int(getattr(settings, name, DEFAULT_DAYS[name]))


@dataclass
class RetentionReport:
    counts: dict = field(default_factory=dict)

    def add(self, label, number):
        self.counts[label] = self.counts.get(label, 0) + number

    def lines(self):
        return [f"{label}: {number:,}" for label, number in self.counts.items()]


@transaction.atomic
def apply_retention(now=None, *, dry_run=False):
    """Blank or delete personal data past its period. Returns what was (or would be) removed."""
    now = now or timezone.now()
    report = RetentionReport()
    booking_cutoff = now - timedelta(days=days("RETENTION_BOOKING_DAYS"))

    bookings = Booking.objects.filter(session__ends_at__lt=booking_cutoff).exclude(
        booker_email="", booker_name=""
    )
    waiting = WaitingListEntry.objects.filter(session__ends_at__lt=booking_cutoff).exclude(
        booker_email="", booker_name=""
    )
    attendees = NamedAttendee.objects.filter(session__ends_at__lt=booking_cutoff).exclude(name="", email="")
    training = TrainingRecord.objects.filter(
        valid_until__lt=(now - timedelta(days=days("RETENTION_TRAINING_DAYS"))).date()
    ).exclude(name="", email="", licence_number="")
    message_cutoff = now - timedelta(days=days("RETENTION_MESSAGE_DAYS"))
    messages = OutboundMessage.objects.filter(created_at__lt=message_cutoff).exclude(to_email="")
    events = EmailEvent.objects.filter(occurred_at__lt=message_cutoff).exclude(recipient="")
    contact_cutoff = now - timedelta(days=days("RETENTION_CONTACT_DAYS"))
    recently_invited = Invitation.objects.filter(created_at__gte=contact_cutoff).values("contact_id")
    contacts = Contact.objects.filter(updated_at__lt=contact_cutoff).exclude(pk__in=recently_invited)
    # Free text on the register (where a child's name could have been typed) goes with the bookings.
    notes = Attendance.objects.filter(session__ends_at__lt=booking_cutoff).exclude(notes="")
    # Adults' evaluation comments are free text too, kept as long as the bookings (the counts stay).
    comments = AdultComment.objects.filter(response__session__ends_at__lt=booking_cutoff)
    cohort_members = CohortMember.objects.filter(
        created_at__lt=now - timedelta(days=days("RETENTION_COHORT_DAYS"))
    )

    if dry_run:
        report.add("Bookings anonymised", bookings.count())
        report.add("Waiting-list entries anonymised", waiting.count())
        report.add("Named attendees anonymised", attendees.count())
        report.add("Training records anonymised", training.count())
        report.add("Emails anonymised", messages.count())
        report.add("Email events anonymised", events.count())
        report.add("Contacts deleted", contacts.count())
        report.add("Register notes removed", notes.count())
        report.add("Evaluation comments removed", comments.count())
        report.add("Cohort members removed", cohort_members.count())
        transaction.set_rollback(True)
        return report

    for queryset in (waiting, attendees, training):
        forget_in_audit_log(queryset)
    report.add("Bookings anonymised", bookings.update(**BOOKING_BLANK))
    report.add("Waiting-list entries anonymised", waiting.update(**WAITING_BLANK))
    report.add("Named attendees anonymised", attendees.update(**ATTENDEE_BLANK))
    report.add("Training records anonymised", training.update(**TRAINING_BLANK))
    report.add("Emails anonymised", messages.update(**MESSAGE_BLANK))
    report.add("Email events anonymised", events.update(recipient=""))
    report.add("Contacts deleted", contacts.delete()[1].get(Contact._meta.label, 0))
    report.add("Register notes removed", notes.update(notes=""))
    report.add("Evaluation comments removed", comments.delete()[1].get(AdultComment._meta.label, 0))
    report.add("Cohort members removed", cohort_members.delete()[1].get(CohortMember._meta.label, 0))
    return report


# Keys of audit-log data that can hold a person's details.
PERSONAL_LOG_KEYS = {
    "name",
    "email",
    "licence_number",
    "organisation_name",
    "booker_name",
    "booker_email",
    "notes",
}


def forget_in_audit_log(queryset):
    """The audit log keeps what happened and when, but no longer who it was about: the entries of these
    objects lose the name in their label and the personal keys of their data."""
    model = queryset.model
    ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
    if not ids:
        return
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    )
    label = f"{model._meta.verbose_name.capitalize()} (personal details removed)"
    for entry in entries:
        data = entry.data if isinstance(entry.data, dict) else {}
        entry.label = label
        entry.data = {key: value for key, value in data.items() if key not in PERSONAL_LOG_KEYS}
        entry.save(update_fields=["label", "data"])


def _person_filters(email, licence_number=None):
    email = (email or "").strip()
    licence = (licence_number or "").strip()
    by_email = lambda name: Q(**{f"{name}__iexact": email}) if email else Q(pk__in=[])  # noqa: E731
    by_licence = lambda: Q(licence_number__iexact=licence) if licence else Q(pk__in=[])  # noqa: E731
    return {
        "contacts": (Contact, by_email("email")),
        "bookings": (Booking, by_email("booker_email") | by_licence()),
        "waiting_list": (WaitingListEntry, by_email("booker_email")),
        "named_attendees": (NamedAttendee, by_email("email") | by_licence()),
        "training_records": (TrainingRecord, by_email("email") | by_licence()),
        "cohort_memberships": (CohortMember, by_email("email") | by_licence()),
        "emails": (OutboundMessage, by_email("to_email")),
        "unsubscribe_links": (UnsubscribeLink, by_email("email")),
    }


EXPORT_FIELDS = {
    "unsubscribe_links": ["email", "created_at"],
    "contacts": [
        "organisation__name",
        "name",
        "role",
        "email",
        "phone",
        "agreed_to_emails",
        "opted_out",
        "created_at",
    ],
    "bookings": [
        "reference",
        "session__event__title",
        "session__starts_at",
        *BOOKER_PERSONAL_FIELDS,
        "status",
        "created_at",
    ],
    "waiting_list": [
        "session__event__title",
        "session__starts_at",
        "booker_name",
        "booker_email",
        "status",
        "created_at",
    ],
    "named_attendees": [
        "session__event__title",
        "session__starts_at",
        "name",
        "email",
        "licence_number",
        "organisation_name",
    ],
    "training_records": ["course__name", "name", "email", "licence_number", "completed_on", "valid_until"],
    "cohort_memberships": ["cohort__name", "name", "email", "licence_number"],
    "emails": ["subject", "to_email", "to_name", "state", "created_at", "sent_at"],
}


def export_person(email, licence_number=None):
    """Everything held about one adult, as a JSON-ready dict (a subject access request)."""
    if not (email or licence_number):
        raise ServiceError("Give an email address or a licence number.")
    found = {}
    for key, (model, condition) in _person_filters(email, licence_number).items():
        found[key] = list(model.objects.filter(condition).values(*EXPORT_FIELDS[key]))
    return json.loads(json.dumps(found, default=str))


@transaction.atomic
def erase_person(email, licence_number=None):
    """Remove one adult's personal data everywhere, keeping the anonymous counts. Returns what changed."""
    if not (email or licence_number):
        raise ServiceError("Give an email address or a licence number.")
    filters = _person_filters(email, licence_number)
    report = RetentionReport()
    for key in ("waiting_list", "named_attendees", "training_records", "bookings"):
        model, condition = filters[key]
        forget_in_audit_log(model.objects.filter(condition))
    report.add(
        "Contacts deleted",
        Contact.objects.filter(filters["contacts"][1]).delete()[1].get(Contact._meta.label, 0),
    )
    report.add("Bookings anonymised", Booking.objects.filter(filters["bookings"][1]).update(**BOOKING_BLANK))
    report.add(
        "Waiting-list entries anonymised",
        WaitingListEntry.objects.filter(filters["waiting_list"][1]).update(**WAITING_BLANK),
    )
    report.add(
        "Named attendees anonymised",
        NamedAttendee.objects.filter(filters["named_attendees"][1]).update(**ATTENDEE_BLANK),
    )
    report.add(
        "Training records anonymised",
        TrainingRecord.objects.filter(filters["training_records"][1]).update(**TRAINING_BLANK),
    )
    report.add(
        "Cohort memberships removed",
        CohortMember.objects.filter(filters["cohort_memberships"][1])
        .delete()[1]
        .get(CohortMember._meta.label, 0),
    )
    report.add(
        "Emails anonymised", OutboundMessage.objects.filter(filters["emails"][1]).update(**MESSAGE_BLANK)
    )
    report.add(
        "Unsubscribe links removed",
        UnsubscribeLink.objects.filter(filters["unsubscribe_links"][1])
        .delete()[1]
        .get(UnsubscribeLink._meta.label, 0),
    )
    if email:
        report.add(
            "Email events anonymised", EmailEvent.objects.filter(recipient__iexact=email).update(recipient="")
        )
    return report
