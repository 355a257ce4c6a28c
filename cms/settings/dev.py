"""The embedded default: SQLite and files under var/, no service to install.

Background work goes through a real Celery worker (started by `make run`) whose broker is a folder
of files under var/celery/ (cms/embedded_broker.py), so the same task code runs here as in production.
"""

import os

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR, secret_key_in, sqlite_database

# The demo shows the product's own error pages; DJANGO_DEBUG=1 shows Django's debugging pages instead.
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SERVE_MEDIA = True  # uploads under var/media/, served by the development server itself
# Signs certificate, unsubscribe and download links and sessions: SECRET_KEY from the environment, else a
# random key made on first start and kept in var/secret_key (git-ignored), so no two installations share one.
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_in(VAR_DIR / "secret_key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"

DATABASES = {"default": sqlite_database(VAR_DIR / "db.sqlite3")}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "cms.mail.OutboxEmailBackend"
OUTBOX_DIR = VAR_DIR / "outbox"

_celery_dir = VAR_DIR / "celery"
# A folder of message files that the web server and the worker share (cms/embedded_broker.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "embedded://")
if CELERY_BROKER_URL == "embedded://":
    for _sub in ("queue", "processed", "control"):
        (_celery_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),  # else ./control/ in whatever folder it runs from
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "") == "1"

# Static files as in production: `make run` collects them into var/static/ with fingerprinted names and
# gzip and Brotli copies, which WhiteNoise serves compressed and cached for a year. A file not collected yet
# (plain `manage.py runserver` straight after a change) is still found in the apps and served as it is.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cms.storage.DemoStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
