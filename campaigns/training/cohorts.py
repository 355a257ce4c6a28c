"""Cohorts of people who must be trained: loading them from a CSV, and reminding those whose training expires."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.mail.services import queue_email
from campaigns.models import CohortMember, MessageKind
from campaigns.signals import announce_reach_inputs_changed
from campaigns.training import selectors as training_selectors
from cms.links import absolute_url
from resources.taxonomy import Sector

MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
HEADER_ALIASES = {
    "name": "name",
    "full name": "name",
    "email": "email",
    "email address": "email",
    "licence number": "licence_number",
    "licence_number": "licence_number",
    "licence": "licence_number",
    "license number": "licence_number",
    "sector": "sector",
}
SECTOR_BY_TEXT = {
    **{value: value for value in Sector.values},
    **{label.lower(): v for v, label in Sector.choices},
}


@dataclass
class CohortImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # "Line 4: …"

    @property
    def ok(self):
        return not self.errors


def _read_rows(data):
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ValueError("The file is larger than 5 MB.")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValueError("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.") from None
    return csv.reader(io.StringIO(data))


def import_members(cohort, data, *, user=None):
    """Add or update cohort members from CSV text/bytes (name, email, licence number, sector).

    All or nothing: any bad line leaves the cohort as it was and the result lists every problem by line.
    """
    result = CohortImportResult()
    try:
        reader = _read_rows(data)
        header = next(reader, None)
    except (ValueError, csv.Error) as exc:
        result.errors.append(str(exc))
        return result
    if not header:
        result.errors.append("The file is empty.")
        return result
    columns = [HEADER_ALIASES.get(h.strip().lower()) for h in header]
    if "name" not in columns or ("email" not in columns and "licence_number" not in columns):
        result.errors.append("Line 1: the header needs a 'name' column and 'email' or 'licence number'.")
        return result
    rows = []
    seen = set()
    try:
        for line_number, raw in enumerate(reader, start=2):
            if line_number > MAX_ROWS + 1:
                result.errors.append(f"The file has more than {MAX_ROWS} rows.")
                break
            if not any(cell.strip() for cell in raw):
                continue
            if any("\x00" in cell for cell in raw):
                result.errors.append(f"Line {line_number}: contains a NUL character (a zero byte).")
                continue
            values = {col: raw[i].strip() for i, col in enumerate(columns) if col and i < len(raw)}
            error = _row_error(values)
            if error:
                result.errors.append(f"Line {line_number}: {error}")
                continue
            key = values.get("email") or values.get("licence_number")
            if key in seen:
                result.errors.append(f"Line {line_number}: {key} appears more than once in the file.")
                continue
            seen.add(key)
            rows.append(values)
    except csv.Error as exc:
        result.errors.append(f"The file could not be read as CSV: {exc}")
    if result.errors:
        return result
    with transaction.atomic():
        for values in rows:
            member = _existing_member(cohort, values)
            if member is None:
                member = CohortMember(cohort=cohort)
                result.created += 1
            else:
                result.updated += 1
            member.name = values["name"]
            member.email = values.get("email", "")
            member.licence_number = values.get("licence_number", "")
            member.sector = values.get("sector") or cohort.sector
            member.save()
        announce_reach_inputs_changed()
        log(
            instance=cohort,
            action="campaigns.cohort.imported",
            user=user,
            data={"created": result.created, "updated": result.updated},
        )
    return result


def _row_error(values):
    name = values.get("name", "")
    if not name:
        return "the name is missing."
    if len(name) > 200:
        return "the name is longer than 200 characters."
    email = values.get("email", "").lower()
    values["email"] = email
    licence = values.get("licence_number", "").upper()
    values["licence_number"] = licence
    if not email and not licence:
        return "give an email address or a licence number."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return f"'{email}' is not an email address."
    if len(licence) > 64:
        return "the licence number is longer than 64 characters."
    sector = values.get("sector", "")
    if sector:
        if sector.lower() not in SECTOR_BY_TEXT:
            return f"unknown sector '{sector}'."
        values["sector"] = SECTOR_BY_TEXT[sector.lower()]
    return ""


def _existing_member(cohort, values):
    members = CohortMember.objects.filter(cohort=cohort)
    if values.get("email"):
        found = members.filter(email=values["email"]).first()
        if found:
            return found
    if values.get("licence_number"):
        return members.filter(licence_number=values["licence_number"]).first()
    return None


def send_expiry_reminders(today=None):
    """Remind cohort members whose training expires within the warning period; once per person per expiry."""
    today = today or timezone.localdate()
    queued = 0
    for member in training_selectors.members_expiring(today=today):
        if not member.email:
            continue
        with transaction.atomic():
            queue_email(
                to=member.email,
                to_name=member.name,
                subject="Your safeguarding training is due for renewal",
                template="training_expiry_reminder",
                context={
                    "name": member.name,
                    "cohort": member.cohort.name,
                    "course": member.latest_course_name or "CSE awareness training",
                    "valid_until": member.latest_valid_until.strftime("%-d %B %Y"),
                    "events_url": absolute_url("/events/"),
                },
                kind=MessageKind.TRANSACTIONAL,
                related=member,
                dedupe_key=f"training-expiry:{member.email}:{member.latest_valid_until.isoformat()}",
            )
        queued += 1
    return queued
