"""The "Materials due for review" report (with XLSX export) and the weekly reminder to owners."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from campaigns.library.services import send_review_reminders
from campaigns.library.tasks import send_review_reminders as review_reminders
from campaigns.models import OutboundMessage
from resources.models import days_until_review
from resources.selectors import overdue_review_reminders
from tests.resources.helpers import make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_user(
        username="owner", email="owner@example.org", first_name="Olu", last_name="Owner", password="password"
    )


@pytest.fixture
def pages(owner):
    today = timezone.localdate()
    return {
        "overdue": make_resource(
            "Overdue guide", review_by=today - datetime.timedelta(days=3), review_owner=owner
        ),
        "soon": make_resource("Due soon guide", review_by=today + datetime.timedelta(days=10), owner=owner),
        "later": make_resource("Later guide", review_by=today + datetime.timedelta(days=90)),
        "none": make_resource("Undated guide"),
    }


def test_report_lists_pages_past_or_near_review_with_owner(admin_client, pages):
    response = admin_client.get(reverse("resources_review_due"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue guide" in html and "Due soon guide" in html
    assert "Later guide" not in html and "Undated guide" not in html
    assert "Olu Owner" in html
    assert "Overdue by 3 days" in html


def test_review_by_agrees_with_the_status_on_every_row(admin_client, pages):
    today = timezone.localdate()

    html = admin_client.get(reverse("resources_review_due")).content.decode()

    overdue, soon = today - datetime.timedelta(days=3), today + datetime.timedelta(days=10)
    assert f"{overdue:%-d %b %Y}" in html and "Overdue by 3 days" in html
    assert f"{soon:%-d %b %Y}" in html and "Due in 10 days" in html
    assert "Just now" not in html  # a date to come is not "just now"


@pytest.mark.parametrize(("days", "state"), [(-1, "Overdue by 1 day"), (0, "Due today"), (1, "Due in 1 day")])
def test_review_state_and_the_reminder_count_days_the_same_way(owner, days, state):
    today = timezone.localdate()
    page = make_resource("Guide", review_by=today + datetime.timedelta(days=days), review_owner=owner)

    assert days_until_review(page.review_by, today) == days
    assert page.review_state(today) == state
    overdue = {r["page_id"]: r["days_overdue"] for r in overdue_review_reminders(today)}
    assert overdue.get(page.pk, 0) == max(-days, 0)


def test_the_public_page_never_claims_a_review_date_that_has_passed(client):
    today = timezone.localdate()
    current = make_resource("Current guide", review_by=today + datetime.timedelta(days=40))
    stale = make_resource("Stale guide", review_by=today - datetime.timedelta(days=10))

    assert f"next review by {current.review_by:%B %Y}" in client.get(current.url).content.decode()
    assert "next review by" not in client.get(stale.url).content.decode()


def test_report_exports_to_xlsx(admin_client, pages):
    response = admin_client.get(reverse("resources_review_due") + "?export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Page", "Review by", "Status", "Owner", "Owner email")
    assert [row[0] for row in rows[1:]] == ["Overdue guide", "Due soon guide"]
    assert rows[1][3:5] == ("Olu Owner", "owner@example.org")


def test_report_exports_to_csv(admin_client, pages):
    response = admin_client.get(reverse("resources_review_due") + "?export=csv")
    text = b"".join(response.streaming_content).decode()
    assert "Overdue guide" in text and "Later guide" not in text


def test_report_needs_page_permissions(client, django_user_model, pages):
    nobody = django_user_model.objects.create_user(username="nobody", password="password")
    client.force_login(nobody)
    assert client.get(reverse("resources_review_due")).status_code in (302, 403)
    editor = django_user_model.objects.create_user(username="ed", password="password")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(reverse("resources_review_due")).status_code == 200


def test_weekly_reminder_emails_owners_of_overdue_pages_once_a_week(pages):
    today = timezone.localdate()
    review_reminders.delay()
    messages = list(OutboundMessage.objects.all())
    assert [(m.to_email, m.subject) for m in messages] == [
        ("owner@example.org", "Please review: Overdue guide")
    ]
    assert "/admin/pages/" in messages[0].context["edit_url"]

    send_review_reminders(today=today)  # the same week again: nothing new
    assert OutboundMessage.objects.count() == 1
    send_review_reminders(today=today + datetime.timedelta(days=7))  # next week: reminded again
    assert OutboundMessage.objects.count() == 2
