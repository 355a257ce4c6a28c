"""Counted downloads: one row per day, signed attribution, no cookies, nothing personal."""

import datetime

import pytest
from django.core import signing

from resources.downloads import SALT, tracked_download_url
from resources.models import DownloadCount
from resources.selectors import download_counts, download_total
from resources.services import record_download
from tests.resources.helpers import make_document, make_resource

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture
def document():
    return make_document(content=b"Talking about staying safe.")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_download_serves_the_document_and_counts_it_for_the_resource(client, document):
    resource = make_resource("Parents' guide", audiences=["parents-carers"])
    url = tracked_download_url(document, resource=resource)
    assert url.startswith("/downloads/")

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    assert body(first) == b"Talking about staying safe."
    assert not first.cookies and not second.cookies
    row = DownloadCount.objects.get()
    assert (row.resource_id, row.count, row.campaign_id, row.organisation_id) == (resource.pk, 2, 0, 0)


def test_tracked_link_attributes_downloads_to_campaign_and_school(client, document):
    resource = make_resource(audiences=["8-10"])
    client.get(tracked_download_url(document, resource=resource, campaign_id=7, organisation_id=42))
    client.get(tracked_download_url(document, resource=resource))
    assert download_counts(group_by=("campaign_id", "organisation_id")) == [
        {"campaign_id": 0, "organisation_id": 0, "downloads": 1},
        {"campaign_id": 7, "organisation_id": 42, "downloads": 1},
    ]
    assert download_total(campaign_ids=[7]) == 1


def test_a_tampered_attribution_is_refused_and_not_counted(client, document):
    url = tracked_download_url(document, campaign_id=7, organisation_id=42)
    forged_token = signing.dumps({"d": document.pk, "r": 0, "c": 8, "o": 42}, salt=SALT + "x")
    for bad in (url[:-3] + "abc", url.split("?")[0] + "?t=" + forged_token):
        response = client.get(bad)
        assert response.status_code == 404
        assert b"This link is not valid" in response.content
    assert not DownloadCount.objects.exists()


def test_a_token_for_another_document_is_refused(client, document):
    other = make_document(title="Other")
    token = tracked_download_url(other, campaign_id=3).split("?t=")[1]
    response = client.get(tracked_download_url(document) + "?t=" + token)
    assert response.status_code == 404
    assert not DownloadCount.objects.exists()


def test_plain_download_counts_without_attribution(client, document):
    assert client.get(tracked_download_url(document)).status_code == 200
    assert download_total() == 1
    assert client.get("/downloads/999999/missing.txt").status_code == 404
    assert client.post(tracked_download_url(document)).status_code == 405
    assert download_total() == 1


def test_counts_are_one_row_per_day(document):
    today = datetime.date(2027, 3, 1)
    for _ in range(3):
        record_download(document, day=today)
    record_download(document, day=today + datetime.timedelta(days=1))
    assert sorted(DownloadCount.objects.values_list("day", "count")) == [
        (today, 3),
        (today + datetime.timedelta(days=1), 1),
    ]
    assert download_counts(start=today, end=today, group_by=("day",)) == [{"day": today, "downloads": 3}]


def test_resource_page_links_its_documents_through_the_counter(client, document):
    resource = make_resource(
        "Guide for parents",
        audiences=["parents-carers"],
        body=[{"type": "download", "value": {"document": document.pk, "label": "The guide (TXT)"}}],
    )
    html = client.get(resource.url).content.decode()
    assert tracked_download_url(document, resource=resource).replace("&", "&amp;") in html


def test_staff_see_download_counts_and_export_them(admin_client, document):
    import io

    import openpyxl
    from django.test import Client
    from django.urls import reverse

    client = Client()
    resource = make_resource("Parents' guide", audiences=["parents-carers"])
    client.get(tracked_download_url(document, resource=resource, campaign_id=5))
    html = admin_client.get(reverse("resources_downloads")).content.decode()
    assert "Parents&#x27; guide" in html or "Parents' guide" in html
    response = admin_client.get(reverse("resources_downloads") + "?export=xlsx&campaign_id=5")
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0] == ("Day", "Resource", "Document", "Campaign id", "Organisation id", "Downloads")
    assert rows[1][1:] == ("Parents' guide", "Guide", 5, 0, 1)
    assert client.get(reverse("resources_downloads")).status_code == 302
