"""Importing the national schools register (GIAS "all establishment data" CSV) into Organisation rows.

Schools are matched by URN and written in batches: new ones with one bulk INSERT, changed ones with one
bulk UPDATE of the changed rows only, so re-importing the same file writes nothing. The `Head*` columns
name a person and are never read. A broken line is reported by its line number and skipped.
"""

import codecs
import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from campaigns.models import Organisation, OrganisationKind, OrganisationStatus
from cms.errors import ServiceError

BATCH_SIZE = 2000
MAX_PROBLEMS_KEPT = 1000

# Register column → Organisation field. Only these columns are read.
COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "local_authority_code": "LA (code)",
    "local_authority": "LA (name)",
    "establishment_type": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "statutory_low_age": "StatutoryLowAge",
    "statutory_high_age": "StatutoryHighAge",
    "religious_character": "ReligiousCharacter (name)",
    "number_of_pupils": "NumberOfPupils",
    "street": "Street",
    "locality": "Locality",
    "town": "Town",
    "postcode": "Postcode",
    "opened_on": "OpenDate",
    "closed_on": "CloseDate",
    "district": "DistrictAdministrative (name)",
    "ward": "AdministrativeWard (name)",
}
REQUIRED_COLUMNS = ("URN", "EstablishmentName", "EstablishmentStatus (name)")
IMPORTED_FIELDS = [f for f in COLUMNS if f != "urn"]

STATUSES = {
    "open": OrganisationStatus.OPEN,
    "closed": OrganisationStatus.CLOSED,
    "open, but proposed to close": OrganisationStatus.PROPOSED_TO_CLOSE,
    "proposed to open": OrganisationStatus.PROPOSED_TO_OPEN,
}

# The register's placeholders for "no value".
NOT_APPLICABLE = {"", "not applicable", "does not apply", "none", "not recorded", "unknown"}

_TEXT_LIMITS = {
    f.name: f.max_length
    for f in Organisation._meta.get_fields()
    if f.name in COLUMNS and getattr(f, "max_length", None) and f.get_internal_type() == "CharField"
}


class BadRow(ValueError):
    """A line that cannot be imported; its message says why."""


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    skipped: int = 0
    outside_area: int = 0
    rows: int = 0
    encoding: str = ""
    problems: list = field(default_factory=list)

    def skip(self, line, reason):
        self.skipped += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append({"line": line, "reason": reason})

    @property
    def changed_nothing(self):
        return self.created == 0 and self.updated == 0

    def summary_lines(self):
        lines = [
            f"Rows read: {self.rows:,} (file encoding {self.encoding})",
            f"Created: {self.created:,}",
            f"Updated: {self.updated:,}",
            f"Unchanged: {self.unchanged:,}",
            f"Marked closed: {self.closed:,}",
            f"Skipped: {self.skipped:,}",
        ]
        if self.outside_area:
            lines.append(f"Outside the chosen local authorities (not imported): {self.outside_area:,}")
        if self.changed_nothing and self.rows:
            lines.append("Nothing changed: the register already matched this file.")
        return lines


