"""Bad input gets a clear message and changes nothing: characters no page can use, names that would break an
email's headers, spreadsheet formulas in exports, oversized or damaged uploads, and the admin screens that show
what the system logged. Run on SQLite and again on PostgreSQL, where a NUL character fails any query."""

import csv
import io
from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

import pytest
from anymail.utils import parse_address_list
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from campaigns.bookings.services import book_places
from campaigns.mail.sending import build_email, deliver
from campaigns.mail.unsubscribe import unsubscribe
from campaigns.models import (
    Booking,
    Cohort,
    ImportStatus,
    MessageState,
    Organisation,
    OutboundMessage,
    SchoolImport,
    WaitingListEntry,
)
from campaigns.organisations.services import import_schools
from campaigns.partner_api.services import issue_token
from campaigns.training.cohorts import import_members
from tests.campaigns.factories_bookings import booker, campaign_with_session, invitation_for, school_booking

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]

SAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "demo" / "fixtures" / "gias-sample.csv"
UNREADABLE = "characters we cannot read"


def register_rows():
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, [row for row in rows if len(row) == len(header) and row[0].isdigit()]


def as_csv(rows):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --- a NUL character anywhere in a request ------------------------------------------------------------

PUBLIC_ADDRESSES = [
    "/resources/?topic=%00",
    "/resources/?age=8-10&topic=online%00safety",
    "/search/?query=a%00b",
    "/search/?query=online&topic=%00",
    "/events/?kind=%00",
    "/events/?audience=parents-carers&page=%00",
    "/events/calendar.ics?audience=%00",
    "/certificates/verify/?code=%00",
    "/bookings/%00/",
    "/waiting/%00/",
    "/invitation/%00/",
    "/certificates/%00/",
    "/unsubscribe/%00/",
    "/resources/%00/",
]

ADMIN_ADDRESSES = [
    "/admin/campaigns/organisations/?local_authority=%00",
    "/admin/campaigns/organisations/?q=school%00",
    "/admin/bookings/?year_group=%00",
    "/admin/waiting-list/?q=%00",
    "/admin/reports/site-history/?label=%00",
    "/admin/reach/by-area/?local_authority=%00",
    "/admin/pages/search/?q=%00",
]


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_a_nul_in_a_public_address_gets_a_plain_400(client, address):
    response = client.get(address)

    assert response.status_code == 400
    assert UNREADABLE in response.content.decode()


