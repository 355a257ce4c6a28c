"""Reading the national schools register file (GIAS "all establishment data" CSV): its columns, and one
checked row at a time. Nothing here writes; campaigns.organisations.services imports what it reads."""

import codecs
import csv
import datetime
import math

from django.conf import settings

from campaigns.models import Organisation, OrganisationStatus
from cms.errors import ServiceError

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
    # Only 0-9: `isdigit` alone also accepts characters such as "³" (in Windows-1252) that `int` refuses.
    if not (value.isascii() and value.isdigit()):
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

    if any("\x00" in value for value in cells):
        # The register never has one; PostgreSQL cannot store one, so the line would stop its whole batch.
        raise BadRow("contains a NUL character (a zero byte), so the line is damaged")

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


def read_bytes(source):
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if hasattr(source, "read"):
        data = source.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    with open(source, "rb") as handle:
        return handle.read()


MEGABYTE = 1024 * 1024


def check_upload_size(uploaded):
    """Refuse (ServiceError) a file larger than SCHOOL_REGISTER_MAX_UPLOAD_MB, before anything is stored."""
    largest = settings.SCHOOL_REGISTER_MAX_UPLOAD_MB
    if uploaded.size > largest * MEGABYTE:
        raise ServiceError(
            f"The file is {math.ceil(uploaded.size / MEGABYTE)} MB; the largest accepted is {largest} MB."
        )


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
