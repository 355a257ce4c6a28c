"""Importing the national schools register: the sample file, broken lines, re-imports and encodings."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Organisation, OrganisationKind, OrganisationStatus
from campaigns.organisations.services import import_schools
from cms.errors import ServiceError
from tests.factories import OrganisationFactory

SAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "demo" / "fixtures" / "gias-sample.csv"

pytestmark = pytest.mark.django_db


def sample_rows():
    """The sample's header and its well-formed rows (it also carries two broken lines)."""
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        header, *rows = csv.reader(handle)
    return [header, *[row for row in rows if len(row) == len(header) and row[0].isdigit()]]


def as_csv(rows, encoding="cp1252"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue().encode(encoding)


def test_sample_file_creates_every_school_with_its_register_details():
    result = import_schools(SAMPLE)

    assert result.created == 38
    assert result.skipped == 2
    assert [p["line"] for p in result.problems] == [15, 22]
    header, first = sample_rows()[0], sample_rows()[1]
    row = dict(zip(header, first, strict=True))
    school = Organisation.objects.get(urn=int(row["URN"]))
    assert school.kind == OrganisationKind.SCHOOL
    assert school.name == row["EstablishmentName"]
    assert school.local_authority == row["LA (name)"]
    assert school.local_authority_code == row["LA (code)"]
    assert school.ward == row["AdministrativeWard (name)"]
    assert school.postcode == row["Postcode"]
    assert school.statutory_low_age == int(row["StatutoryLowAge"])
    assert school.opened_on.strftime("%d-%m-%Y") == row["OpenDate"]
    closed = sum(1 for r in sample_rows()[1:] if r[header.index("EstablishmentStatus (name)")] == "Closed")
    assert Organisation.objects.filter(status=OrganisationStatus.CLOSED).count() == closed


def test_head_teacher_names_are_never_stored():
    import_schools(SAMPLE)
    header, *rows = sample_rows()
    surnames = {dict(zip(header, row, strict=True))["HeadLastName"] for row in rows} - {""}
    stored = " ".join(" ".join(str(v) for v in values) for values in Organisation.objects.values_list())
    assert surnames
    assert not [name for name in surnames if name in stored]


def test_reimporting_the_same_file_changes_nothing_and_says_so():
    import_schools(SAMPLE)
    before = dict(Organisation.objects.values_list("urn", "updated_at"))

    again = import_schools(SAMPLE)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 38)
    assert again.changed_nothing
    assert "Nothing changed" in "\n".join(again.summary_lines())
    assert dict(Organisation.objects.values_list("urn", "updated_at")) == before


def test_a_school_that_closed_is_marked_closed_and_counted():
    header, *rows = sample_rows()
    import_schools(as_csv([header, *rows]))
    status = header.index("EstablishmentStatus (name)")
    open_row = next(row for row in rows if row[status] == "Open")
    open_row[status] = "Closed"
    open_row[header.index("CloseDate")] = "31-08-2026"

    result = import_schools(as_csv([header, *rows]))

    assert (result.updated, result.closed, result.unchanged) == (1, 1, 37)
    school = Organisation.objects.get(urn=int(open_row[0]))
    assert school.status == OrganisationStatus.CLOSED
    assert school.closed_on.isoformat() == "2026-08-31"


def test_changed_details_update_only_that_school():
    header, *rows = sample_rows()
    import_schools(as_csv([header, *rows]))
    rows[3][header.index("EstablishmentName")] = "Renamed Academy"

    result = import_schools(as_csv([header, *rows]))

    assert (result.updated, result.unchanged) == (1, 37)
    assert Organisation.objects.get(urn=int(rows[3][0])).name == "Renamed Academy"


def test_only_new_creates_missing_schools_and_leaves_existing_ones_as_staff_left_them():
    header, *rows = sample_rows()
    import_schools(as_csv([header, *rows[:-1]]))
    school = Organisation.objects.get(urn=int(rows[0][0]))
    school.name = "Renamed by the council"
    school.save()

    result = import_schools(as_csv([header, *rows]), only_new=True)

    assert (result.created, result.updated, result.unchanged) == (1, 0, 37)
    assert Organisation.objects.get(pk=school.pk).name == "Renamed by the council"
    assert Organisation.objects.filter(urn=int(rows[-1][0])).exists()