@pytest.mark.parametrize("address", ADMIN_ADDRESSES)
def test_a_nul_in_an_admin_filter_gets_a_plain_400(admin_client, address):
    response = admin_client.get(address)

    assert response.status_code == 400
    assert UNREADABLE in response.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/reach?local_authority=%00",
        "/api/v1/reach?series=walk-online&ward=a%00",
        "/api/v1/sessions?date_from=%00",
        "/api/v1/campaigns?x=%00",
    ],
)
def test_a_nul_in_an_api_parameter_gets_a_json_400(client, address):
    _, raw = issue_token("Analysts")

    response = client.get(address, HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 400
    assert UNREADABLE in response.json()["detail"]


def test_a_nul_in_a_posted_form_changes_nothing(client, settings):
    settings.BOOKING_RATE_LIMIT_PER_MINUTE = 0
    campaign, session = campaign_with_session()
    invitation = invitation_for(campaign)
    url = reverse("campaigns:invitation_book", args=[invitation.token, session.pk])
    data = {"year_group": "Y5", "pupils": "28", "staff": "2", **booker(booker_name="Sam\x00 Teacher")}

    response = client.post(url, data)

    assert response.status_code == 400
    assert UNREADABLE in response.content.decode()
    assert not Booking.objects.exists()
    session.refresh_from_db()
    assert session.places_taken == 0
    # The same form without the NUL books.
    data["booker_name"] = "Sam Teacher"
    assert client.post(url, data).status_code == 302
    assert Booking.objects.count() == 1


def test_ordinary_addresses_are_untouched(client):
    assert client.get("/search/?query=online+safety").status_code == 200
    assert client.get("/resources/?topic=grooming").status_code == 200


def test_a_register_line_with_a_nul_is_reported_by_number_and_the_rest_imported():
    header, rows = register_rows()
    rows = [list(row) for row in rows[:5]]
    name = header.index("EstablishmentName")
    rows[1][name] = "Damaged\x00 Primary School"  # line 3 of the file
    result = import_schools(as_csv([header, *rows]))

    assert result.created == 4
    assert result.skipped == 1
    assert result.problems == [{"line": 3, "reason": result.problems[0]["reason"]}]
    assert "NUL" in result.problems[0]["reason"]
    assert not Organisation.objects.filter(urn=int(rows[1][0])).exists()


def test_an_uploaded_register_with_a_nul_line_finishes_with_that_line_reported(
    admin_client, django_capture_on_commit_callbacks
):
    header, rows = register_rows()
    rows = [list(row) for row in rows[:4]]
    rows[2][header.index("Town")] = "Grays\x00"  # line 4
    upload = SimpleUploadedFile("edubasealldata.csv", as_csv([header, *rows]), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("campaigns_schoolimport:add"), {"file": upload})

    job = SchoolImport.objects.get()
    assert job.status == ImportStatus.DONE, job.error
    assert (job.created_count, job.skipped_count) == (3, 1)
    assert [problem["line"] for problem in job.problems] == [4]


def test_a_cohort_file_with_a_nul_line_is_refused_by_line():
    cohort = Cohort.objects.create(name="Licensed drivers")
    result = import_members(cohort, "name,email\nAlex Driver,alex@example.org\nSam\x00,sam@example.org\n")

    assert result.errors == ["Line 3: contains a NUL character (a zero byte)."]
    assert not cohort.members.exists()


# --- booker names in an email's To: header --------------------------------------------------------------

AWKWARD_NAMES = [
    "Smith, John",
    "Sam\r\nBcc: everyone@example.net",
    "Sam\nTeacher",
    "attacker@example.org, Carol",
    "Carol <attacker@example.org>",
    'Jo "JJ" O\'Neil \\ Head',
    "Zoë Ångström-Łukasiewicz",
    "Line\u2028separator",
]


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_a_booker_name_never_adds_a_recipient_or_breaks_the_email(name):
    campaign, session = campaign_with_session()
    stored = "sam.teacher@school.example.org"
    booking = book_places(**school_booking(session, campaign, booker_name=name, booker_email=stored))
    message = OutboundMessage.objects.get(related_id=booking.pk, template="booking_confirmed")

    email = build_email(message)

    # The MIME message as it goes over SMTP, read back by Python's email parser: one recipient, ours.
    parsed = message_from_bytes(email.message().as_bytes(), policy=email_policy.default)
    recipients = parsed["To"].addresses
    assert [address.addr_spec for address in recipients] == [stored]
    assert not {"\r", "\n"} & set(recipients[0].display_name)
    assert parsed["Bcc"] is None and parsed["Cc"] is None
    # And as a provider's API reads it (anymail splits the To: list the same way).
    assert [address.addr_spec for address in parse_address_list(email.to)] == [stored]
    # The email is sent, once, to that address only; before, such names failed the message for good.
    mail.outbox = []
    assert deliver(message.pk).state == MessageState.SENT
    assert [address.addr_spec for address in parse_address_list(mail.outbox[0].to)] == [stored]


# --- the screens that show what the system logged -------------------------------------------------------


@pytest.fixture
def demo_log(monkeypatch):
    """The demo's audit log (bookings, waiting-list entries, invitations, registers, sessions) and a few more."""
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", stdout=io.StringIO())
    unsubscribe("parent@example.org")
    import_members(Cohort.objects.create(name="Councillors"), "name,email\nCllr Lee,lee@example.org\n")
    assert WaitingListEntry.objects.exists()
    logged = set(ModelLogEntry.objects.values_list("content_type__model", flat=True))
    assert {"booking", "waitinglistentry", "invitation", "attendance", "suppressedaddress"} <= logged
    return ModelLogEntry.objects.count()


def test_site_history_opens_on_every_page_and_exports(admin_client, demo_log):
    url = reverse("wagtailadmin_reports:site_history")
    pages = -(-demo_log // 50)
    for number in range(1, pages + 1):
        response = admin_client.get(url, {"p": number})
        assert response.status_code == 200, number
    for export in ("csv", "xlsx"):
        assert admin_client.get(url, {"export": export}).status_code == 200, export
    # A waiting-list entry's log line links to the entry's own page (it has no edit screen).
    entry = WaitingListEntry.objects.first()
    page = admin_client.get(url, {"object_type": entry_content_type(), "p": 1}).content.decode()
    assert reverse("campaigns_waiting:inspect", args=[entry.pk]) in page


def test_every_waiting_list_entry_has_an_inspect_and_a_history_page(admin_client, demo_log):
    for entry in WaitingListEntry.objects.all():
        for name in ("inspect", "history"):
            response = admin_client.get(reverse(f"campaigns_waiting:{name}", args=[entry.pk]))
            assert response.status_code == 200, (name, entry.pk)
    assert admin_client.get(reverse("campaigns_waiting:index")).status_code == 200


def entry_content_type():
    return ContentType.objects.get_for_model(WaitingListEntry).pk
