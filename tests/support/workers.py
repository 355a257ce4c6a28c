"""Starting real Celery worker processes against the test database, for service-backed tests."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

from cms.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def start_worker(outbox, *, concurrency=4, extra_env=None, wait=True):
    """Start a worker on the test broker and database; its sent emails land as files in `outbox`."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "TEST_WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
        "TEST_WORKER_OUTBOX_DIR": str(outbox),
        **(extra_env or {}),
    }
    name = f"test-{uuid.uuid4().hex[:8]}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "-Q",
            "default,mail",
            "--pool=threads",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{name}@%h",
            "--loglevel=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    process.worker_name = name
    process.outbox = Path(outbox)
    if wait:
        wait_until_ready(process)
    return process


def wait_until_ready(process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
        replies = celery_app.control.ping(timeout=0.5) or []
        if any(process.worker_name in key for reply in replies for key in reply):
            return
    stop_worker(process)
    raise RuntimeError(f"the Celery worker did not answer within {timeout} seconds")


def stop_worker(process, timeout=20):
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class SharedWorker:
    """The test session's worker, which a fault test may stop and start again."""

    def __init__(self, outbox):
        self.outbox = Path(outbox)
        self.process = None

    def start(self):
        if self.process is None or self.process.poll() is not None:
            self.process = start_worker(self.outbox)
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            stop_worker(self.process)
        self.process = None