def decode(data):
    """Text of the file and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so the import can still go on.
        return data.decode("latin-1"), "latin-1"


def _text(value, field_name):
    value = value.strip()
    if value.lower() in NOT_APPLICABLE and field_name not in ("name", "street", "locality", "town"):
        return ""
    limit = _TEXT_LIMITS.get(field_name)
    if limit and len(value) > limit:
        raise BadRow(f"{COLUMNS[field_name]} is longer than {limit} characters")
    return value


def _int(value, column, *, maximum=2_147_483_647):
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise BadRow(f"{column} is not a whole number: {value!r}")
    number = int(value)
    if number > maximum:
        raise BadRow(f"{column} is too large: {value!r}")
    return number


def _date(value, column):
    value = value.strip()
    if not value:
        return None
    try:
        day, month, year = value.split("-")
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise BadRow(f"{column} is not a date in DD-MM-YYYY form: {value!r}") from None


def parse_row(cells, index):
    """The Organisation field values for one register row, or BadRow saying what is wrong."""

    def cell(field_name):
        position = index.get(field_name)
        return cells[position] if position is not None else ""

    urn = _int(cell("urn"), "URN")
    if not urn:
        raise BadRow("URN is missing")
    values = {"urn": urn}
    name = _text(cell("name"), "name")
    if not name:
        raise BadRow("EstablishmentName is missing")
    values["name"] = name
    status_name = cell("status").strip()
    status = STATUSES.get(status_name.lower())
    if status is None:
        raise BadRow(f"EstablishmentStatus (name) is not one the register uses: {status_name!r}")
    values["status"] = status
    for field_name in (
        "local_authority_code",
        "local_authority",
        "establishment_type",
        "phase",
        "religious_character",
        "street",
        "locality",
        "town",
        "district",
        "ward",
    ):
        values[field_name] = _text(cell(field_name), field_name)
    values["postcode"] = _text(cell("postcode"), "postcode").upper()
    values["statutory_low_age"] = _int(cell("statutory_low_age"), "StatutoryLowAge", maximum=99)
    values["statutory_high_age"] = _int(cell("statutory_high_age"), "StatutoryHighAge", maximum=99)
    low, high = values["statutory_low_age"], values["statutory_high_age"]
    if low is not None and high is not None and low > high:
        raise BadRow(f"StatutoryLowAge {low} is above StatutoryHighAge {high}")
    values["number_of_pupils"] = _int(cell("number_of_pupils"), "NumberOfPupils")
    values["opened_on"] = _date(cell("opened_on"), "OpenDate")
    values["closed_on"] = _date(cell("closed_on"), "CloseDate")
    return values


def _area_matcher(local_authorities):
    wanted = {str(value).strip().lower() for value in local_authorities or [] if str(value).strip()}
    if not wanted:
        return None
    return lambda values: (
        values["local_authority"].lower() in wanted or values["local_authority_code"].lower() in wanted
    )


def import_schools(source, *, local_authorities=None, progress=None, batch_size=BATCH_SIZE):
    """Create or update schools from a register file (a path, bytes or a binary file object).

    `progress(rows_done, rows_total)` is called after each batch. Returns an ImportResult. Raises
    ServiceError when the file is not a register file at all (nothing is imported then).
    """
    data = _read_bytes(source)
    text, encoding = decode(data)
    result = ImportResult(encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ServiceError("The file is empty or is not a CSV file.") from None
    header = [column.strip() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ServiceError(
            "This does not look like the schools register's establishment file: "
            f"missing column(s) {', '.join(missing)}."
        )
    positions = {column: position for position, column in enumerate(header)}
    index = {field_name: positions.get(column) for field_name, column in COLUMNS.items()}
    width = len(header)
    total = max(text.count("\n") - 1, 0)
    in_area = _area_matcher(local_authorities)

    batch = {}
    seen_on_line = {}
    line = 1  # the header
    while True:
        start_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.rows += 1
            result.skip(start_line, f"unreadable CSV: {exc}")
            continue
        line = start_line
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        result.rows += 1
        if len(cells) != width:
            result.skip(line, f"has {len(cells)} fields where the header has {width}")
            continue
        try:
            values = parse_row(cells, index)
        except BadRow as exc:
            result.skip(line, str(exc))
            continue
        if in_area is not None and not in_area(values):
            result.outside_area += 1
            continue
        urn = values["urn"]
        if urn in seen_on_line:
            result.skip(line, f"URN {urn} appears again (first on line {seen_on_line[urn]})")
            continue
        seen_on_line[urn] = line
        batch[urn] = values
        if len(batch) >= batch_size:
            _write_batch(batch, result)
            batch = {}
            if progress:
                progress(min(reader.line_num - 1, total), total)
    if batch:
        _write_batch(batch, result)
    if progress:
        progress(total, total)
    return result


def _read_bytes(source):
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    with open(source, "rb") as handle:
        return handle.read()


def _write_batch(batch, result):
    """Insert the new schools and update the changed ones of one batch, in one transaction."""
    existing = {
        row["urn"]: row
        for row in Organisation.objects.filter(urn__in=batch.keys()).values(
            "pk", "urn", "kind", *IMPORTED_FIELDS
        )
    }
    to_create, to_update = [], []
    changed_fields = set()
    now = timezone.now()
    for urn, values in batch.items():
        current = existing.get(urn)
        if current is None:
            to_create.append(Organisation(kind=OrganisationKind.SCHOOL, **values))
            continue
        changes = {name: values[name] for name in IMPORTED_FIELDS if current[name] != values[name]}
        if current["kind"] != OrganisationKind.SCHOOL:
            changes["kind"] = OrganisationKind.SCHOOL
        if not changes:
            result.unchanged += 1
            continue
        if changes.get("status") == OrganisationStatus.CLOSED:
            result.closed += 1
        changed_fields.update(changes)
        # Every imported field is set on the object: bulk_update writes the union of changed fields.
        to_update.append(
            Organisation(pk=current["pk"], kind=OrganisationKind.SCHOOL, updated_at=now, **values)
        )
    with transaction.atomic():
        if to_create:
            Organisation.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        if to_update:
            Organisation.objects.bulk_update(
                to_update, sorted(changed_fields | {"updated_at"}), batch_size=500
            )
    result.created += len(to_create)
    result.updated += len(to_update)


def read_upload_header(uploaded):
    """Check an uploaded file's first line before it is stored: raise ServiceError if it is not the register."""
    head = uploaded.read(64 * 1024)
    uploaded.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    first_line = decoder.decode(head).splitlines()[0] if head else ""
    header = next(csv.reader([first_line]), []) if first_line else []
    missing = [column for column in REQUIRED_COLUMNS if column not in [h.strip() for h in header]]
    if missing:
        raise ServiceError(
            "This does not look like the schools register's establishment file: "
            f"missing column(s) {', '.join(missing)}."
        )


