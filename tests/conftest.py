"""Shared fixtures: factories' data, a real Celery worker on Redis, and the browser."""

import os
import shutil
import time

import pytest
import redis
from django.db import connection

from cms.celery import app as celery_app
from tests.support.workers import SharedWorker

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    """Service-backed tests need PostgreSQL: outside the PostgreSQL pass they are skipped, loudly in CI."""
    on_postgres = bool(os.environ.get("TEST_DATABASE_URL"))
    for item in items:
        if "services" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL and Redis (run by `make test`'s second pass)")
            )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: public pages are cached across requests (cms/page_cache.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in English: a request under /pl/ leaves Polish active in the thread afterwards."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        username="staff-admin", email="staff-admin@example.org", password="password"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker process consuming from Redis and writing to the test PostgreSQL database.

    Its email backend writes each sent message to an outbox folder, which tests can count.
    """
    if connection.vendor != "postgresql" or not os.environ.get("TEST_REDIS_URL"):
        pytest.skip("a real worker needs PostgreSQL and Redis")
    # The test broker is a Redis database of its own: start from empty queues.
    redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).flushdb()
    worker = SharedWorker(tmp_path_factory.mktemp("worker-outbox")).start()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """Send tasks to the real worker for the length of a test (instead of running them eagerly)."""
    celery_worker_process.start()
    celery_app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        celery_app.conf.task_always_eager = True


def wait_for(condition, timeout=30, interval=0.1, message="condition"):
    """Poll until `condition()` is truthy; fail with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        if IN_CI:
            pytest.fail("Chromium is required for the browser tests under CI=true")
        pytest.skip("Browser tests skipped: Chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium (Debian's package) for the whole session, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM_ARGS

    # Playwright's sync API runs an event loop in the test thread; the ORM calls made by test bodies are
    # still synchronous and safe. Set only while browser tests run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (desktop size) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh tab the size of a phone, for registers taken on the day."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    tab = context.new_page()
    yield tab
    context.close()
