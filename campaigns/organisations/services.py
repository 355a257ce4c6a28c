"""Importing the national schools register (GIAS "all establishment data" CSV) into Organisation rows.

Schools are matched by URN and written in batches: new ones with one bulk INSERT, changed ones with one
bulk UPDATE of the changed rows only, so re-importing the same file writes nothing. The `Head*` columns
name a person and are never read. A broken line is reported by its line number and skipped.

Each school belongs to the partner council whose local-authority codes hold its `LA (code)`
(`Organisation.authority`). When partner councils have codes and no local authorities are chosen for the
import, only the partnership's schools are imported: the others are counted as outside the area, as schools
outside chosen local authorities are. Chosen local authorities outside every council are imported with no
council (outside the partnership).
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from campaigns.log_actions import log_change
from campaigns.models import ImportStatus, Organisation, OrganisationKind, OrganisationStatus, SchoolImport
from campaigns.organisations.register_file import (
    COLUMNS,
    IMPORTED_FIELDS,
    REQUIRED_COLUMNS,
    BadRow,
    decode,
    parse_row,
    read_bytes,
)
from cms.errors import ServiceError
from cms.models import Authority

BATCH_SIZE = 2000
MAX_PROBLEMS_KEPT = 1000


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
    partnership_only: bool = False
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
            where = "the partner councils' areas" if self.partnership_only else "the chosen local authorities"
            lines.append(f"Outside {where} (not imported): {self.outside_area:,}")
        if self.changed_nothing and self.rows:
            lines.append("Nothing changed: the register already matched this file.")
        return lines


# What the import writes and compares: the register's columns and the council that covers the school.
WRITTEN_FIELDS = (*IMPORTED_FIELDS, "authority_id")


def _area_matcher(local_authorities):
    wanted = {str(value).strip().lower() for value in local_authorities or [] if str(value).strip()}
    if not wanted:
        return None
    return lambda values: (
        values["local_authority"].lower() in wanted or values["local_authority_code"].lower() in wanted
    )


def _councils_by_code():
    """{GIAS local-authority code: partner council id}, read once per import."""
    by_code = {}
    for pk, codes in Authority.objects.order_by("name").values_list("pk", "la_codes"):
        for code in codes or ():
            by_code.setdefault(str(code).strip(), pk)
    return by_code


def import_schools(source, *, local_authorities=None, progress=None, batch_size=BATCH_SIZE, only_new=False):
    """Create or update schools from a register file (a path, bytes or a binary file object).

    With `only_new`, schools already present (by URN) are left exactly as they are, counted as unchanged:
    only schools not yet in the register are created (the demo's sample, which must not put its names back
    over staff's edits). `progress(rows_done, rows_total)` is called after each batch. Returns an
    ImportResult. Raises ServiceError when the file is not a register file at all (nothing is imported then).
    """
    data = read_bytes(source)
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
    councils = _councils_by_code()
    # With partner councils and no chosen local authorities, the partnership's own schools only.
    result.partnership_only = in_area is None and bool(councils)

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
        values["authority_id"] = councils.get(values["local_authority_code"].strip())
        if result.partnership_only and values["authority_id"] is None:
            result.outside_area += 1
            continue
        urn = values["urn"]
        if urn in seen_on_line:
            result.skip(line, f"URN {urn} appears again (first on line {seen_on_line[urn]})")
            continue
        seen_on_line[urn] = line
        batch[urn] = values
        if len(batch) >= batch_size:
            _write_batch(batch, result, only_new=only_new)
            batch = {}
            if progress:
                progress(min(reader.line_num - 1, total), total)
    if batch:
        _write_batch(batch, result, only_new=only_new)
    if progress:
        progress(total, total)
    return result


def _write_batch(batch, result, *, only_new=False):
    """Insert the new schools and update the changed ones of one batch (unless `only_new`), in one
    transaction."""
    existing = {
        row["urn"]: row
        for row in Organisation.objects.filter(urn__in=batch.keys()).values(
            "pk", "urn", "kind", *WRITTEN_FIELDS
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
        if only_new:
            result.unchanged += 1
            continue
        changes = {name: values[name] for name in WRITTEN_FIELDS if current[name] != values[name]}
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
                to_update,
                sorted(
                    {"authority" if name == "authority_id" else name for name in changed_fields}
                    | {"updated_at"}
                ),
                batch_size=500,
            )
    result.created += len(to_create)
    result.updated += len(to_update)


def run_import_job(job_id):
    """Run one stored import, once: only a job still waiting is started (a repeated task does nothing)."""
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


@transaction.atomic
def confirm_group(organisation, *, user):
    """A group that booked from the public form, checked by staff: it now appears in reports as known."""
    if organisation.confirmed:
        raise ServiceError("It is already confirmed.", code="already_confirmed")
    organisation.confirmed = True
    organisation.save(update_fields=["confirmed", "updated_at"])
    log_change(organisation, "campaigns.organisation.confirmed", user, title=organisation.name)
    return organisation