def start_import_job(uploaded_file, *, local_authorities=None, user=None):
    """Store an uploaded register file and import it in the background. Returns the SchoolImport."""
    from wagtail.log_actions import log

    from campaigns.models import SchoolImport
    from campaigns.tasks import import_schools as import_task

    read_upload_header(uploaded_file)
    with transaction.atomic():
        job = SchoolImport.objects.create(
            file=uploaded_file, local_authorities=list(local_authorities or []), created_by=user
        )
        log(instance=job, action="campaigns.schools_import.started", user=user, data={"file": job.file.name})
        transaction.on_commit(lambda: import_task.delay(job.pk))
    return job


def run_import_job(job_id):
    """Run one stored import, once: only a job still waiting is started (a repeated task does nothing)."""
    from campaigns.models import ImportStatus, SchoolImport

    started = SchoolImport.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not started:
        return None
    job = SchoolImport.objects.get(pk=job_id)

    def progress(done, total):
        SchoolImport.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as handle:
            result = import_schools(handle, local_authorities=job.local_authorities, progress=progress)
    except ServiceError as exc:
        SchoolImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return None
    except Exception as exc:
        SchoolImport.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error=f"The import stopped unexpectedly ({type(exc).__name__}). Schools already written stay.",
            finished_at=timezone.now(),
        )
        raise
    SchoolImport.objects.filter(pk=job_id).update(
        status=ImportStatus.DONE,
        created_count=result.created,
        updated_count=result.updated,
        unchanged_count=result.unchanged,
        closed_count=result.closed,
        skipped_count=result.skipped,
        problems=result.problems,
        finished_at=timezone.now(),
    )
    return result
