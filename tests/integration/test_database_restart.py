"""PostgreSQL restarting under a live site: requests fail cleanly while it is down, then the same web
processes recover on their own.

The test runs its own throwaway PostgreSQL cluster so restarting it disturbs nothing else.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]


def pg_bin(name):
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not versions:
        pytest.skip("PostgreSQL server binaries are not installed")
    return str(versions[-1] / name)


def as_postgres(*args):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=120)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return "no answer"
    finally:
        conn.close()


@pytest.fixture
def throwaway_cluster():
    # Not under pytest's private tmp folder: the postgres user must be able to reach it.
    tmp_path = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    tmp_path.chmod(0o755)
    data = tmp_path / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(tmp_path, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    as_postgres(pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres")
    ctl = [pg_bin("pg_ctl"), "-D", str(data), "-o", f"-p {port} -k {tmp_path} -c listen_addresses=127.0.0.1"]
    as_postgres(*ctl, "-w", "-l", str(tmp_path / "pg.log"), "start")
    as_postgres(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "site")
    yield port, ctl, tmp_path
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *ctl, "-m", "immediate", "stop"]
        if os.geteuid() == 0
        else [*ctl, "stop"],
        capture_output=True,
        timeout=60,
    )
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_site_answers_503_while_postgres_restarts_then_recovers_without_restarting_web_processes(
    throwaway_cluster,
):
    port, ctl, tmp = throwaway_cluster
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/site",
        "TEST_WORKER_DATABASE_NAME": "site",
        # Persistent connections with health checks, as in production.
        "TEST_DATABASE_CONN_MAX_AGE": "600",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    web_port = free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi:application",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while get(web_port, "/healthz") != 200:
            assert time.monotonic() < deadline, "the site did not start"
            time.sleep(0.3)
        assert all(get(web_port, "/") == 200 for _ in range(10))
        pids_before = web.pid

        as_postgres(*ctl, "-m", "fast", "-w", "stop")
        during = {path: {get(web_port, path) for _ in range(3)} for path in ("/", "/healthz", "/events/")}
        # The health check says the database is down; every page is either a clean 503 or one that needs
        # no database at all (a plain page served from the remembered route and content), never a 500.
        assert during["/healthz"] == {503}, f"the health check must report the database down: {during}"
        assert all(statuses <= {200, 503} for statuses in during.values()), (
            f"while the database is down a request gets a clean 503 or a page needing no database: {during}"
        )

        as_postgres(*ctl, "-w", "-l", str(tmp / "pg.log"), "start")
        deadline = time.monotonic() + 30
        statuses = []
        while time.monotonic() < deadline:
            statuses = [get(web_port, "/") for _ in range(6)]
            if statuses == [200] * 6:
                break
            time.sleep(0.5)
        assert statuses == [200] * 6, f"the site did not recover after the restart: {statuses}"
        assert web.poll() is None and web.pid == pids_before, "the web processes must not have been restarted"
    finally:
        web.terminate()
        web.wait(timeout=20)
