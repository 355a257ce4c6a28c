"""Read-only queries for training: a certificate by its code, and cohort members with the status of their
training (current, expiring, expired, never), counted per cohort. Each a fixed number of queries."""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Upper
from django.utils import timezone

from campaigns.figures import rate
from campaigns.models import (
    CohortMember,
    TrainingRecord,
)
from campaigns.roles import VIEW_COHORT_MEMBERS
from events.models import EventIndexPage

EXPIRY_WARNING_DAYS = 60


def _member_records(course_ref="cohort__course_id"):
    """Training records (not revoked) that belong to the member in OuterRef, by email or licence number."""
    return TrainingRecord.objects.filter(
        (Q(email=OuterRef("email")) & ~Q(email=""))
        | (Q(licence_number=OuterRef("licence_number")) & ~Q(licence_number="")),
        revoked=False,
        awaiting_evaluation=False,
        course_id=Coalesce(OuterRef(course_ref), F("course_id")),
    ).order_by("-valid_until")


def members_with_status(today=None, cohort=None):
    """Cohort members annotated with their latest training and a status: current, expiring, expired, never."""
    today = today or timezone.localdate()
    warning = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    records = _member_records()
    qs = CohortMember.objects.select_related("cohort")
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    return qs.annotate(
        latest_valid_until=Subquery(records.values("valid_until")[:1]),
        latest_completed_on=Subquery(records.values("completed_on")[:1]),
        latest_course_name=Subquery(records.values("course__name")[:1]),
        status=Case(
            When(latest_valid_until__isnull=True, then=Value("never")),
            When(latest_valid_until__lt=today, then=Value("expired")),
            When(latest_valid_until__lte=warning, then=Value("expiring")),
            default=Value("current"),
            output_field=CharField(),
        ),
    )


COMPLIANCE_STATUSES = {
    "current": f"Trained, valid for more than {EXPIRY_WARNING_DAYS} days",
    "expiring": f"Trained, due: expires within {EXPIRY_WARNING_DAYS} days",
    "expired": "Expired",
    "never": "Never trained",
}
# "Trained" on every screen, export and the API: a cohort member whose training is valid today.
TRAINED_STATUSES = ("current", "expiring")


def trained_q():
    return Q(status__in=TRAINED_STATUSES)


def cohort_members_for(user, cohort, *, status=""):
    """The named members of a cohort with their training status, for staff who manage training only; None
    for anyone else (partner analysts see the counts, never who is in a cohort)."""
    if cohort is None or not user.has_perm(VIEW_COHORT_MEMBERS):
        return None
    members = members_with_status(cohort=cohort).order_by("name")
    if status in COMPLIANCE_STATUSES:
        members = members.filter(status=status)
    return members


def cohort_compliance(cohort=None, today=None):
    """Counts per status for one cohort (or every cohort). One query."""
    counts = {
        r["status"]: r["n"]
        for r in members_with_status(today, cohort).values("status").annotate(n=Count("pk")).order_by()
    }
    total = sum(counts.values())
    trained = sum(counts.get(k, 0) for k in TRAINED_STATUSES)
    return {
        "total": total,
        "trained": trained,
        "trained_rate": rate(trained, total),
        "statuses": [
            {"key": k, "label": label, "value": counts.get(k, 0), "rate": rate(counts.get(k, 0), total)}
            for k, label in COMPLIANCE_STATUSES.items()
        ],
        **{k: counts.get(k, 0) for k in COMPLIANCE_STATUSES},
    }


def members_expiring(today=None):
    return members_with_status(today).filter(status="expiring").order_by("pk")


def cohorts_summary(today=None, council_ids=None):
    """Every cohort with its compliance counts (only those of `council_ids` and the partnership's when
    given). One query."""
    members = members_with_status(today)
    if council_ids is not None:
        members = members.filter(Q(cohort__authority_id__in=council_ids) | Q(cohort__authority__isnull=True))
    rows = (
        members.values("cohort_id", "cohort__name")
        .annotate(
            members=Count("pk"),
            trained=Count("pk", filter=trained_q()),
            current=Count("pk", filter=Q(status="current")),
            expiring=Count("pk", filter=Q(status="expiring")),
            expired=Count("pk", filter=Q(status="expired")),
            never=Count("pk", filter=Q(status="never")),
        )
        .order_by("cohort__name")
    )
    return list(rows)


def record_by_code(code):
    """The certificate with this code; a record still waiting for its evaluation is no certificate yet."""
    return (
        TrainingRecord.objects.select_related("course")
        .filter(verification_code=code, awaiting_evaluation=False)
        .first()
    )


LICENCE_STATUSES = {"valid": "Valid", "expired": "Expired", "none": "None found"}


def licence_statuses(numbers, today=None):
    """For each licence number, in the order given, its latest training that has not been revoked:
    [{"licence_number", "status" (valid, expired, none), "course", "completed_on", "valid_until"}].

    Letter case and spaces around a number do not matter. One query however many numbers.
    """
    today = today or timezone.localdate()
    keys = {number: number.strip().upper() for number in numbers}
    latest = {}
    records = (
        TrainingRecord.objects.annotate(key=Upper("licence_number"))
        .filter(key__in=set(keys.values()), revoked=False, awaiting_evaluation=False)
        .select_related("course")
        .order_by("-valid_until", "-pk")
    )
    for record in records:
        latest.setdefault(record.key, record)
    rows = []
    for number, key in keys.items():
        record = latest.get(key)
        if record is None:
            rows.append(
                {
                    "licence_number": number,
                    "status": "none",
                    "course": "",
                    "completed_on": None,
                    "valid_until": None,
                }
            )
            continue
        rows.append(
            {
                "licence_number": number,
                "status": "valid" if record.valid_until >= today else "expired",
                "course": record.course.name,
                "completed_on": record.completed_on,
                "valid_until": record.valid_until,
            }
        )
    return rows


def licence_status_sentence(row):
    """ "Valid until 3 March 2027", "Expired on 3 March 2026" or "None found"."""
    if row["status"] == "valid":
        return f"Valid until {row['valid_until']:%-d %B %Y}"
    if row["status"] == "expired":
        return f"Expired on {row['valid_until']:%-d %B %Y}"
    return "None found"


def refresher_url(course):
    """Where the holder of an expired certificate books the course again: the first live event that
    teaches it, else What's on."""
    event = course.events.live().public().order_by("title").first()
    if event is not None:
        return event.url
    whats_on = EventIndexPage.objects.live().first()
    return whats_on.url if whats_on is not None else "/"
