"""Certificates as their holders and licensing officers use them: an expired certificate says so and offers
a refresher, the verification page is linked where people look, and a licensing officer checks a whole list
of licence numbers at once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.roles import LICENSING_OFFICERS, ensure_roles
from campaigns.training import services as training
from events.models import EventKind
from resources.taxonomy import Audience
from tests.campaigns.factories_reach import TrainingCourseFactory, TrainingRecordFactory
from tests.factories import EventPageFactory, event_index

pytestmark = pytest.mark.django_db

URL = "/admin/training/licence-check/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def officer(django_user_model):
    ensure_roles()
    user = django_user_model.objects.create_user(username="officer", password="password")
    user.groups.add(Group.objects.get(name=LICENSING_OFFICERS))
    return user


def test_an_expired_certificate_says_when_it_expired_and_links_to_a_refresher(client):
    event_index()
    event = EventPageFactory(
        title="Taxi driver training", kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS
    )
    course = TrainingCourseFactory()
    course.events.add(event)
    record = TrainingRecordFactory(
        course=course, completed_on=datetime.date(2023, 3, 3), valid_until=datetime.date(2026, 3, 3)
    )
    html = client.get(reverse("campaigns:certificate", args=[training.certificate_token(record)])).content
    html = html.decode()
    assert "Expired on 3 March 2026 — <a" in html
    assert f'href="{event.url}">book a refresher</a>' in html


def test_a_current_certificate_does_not_say_expired(client):
    record = TrainingRecordFactory(completed_on=days(-10), valid_until=days(300))
    html = client.get(reverse("campaigns:certificate", args=[training.certificate_token(record)])).content
    assert "Expired on" not in html.decode()
    assert "book a refresher" not in html.decode()


def test_the_verification_page_is_linked_from_the_footer_and_training_pages(client):
    event_index()
    event = EventPageFactory(
        kind=EventKind.PROFESSIONAL_TRAINING, audience=Audience.PROFESSIONALS, attendees_named=True
    )
    verify = reverse("campaigns:verify_certificate")
    assert f'href="{verify}">Check a training certificate</a>' in client.get("/events/").content.decode()
    assert f'href="{verify}">check a certificate</a>' in client.get(event.url).content.decode()


def test_a_licensing_officer_checks_a_pasted_list_past_the_public_rate_limit(client, officer):
    TrainingRecordFactory(licence_number="PHD 1001", completed_on=days(-30), valid_until=days(700))
    TrainingRecordFactory(licence_number="PHD1002", completed_on=days(-1200), valid_until=days(-20))
    revoked = TrainingRecordFactory(licence_number="PHD1003", valid_until=days(100))
    revoked.revoked = True
    revoked.save()
    client.force_login(officer)
    numbers = ["phd 1001", "PHD1002", "PHD1003"] + [f"UNKNOWN{n}" for n in range(30)]

    response = client.post(URL, {"licences": "\n".join(numbers)})

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 33
    assert rows[0]["sentence"] == f"Valid until {days(700):%-d %B %Y}"
    assert rows[1]["sentence"] == f"Expired on {days(-20):%-d %B %Y}"
    assert rows[2]["sentence"] == "None found"
    assert {row["sentence"] for row in rows[3:]} == {"None found"}
    assert "33 licence numbers checked" in response.content.decode()


def test_a_licensing_officer_uploads_a_csv_and_exports_the_answer(client, officer):
    TrainingRecordFactory(licence_number="=HYPERLINK(1)", completed_on=days(-5), valid_until=days(500))
    client.force_login(officer)
    upload = SimpleUploadedFile(
        "drivers.csv", b"name,licence number\nA Driver,=HYPERLINK(1)\nB Driver,PHD77\n", "text/csv"
    )
    checked = client.post(URL, {"file": upload})
    assert [row["status"] for row in checked.context["rows"]] == ["valid", "none"]
    # The numbers checked stay in the box, so the export needs no second upload.
    assert checked.context["form"].initial["licences"] == "=HYPERLINK(1)\nPHD77"

    export = client.post(URL, {"licences": "=HYPERLINK(1)\nPHD77", "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0] == "Licence number,Status,Course,Completed on,Valid until"
    assert lines[1].startswith("'=HYPERLINK(1),Valid until")
    assert lines[2].startswith("PHD77,None found")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"licences": "  \n , "}, "Paste at least one licence number"),
        ({"licences": "\n".join(f"N{n}" for n in range(501))}, "at most 500"),
    ],
)
def test_bad_lists_get_a_clear_message(client, officer, data, message):
    client.force_login(officer)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unreadable_file_gets_a_clear_message(client, officer):
    client.force_login(officer)
    upload = SimpleUploadedFile("drivers.csv", b"PHD1\x00\xff\xfe", "text/csv")
    response = client.post(URL, {"file": upload})
    assert response.status_code == 400
    assert "not a CSV we can read" in response.content.decode()


def test_staff_without_the_permission_cannot_check_licences(client, plain_staff):
    client.force_login(plain_staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"licences": "PHD1"}).status_code == 403


def test_the_licensing_officers_group_holds_only_the_view_permission(officer):
    group = Group.objects.get(name=LICENSING_OFFICERS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"access_admin", "view_trainingrecord"}
    assert officer.has_perm("campaigns.view_trainingrecord")
    assert not officer.has_perm("campaigns.change_trainingrecord")
