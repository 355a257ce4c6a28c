"""The security header set: CSP and frame denial on public pages, HSTS and HTTPS redirects in production."""

import json

import pytest

from tests.cms.test_foundation import PRODUCTION_ENV, run_manage

pytestmark = pytest.mark.django_db

PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="safe-together.example.gov.uk")
secure = client.get("/healthz", secure=True)
plain = client.get("/healthz")
print(json.dumps({"secure": dict(secure.headers), "plain_status": plain.status_code,
                  "plain_location": plain.headers.get("Location", "")}))
"""


def test_public_pages_deny_framing_and_restrict_scripts(client):
    for path in ("/", "/resources/", "/events/", "/search/?query=online"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        ), path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert "camera=()" in response["Permissions-Policy"], path


def test_production_sends_hsts_and_redirects_plain_http_to_https():
    result = run_manage(["shell", "-c", PROBE], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "max-age=31536000" in answer["secure"]["Strict-Transport-Security"]
    assert "includeSubDomains" in answer["secure"]["Strict-Transport-Security"]
    assert answer["plain_status"] == 301 and answer["plain_location"].startswith("https://")
