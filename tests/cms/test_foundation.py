"""The site shell: pages render, the admin is there, demo data loads once, production settings are safe."""

import ast
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from campaigns.models import Campaign, Organisation, OrganisationKind
from cms.models import Authority, HomePage, JobHeartbeat, StandardPage
from cms.tasks import heartbeat
from events.models import Venue
from resources.models import ResourcePage
from tests.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "safe-together.example.gov.uk",
    "CSRF_TRUSTED_ORIGINS": "https://safe-together.example.gov.uk",
    "DATABASE_URL": "postgres://app@db.internal:5432/safe_together",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
    "REDIS_URL": "redis://cache.internal:6379/1",
    "ANYMAIL_PROVIDER": "postmark",
    "ANYMAIL_POSTMARK_SERVER_TOKEN": "server-token",
    "ANYMAIL_WEBHOOK_SECRET": "hook-user:hook-password",
    "DEFAULT_FROM_EMAIL": "Safe Together <campaigns@example.gov.uk>",
    "WAGTAILADMIN_BASE_URL": "https://safe-together.example.gov.uk",
}


def run_manage(args, env):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "TEST_", "ANYMAIL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_home_page_is_a_live_wagtail_page(client):
    home = HomePage.objects.get()
    assert home.live
    response = client.get("/")
    assert response.status_code == 200
    assert b"Safe Together" in response.content
    assert b"Worried about a child?" in response.content
    assert b"Leave this site quickly" in response.content


@pytest.mark.django_db
def test_public_pages_send_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert not response.cookies, "the public home page must set no cookies"


@pytest.mark.django_db
def test_admin_login_page_renders(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content


@pytest.mark.django_db
def test_admin_dashboard_needs_login(admin_client):
    assert Client().get("/admin/").status_code == 302
    assert admin_client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_health_check_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    first = StringIO()
    call_command("seed_demo", stdout=first)
    assert "Created the demo admin account" in first.getvalue()
    # The taxi-driver certificate link is printed like the other demo links, on every run.
    assert "Taxi-driver certificate" in first.getvalue() and "/certificates/" in first.getvalue()

    def counts():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label in {"cms", "resources", "events", "campaigns", "wagtailcore", "auth"}
            and not model._meta.label.endswith(("Revision", "LogEntry", "JobHeartbeat"))
        }

    before = counts()
    second = StringIO()
    call_command("seed_demo", stdout=second)
    assert counts() == before
    assert "Created the demo admin account" not in second.getvalue()
    assert "Taxi-driver certificate" in second.getvalue()


# Columns a re-run may legitimately touch without changing anything anyone sees or set.
VOLATILE_COLUMNS = {"updated_at", "last_login", "latest_revision_created_at"}


def _snapshot():
    """Every row of the product's tables, as stored (less the volatile columns), by model and primary key."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"cms", "resources", "events", "campaigns", "wagtailcore", "auth"}:
            continue
        if model._meta.label.endswith(("Revision", "LogEntry", "JobHeartbeat")) or model._meta.proxy:
            continue
        for row in model.objects.order_by("pk").values():
            rows[(model._meta.label, row["id"] if "id" in row else str(row))] = {
                key: value for key, value in row.items() if key not in VOLATILE_COLUMNS
            }
    return rows


@pytest.mark.django_db
def test_seed_demo_again_keeps_what_staff_changed_and_changes_nothing_else(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "demo-password-for-tests")
    call_command("seed_demo", stdout=StringIO())

    school = (
        Organisation.objects.filter(kind=OrganisationKind.SCHOOL, urn__isnull=False).order_by("pk").first()
    )
    school.name = "Renamed by the council"
    school.save()
    church = Organisation.objects.filter(kind=OrganisationKind.FAITH).order_by("pk").first()
    church.name = "Church renamed by the council"
    church.save()
    about = StandardPage.objects.get(slug="about")
    about.title = "About our partnership"
    about.save_revision().publish()
    material = ResourcePage.objects.order_by("pk").first()
    material.title = "A material retitled by an editor"
    material.save_revision().publish()
    venue = Venue.objects.get(name="Stanford Community Hall")
    venue.name = "Stanford-le-Hope Community Hall"
    venue.save()
    campaign = Campaign.objects.get(code="WO27")
    campaign.target_reach = 4321
    campaign.save()
    council = Authority.objects.get(code="northshire")
    council.name = "Thurrock Council"
    council.front_door_phone = ""  # "leave blank until you have it"
    council.save()
    changed = _snapshot()

    call_command("seed_demo", stdout=StringIO())

    assert Organisation.objects.get(pk=school.pk).name == "Renamed by the council"
    assert Organisation.objects.get(pk=church.pk).name == "Church renamed by the council"
    assert StandardPage.objects.get(pk=about.pk).title == "About our partnership"
    assert ResourcePage.objects.get(pk=material.pk).title == "A material retitled by an editor"
    assert Campaign.objects.get(pk=campaign.pk).target_reach == 4321
    assert not Venue.objects.filter(name="Stanford Community Hall").exists()
    council = Authority.objects.get(pk=council.pk)
    assert (council.name, council.front_door_phone) == ("Thurrock Council", "")
    after = _snapshot()
    assert after.keys() == changed.keys()
    assert [key for key in after if after[key] != changed[key]] == []

    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == after


def test_production_settings_pass_deploy_checks():
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_name_a_missing_variable():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DATABASE_URL"}
    result = run_manage(["check"], env)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize(("setting", "prepared"), [(None, True), ("0", False)])
def test_production_prepares_statements_unless_a_pooler_cannot_keep_them(setting, prepared):
    env = dict(PRODUCTION_ENV)
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    show = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))"
    result = run_manage(["shell", "-c", show], env)
    assert result.returncode == 0, result.stderr
    options = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert options.get("server_side_binding", False) is prepared
    assert ("prepare_threshold" in options) is prepared


@pytest.mark.django_db
def test_heartbeat_task_records_a_run():
    heartbeat.delay("eager-check")
    assert JobHeartbeat.objects.get(name="eager-check").runs == 1


@pytest.mark.services
def test_task_sent_on_commit_reaches_a_real_worker(celery_worker):
    with transaction.atomic():
        transaction.on_commit(lambda: heartbeat.delay("worker-check"))
        # Nothing is sent until the transaction commits.
        assert not JobHeartbeat.objects.filter(name="worker-check").exists()
    beat = wait_for(
        lambda: JobHeartbeat.objects.filter(name="worker-check").first(),
        message="the worker to record the heartbeat in PostgreSQL",
    )
    assert beat.runs == 1