def test_broken_lines_are_reported_by_number_and_the_rest_imported():
    header, *rows = sample_rows()
    broken = [header, *rows[:5]]
    broken.append(rows[5][:20])  # line 7: too few fields
    bad_date = list(rows[6])
    bad_date[header.index("OpenDate")] = "2019-09-01"
    broken.append(bad_date)  # line 8
    bad_urn = list(rows[7])
    bad_urn[0] = "abc"
    broken.append(bad_urn)  # line 9
    broken.append(list(rows[0]))  # line 10: URN repeated
    bad_ages = list(rows[8])
    bad_ages[header.index("StatutoryLowAge")] = "11"
    bad_ages[header.index("StatutoryHighAge")] = "4"
    broken.append(bad_ages)  # line 11
    broken += rows[9:]

    result = import_schools(as_csv(broken))

    reasons = {problem["line"]: problem["reason"] for problem in result.problems}
    assert sorted(reasons) == [7, 8, 9, 10, 11]
    assert "fields" in reasons[7]
    assert "OpenDate" in reasons[8] and "DD-MM-YYYY" in reasons[8]
    assert "URN" in reasons[9]
    assert "line 2" in reasons[10]
    assert "StatutoryLowAge" in reasons[11]
    assert result.skipped == 5
    assert result.created == 38 - 4
    assert Organisation.objects.count() == 34


def test_a_number_written_with_a_superscript_digit_is_a_broken_line_not_a_failed_import():
    header, *rows = sample_rows()
    damaged = list(rows[1])
    damaged[header.index("NumberOfPupils")] = "42³"  # line 3; "³" is a Windows-1252 character

    result = import_schools(as_csv([header, rows[0], damaged, *rows[2:4]]))

    assert [problem["line"] for problem in result.problems] == [3]
    assert "NumberOfPupils" in result.problems[0]["reason"]
    assert result.created == 3


def test_utf8_file_with_bom_reads_the_same_names_as_windows_1252():
    header, *rows = sample_rows()
    rows[0][header.index("EstablishmentName")] = "St Mary’s C of E Primary School"

    import_schools(b"\xef\xbb\xbf" + as_csv([header, *rows], encoding="utf-8"))
    from_utf8 = Organisation.objects.get(urn=int(rows[0][0])).name
    Organisation.objects.all().delete()
    result = import_schools(as_csv([header, *rows], encoding="cp1252"))

    assert from_utf8 == "St Mary’s C of E Primary School"
    assert Organisation.objects.get(urn=int(rows[0][0])).name == from_utf8
    assert result.encoding == "windows-1252"


def test_limiting_to_local_authorities_by_name_or_code():
    header, *rows = sample_rows()
    la_name, la_code = header.index("LA (name)"), header.index("LA (code)")
    thurrock_code = next(row[la_code] for row in rows if row[la_name] == "Thurrock")

    in_area = sum(1 for row in rows if row[la_name] in ("Thurrock", "Kent"))

    result = import_schools(as_csv([header, *rows]), local_authorities=["thurrock", "Kent"])
    assert set(Organisation.objects.values_list("local_authority", flat=True)) == {"Thurrock", "Kent"}
    assert result.created == in_area
    assert result.outside_area == len(rows) - in_area

    Organisation.objects.all().delete()
    import_schools(SAMPLE, local_authorities=[thurrock_code])
    assert set(Organisation.objects.values_list("local_authority", flat=True)) == {"Thurrock"}


def test_a_file_that_is_not_the_register_is_refused_and_changes_nothing():
    OrganisationFactory()
    with pytest.raises(ServiceError, match="missing column"):
        import_schools(b"name,email\nA school,office@example.org\n")
    with pytest.raises(ServiceError):
        import_schools(b"")
    assert Organisation.objects.count() == 1


def test_import_command_prints_progress_problems_and_summary(tmp_path):
    header, *rows = sample_rows()
    path = tmp_path / "register.csv"
    path.write_bytes(as_csv([header, *rows[:10], rows[10][:3], *rows[11:]]))
    out, err = io.StringIO(), io.StringIO()

    call_command("import_schools", str(path), "--local-authority", "Thurrock", stdout=out, stderr=err)

    assert "Line 12: skipped" in out.getvalue()
    assert "Created: " in out.getvalue() and "Skipped: 1" in out.getvalue()
    assert "rows" in err.getvalue()
    assert set(Organisation.objects.values_list("local_authority", flat=True)) == {"Thurrock"}


def test_import_command_reports_a_missing_file_clearly(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_schools", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_import_looks_up_existing_schools_once_per_batch_not_once_per_row():
    header, *rows = sample_rows()
    many = [header]
    for n in range(400):
        row = list(rows[n % len(rows)])
        row[0] = str(500000 + n)
        many.append(row)

    def lookups(data, batch_size):
        with CaptureQueriesContext(connection) as queries:
            import_schools(data, batch_size=batch_size)
        return sum(1 for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT"))

    # The partner councils' codes once, then the existing schools once per batch.
    assert lookups(as_csv(many[:41]), batch_size=2000) == 1 + 1
    assert lookups(as_csv(many), batch_size=2000) == 1 + 1
    assert lookups(as_csv(many), batch_size=100) == 1 + 4
