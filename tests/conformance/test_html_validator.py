"""The Nu Html Checker (vnu.jar, pinned in package.json) finds no errors on any public page of the demo.

Every page is fetched with the test client, written to a folder, and checked in one run of the checker.
"""

import json
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def error_pages():
    """The 403 page as Django's handler renders it (no public page refuses a visitor outright)."""
    request = RequestFactory().get("/private/")
    return {"forbidden": defaults.permission_denied(request, PermissionDenied()).content}


def test_every_public_page_is_valid_html(vnu_jar, demo_site, tmp_path):
    java, jar = vnu_jar
    client = Client()
    rendered = {}
    for name, url in demo_site["pages"].items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, url, response.status_code)
        rendered[name] = response.content

    session = demo_site["session"]
    invitation = demo_site["invitation"]
    # A booking form sent back with errors, on both booking routes.
    rendered["booking-form-errors"] = client.post(
        f"/invitation/{invitation.token}/sessions/{session.pk}/book/",
        {"pupils": "-3", "booker_email": "nope"},
    ).content
    rendered["open-booking-form-errors"] = client.post(
        f"/sessions/{session.pk}/book/", {"booker_email": "nope"}
    ).content
    rendered["manage-booking-errors"] = client.post(
        f"/bookings/{demo_site['booking'].manage_token}/", {"pupils": "abc"}
    ).content
    rendered["method-not-allowed"] = client.post("/certificates/verify/").content
    rendered["csrf-refused"] = (
        Client(enforce_csrf_checks=True).post(f"/sessions/{session.pk}/book/", {}).content
    )
    rendered.update(error_pages())

    folder = tmp_path / "html"
    folder.mkdir()
    for name, content in rendered.items():
        (folder / f"{name}.html").write_bytes(content)

    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, sorted(folder.iterdir()))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    lines = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        f" -- {m.get('extract', '').strip()[:120]!r}"
        for m in errors
    ]
    print("\n".join(lines))
    print(f"Nu Html Checker: {len(errors)} errors in {len(rendered)} pages")
    assert lines == []
