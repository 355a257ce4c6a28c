"""The reach dashboard and reports in the admin: figures, charts, exports, and who may see them."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.campaigns.reach_fixture import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build()


def test_analysts_see_the_campaign_dashboard_with_its_figures(client, analyst, data):
    client.force_login(analyst)

    page = client.get(reverse("campaigns_reach_campaign", args=[data.wo27.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert 'data-figure="pupils-attended">63<' in text
    assert "of a 200 target (31.5%)" in text
    assert (
        'data-figure="eligible-reached">3</span> of 4 eligible organisations reached by any route (75.0%)'
        in text
    )
    assert 'data-figure="attendance-rate">64.0%</span> of the 75 booked for sessions held came' in text
    assert "1 eligible organisation never reached in the series" in text
    assert "1 never reached by any campaign" in text
    assert "<polyline" in text  # year on year line
    assert 'class="reach-bar"' in text
    assert "<script" not in text.split('class="nice-padding reach-admin"', 1)[1]


def test_staff_without_reach_permission_get_403(client, plain_staff, data):
    client.force_login(plain_staff)

    assert client.get(reverse("campaigns_reach")).status_code == 403
    assert client.get(reverse("campaigns_reach_never_reached")).status_code == 403


def test_bad_filters_show_the_reason_and_fall_back(client, analyst, data):
    client.force_login(analyst)

    page = client.get(reverse("campaigns_reach"), {"date_from": "2027-05-01", "date_to": "2027-04-01"})

    assert page.status_code == 200
    assert "start date must be on or before the end date" in page.content.decode()


def test_never_reached_report_exports_xlsx(client, analyst, data):
    client.force_login(analyst)

    response = client.get(
        reverse("campaigns_reach_never_reached"), {"campaign": data.wo27.pk, "export": "xlsx"}
    )

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0].startswith("Eligible organisations never reached: Eligible schools")
    assert rows[1][0] == "Campaign: Walk Online 2027 (WO27)"
    heading = next(i for i, r in enumerate(rows) if r[0] == "Name")
    assert [r[0] for r in rows[heading + 1 :]] == ["B Primary", "Total: 1 organisation"]
    assert "never-reached-wo27-series-" in response["Content-Disposition"]


def test_reach_by_area_report_exports_csv_by_ward(client, analyst, data):
    client.force_login(analyst)

    response = client.get(
        reverse("campaigns_reach_by_area"), {"campaign": data.wo27.pk, "by": "ward", "export": "csv"}
    )
    text = b"".join(response.streaming_content).decode()

    lines = text.replace("\r", "").splitlines()
    assert response.status_code == 200
    assert "reach-by-ward-wo27-" in response["Content-Disposition"]
    assert lines[0].startswith("Reach by area: By ward")
    assert lines[1].startswith("Campaign: Walk Online 2027 (WO27)")
    # eligible, invited, opened, booked, reached, eligible reached, coverage, all reached, pupils
    # booked, pupils, staff and adults reached
    assert "Stifford Clays,2,2,1,1,1,2,100.0,2,20,35,2,1" in lines
    assert lines[-1] == "Total,4,4,3,3,2,3,75.0,3,75,63,4,1"


def test_report_page_lists_rows(client, analyst, data):
    client.force_login(analyst)

    page = client.get(reverse("campaigns_reach_never_reached"), {"campaign": data.wo27.pk, "scope": "ever"})

    assert page.status_code == 200
    assert "B Primary" in page.content.decode()


def test_campaign_admin_page_shows_attendance_and_reach_panels(admin_client, data):
    page = admin_client.get(reverse("campaigns_campaign:inspect", args=[data.wo27.pk]))
    text = page.content.decode()

    assert page.status_code == 200
    assert "<strong>63</strong> pupils" in text
    assert "2 of 2 bookings recorded" in text
    assert "3 of 4 eligible organisations reached by any route (75.0%)" in text
    assert reverse("campaigns_reach_campaign", args=[data.wo27.pk]) in text


def test_dashboard_figures_follow_a_correction_straight_away(
    client, analyst, data, django_capture_on_commit_callbacks
):
    from campaigns.register import services as attendance_service

    client.force_login(analyst)
    url = reverse("campaigns_reach_campaign", args=[data.wo27.pk])
    assert 'data-figure="pupils-attended">63<' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        attendance_service.record_attendance(data.book_a, pupils=20, staff=2)

    assert 'data-figure="pupils-attended">55<' in client.get(url).content.decode()
