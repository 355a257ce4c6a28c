"""Schools register import: a generated national-size file (50,000 rows, the register's header) imported
by `import_schools`, against a plain bulk insert of the same rows in the same run."""

import csv
import io
import tempfile
import time
from pathlib import Path

from bench.support import result

SAMPLE = Path(__file__).resolve().parent.parent / "campaigns" / "demo" / "fixtures" / "gias-sample.csv"


def national_file(rows):
    """A register file of `rows` schools: the sample's well-formed rows repeated under new URNs."""
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        header, *sample = csv.reader(handle)
    sample = [row for row in sample if len(row) == len(header) and row[0].isdigit()]
    name = header.index("EstablishmentName")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for n in range(rows):
        row = list(sample[n % len(sample)])
        row[0] = str(100000 + n)
        row[name] = f"{row[name]} {n}"
        writer.writerow(row)
    return buffer.getvalue().encode("cp1252")


def plain_bulk_insert(data):
    """The baseline: parse the same file and insert every row, no comparison, no checks."""
    from campaigns.models import Organisation, OrganisationKind
    from campaigns.organisations.services import COLUMNS, parse_row

    reader = csv.reader(io.StringIO(data.decode("cp1252"), newline=""))
    header = next(reader)
    positions = {column: i for i, column in enumerate(header)}
    index = {field: positions.get(column) for field, column in COLUMNS.items()}
    objects = [Organisation(kind=OrganisationKind.SCHOOL, **parse_row(cells, index)) for cells in reader]
    Organisation.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def run(ctx):
    from campaigns.models import Organisation
    from campaigns.organisations.services import import_schools

    rows = ctx.scaled(50_000, minimum=2_000)
    data = national_file(rows)
    # Warm up (imports, first queries) so neither side pays for it.
    import_schools(national_file(50))
    Organisation.objects.all().delete()
    plain_bulk_insert(national_file(50))
    Organisation.objects.all().delete()
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(data)
        handle.flush()

        started = time.perf_counter()
        first = import_schools(handle.name)
        first_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = import_schools(handle.name)
        again_seconds = time.perf_counter() - started

    Organisation.objects.all().delete()
    started = time.perf_counter()
    inserted = plain_bulk_insert(data)
    baseline_seconds = time.perf_counter() - started
    Organisation.objects.all().delete()

    assert first.created == rows and again.unchanged == rows and inserted == rows
    baseline_rate = rows / baseline_seconds
    return [
        result(
            "schools register import (new schools)",
            "rows per second",
            rows / first_seconds,
            "rows/s",
            "plain bulk insert of the same rows",
            baseline_rate,
            notes=f"{rows:,} rows in {first_seconds:.1f} s (baseline {baseline_seconds:.1f} s)",
        ),
        result(
            "schools register re-import (nothing changed)",
            "rows per second",
            rows / again_seconds,
            "rows/s",
            "plain bulk insert of the same rows",
            baseline_rate,
            notes=f"{rows:,} rows compared in {again_seconds:.1f} s; {again.unchanged:,} unchanged, nothing written",
        ),
    ]
