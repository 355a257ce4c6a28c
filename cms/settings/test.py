"""Settings for the test suite.

SQLite by default (a file, so live-server and concurrency tests share it). When TEST_DATABASE_URL is
set, the suite runs against that PostgreSQL database instead; a real Celery worker started by the
tests uses TEST_REDIS_URL as its broker.
"""

import os

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, database_from_url, sqlite_database

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

_db_url = os.environ.get("TEST_DATABASE_URL")
if _db_url:
    # Prepared statements on, as in production; connections kept only when asked (the live-server bench).
    DATABASES = {
        "default": database_from_url(
            _db_url, conn_max_age=int(os.environ.get("TEST_DATABASE_CONN_MAX_AGE", "0"))
        )
    }
else:
    DATABASES = {"default": sqlite_database(VAR_DIR / "test-base.sqlite3")}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# A Celery worker started by the tests points at the test database pytest-django created.
if os.environ.get("TEST_WORKER_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DATABASE_NAME"]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
ANYMAIL = {"WEBHOOK_SECRET": "test-webhook-user:test-webhook-password"}
ANYMAIL_PROVIDER = "postmark"  # the tracking webhook the tests post to; sending uses anymail's test backend
OUTBOX_DIR = VAR_DIR / "test-outbox"

CELERY_BROKER_URL = os.environ.get("TEST_REDIS_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("TEST_WORKER_DATABASE_NAME")
CELERY_TASK_EAGER_PROPAGATES = True

WAGTAILADMIN_BASE_URL = "http://testserver"

if os.environ.get("TEST_WORKER_OUTBOX_DIR"):
    EMAIL_BACKEND = "cms.mail.OutboxEmailBackend"
    OUTBOX_DIR = os.environ["TEST_WORKER_OUTBOX_DIR"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True

if os.environ.get("TEST_WORKER_SEND_DELAY"):
    EMAIL_BACKEND = "tests.support.mail.SlowOutboxBackend"

# Messages left in "sending" by a dead worker are put back after this long (production: 10 minutes).
MAIL_STALLED_AFTER_SECONDS = int(os.environ.get("TEST_MAIL_STALLED_AFTER_SECONDS", "600"))

# Fault injection for service tests: a worker may be started with another email backend (see
# tests/support/flaky_mail.py) and short retry back-offs, so "fails, retries, then succeeds" runs in seconds.
if os.environ.get("TEST_WORKER_EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["TEST_WORKER_EMAIL_BACKEND"]
if os.environ.get("TEST_MAIL_RETRY_DELAYS"):
    MAIL_RETRY_DELAYS = [int(part) for part in os.environ["TEST_MAIL_RETRY_DELAYS"].split(",")]
