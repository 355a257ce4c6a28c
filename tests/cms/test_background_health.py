"""When the worker or the scheduler stops, /healthz/background and the admin home say so."""

import datetime
import subprocess
import time
from pathlib import Path

import pytest
from django.utils import timezone

from cms.models import JobHeartbeat
from cms.tasks import SCHEDULER, heartbeat

pytestmark = pytest.mark.django_db


def beat(minutes_ago):
    JobHeartbeat.objects.update_or_create(
        name=SCHEDULER,
        defaults={"last_run_at": timezone.now() - datetime.timedelta(minutes=minutes_ago), "runs": 1},
    )


def test_a_fresh_heartbeat_is_healthy(client):
    heartbeat()
    assert client.get("/healthz/background").json() == {"status": "ok"}
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_silent_scheduler_or_worker_is_a_503_for_monitoring_and_noted_on_healthz(client):
    beat(minutes_ago=14)
    response = client.get("/healthz/background")
    assert response.status_code == 503
    assert response.json()["detail"] == "silent for 14 minutes"
    web = client.get("/healthz")
    assert web.status_code == 200  # web servers stay in service
    assert web.json()["background"] == "silent for 14 minutes"


def test_no_heartbeat_ever_is_silent_for_monitoring(client):
    response = client.get("/healthz/background")
    assert response.status_code == 503 and "no heartbeat" in response.json()["detail"]


def test_the_admin_home_warns_when_background_work_is_silent(admin_client):
    beat(minutes_ago=20)
    content = admin_client.get("/admin/").content.decode()
    assert "Background work has stopped" in content and "20 minutes" in content
    heartbeat()
    assert "Background work has stopped" not in admin_client.get("/admin/").content.decode()


def test_the_supervisor_make_run_uses_starts_a_stopped_worker_again(tmp_path):
    runs = tmp_path / "runs"
    supervise = Path(__file__).resolve().parents[2] / "bin" / "supervise"
    process = subprocess.Popen(
        [str(supervise), "sh", "-c", f"echo started >> {runs}; exit 1"],
        env={"SUPERVISE_DELAY": "0.2", "PATH": "/usr/bin:/bin"},
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (not runs.exists() or len(runs.read_text().split()) < 3):
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert len(runs.read_text().split()) >= 3
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "bin/supervise $(VENV)/bin/celery -A cms worker --beat" in makefile
