"""Cohorts: loading people who must train from a CSV, compliance counts, and expiry reminders sent once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import CohortMember, OutboundMessage
from campaigns.training import cohorts
from campaigns.training import selectors as training_selectors
from tests.campaigns.factories_reach import (
    CohortFactory,
    CohortMemberFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
)

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def cohort_data():
    """Six members, worked out by hand: 1 current, 1 expiring, 1 expired, 3 never trained."""
    course = TrainingCourseFactory(name="CSE awareness for councillors")
    other_course = TrainingCourseFactory(name="Something else")
    cohort = CohortFactory(name="Elected members", course=course)

    def record(valid_until, **kwargs):
        return TrainingRecordFactory(
            course=kwargs.pop("course", course),
            completed_on=valid_until - datetime.timedelta(days=365),
            valid_until=valid_until,
            **kwargs,
        )

    current = CohortMemberFactory(cohort=cohort, name="Councillor A. Example", email="a@example.org")
    record(days(400), email="a@example.org")
    expiring = CohortMemberFactory(
        cohort=cohort, name="Councillor B. Example", email="b@example.org", licence_number="L2"
    )
    record(days(30), email="someone-else@example.org", licence_number="L2")
    expired = CohortMemberFactory(cohort=cohort, name="Councillor C. Example", email="c@example.org")
    record(days(-5), email="c@example.org")
    CohortMemberFactory(cohort=cohort, name="Councillor D. Example", email="d@example.org")
    CohortMemberFactory(cohort=cohort, name="Councillor E. Example", email="e@example.org")
    record(days(400), email="e@example.org", course=other_course)
    CohortMemberFactory(cohort=cohort, name="Councillor F. Example", email="f@example.org")
    record(days(400), email="f@example.org", revoked=True)
    return {"cohort": cohort, "current": current, "expiring": expiring, "expired": expired}


def test_compliance_counts_each_status(cohort_data):
    compliance = training_selectors.cohort_compliance(cohort_data["cohort"])

    assert (compliance["current"], compliance["expiring"], compliance["expired"], compliance["never"]) == (
        1,
        1,
        1,
        3,
    )
    statuses = {
        m.name: m.status for m in training_selectors.members_with_status(cohort=cohort_data["cohort"])
    }
    assert statuses["Councillor B. Example"] == "expiring"  # matched by licence number


def test_expiry_reminders_go_once_to_those_expiring(cohort_data):
    assert cohorts.send_expiry_reminders() == 1
    cohorts.send_expiry_reminders()

    reminders = OutboundMessage.objects.filter(template="training_expiry_reminder")
    assert list(reminders.values_list("to_email", flat=True)) == ["b@example.org"]


def test_csv_import_adds_members_and_updates_known_ones():
    cohort = CohortFactory()
    CohortMemberFactory(cohort=cohort, name="Old Name", email="pat@example.org")
    csv_text = (
        "Name,Email,Licence number,Sector\n"
        "Pat Example,PAT@example.org,,\n"
        "Chris Example,,ph 1234,Taxi and private hire\n"
    )

    result = cohorts.import_members(cohort, csv_text.encode())

    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert set(CohortMember.objects.values_list("name", "licence_number")) == {
        ("Pat Example", ""),
        ("Chris Example", "PH 1234"),
    }


def test_csv_with_bad_lines_imports_nothing_and_names_each_line():
    cohort = CohortFactory()
    csv_text = "name,email,licence number,sector\nGood Example,good@example.org,,\n,x@example.org,,\nBad Email,not-an-email,,\nNo Contact,,,\nOdd Sector,o@example.org,,astronauts\n"

    result = cohorts.import_members(cohort, csv_text.encode())

    assert not result.ok
    assert [e.split(":")[0] for e in result.errors] == ["Line 3", "Line 4", "Line 5", "Line 6"]
    assert not CohortMember.objects.exists()


def test_csv_that_is_not_utf8_gets_a_clear_message():
    result = cohorts.import_members(CohortFactory(), "name,email\nJosé,j@example.org\n".encode("latin-1"))

    assert "UTF-8" in result.errors[0]


def test_compliance_view_for_analysts_shows_counts_but_no_names(client, analyst, cohort_data):
    client.force_login(analyst)
    page = client.get(reverse("campaigns_cohort", args=[cohort_data["cohort"].pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Expired: " in text and "All 6" in text
    assert "Councillor" not in text and "c@example.org" not in text and "L2" not in text
    assert "shown only to staff who manage training" in text
    assert "Add members from a CSV" not in text


def test_compliance_view_names_members_for_staff_who_manage_training(admin_client, cohort_data):
    page = admin_client.get(
        reverse("campaigns_cohort", args=[cohort_data["cohort"].pk]), {"status": "expired"}
    )

    text = page.content.decode()
    assert "Councillor C. Example" in text and "Councillor A. Example" not in text


def test_editors_upload_members_from_the_compliance_view(admin_client, cohort_data):
    upload = SimpleUploadedFile(
        "members.csv", b"name,email\nNew Example,new@example.org\n", content_type="text/csv"
    )
    admin_client.post(
        reverse("campaigns_cohort_upload"), {"cohort": cohort_data["cohort"].pk, "file": upload}
    )
    assert CohortMember.objects.filter(email="new@example.org").exists()


def test_analyst_cannot_upload(client, analyst, cohort_data):
    client.force_login(analyst)
    upload = SimpleUploadedFile("members.csv", b"name,email\nNew Example,new@example.org\n")

    response = client.post(
        reverse("campaigns_cohort_upload"), {"cohort": cohort_data["cohort"].pk, "file": upload}
    )

    assert response.status_code == 403
    assert not CohortMember.objects.filter(email="new@example.org").exists()
