"""Settings shared by every environment. Environment-specific files import * from here."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"

INSTALLED_APPS = [
    # Our apps, in dependency order: campaigns -> events -> resources -> cms.
    "cms",
    "resources",
    "events",
    "campaigns",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Email through any provider
    "anymail",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.SecurityHeadersMiddleware",
    "cms.middleware.UnreadableInputMiddleware",
    "cms.middleware.DatabaseUnavailableMiddleware",
    "cms.middleware.MalformedWebhookMiddleware",
    "cms.page_cache.PublicPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project-wide templates, then each campaigns concept's own templates/ folder
        # (campaigns/bookings/templates/campaigns/bookings/…), found by the concept's folder name.
        "DIRS": [BASE_DIR / "templates", *sorted((BASE_DIR / "campaigns").glob("*/templates"))],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cms.context_processors.help_contacts",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Sessions and CSRF: the public site sets no cookie of its own except Django's CSRF cookie on forms.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Wagtail
WAGTAIL_SITE_NAME = "Safe Together"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Email: every message goes through campaigns' OutboundMessage pipeline and then this backend.
DEFAULT_FROM_EMAIL = "Safe Together <campaigns@safe-together.example>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {}

# Celery: JSON only, late acknowledgement for idempotent tasks, mail on its own queue.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Every email goes through the `mail` queue (campaigns.mail.*); everything else through `default`.
CELERY_TASK_ROUTES = {
    "campaigns.mail.*": {"queue": "mail"},
}
CELERY_BEAT_SCHEDULE = {
    "cms-heartbeat": {
        "task": "cms.heartbeat",
        "schedule": crontab(minute="*/15"),
    },
    # Emails whose worker died mid-send, or whose task was lost, are put back in the queue.
    "campaigns-requeue-stalled-messages": {
        "task": "campaigns.mail.requeue_stalled_messages",
        "schedule": crontab(minute="*/5"),
    },
    # Bookings: offers expire on time, reminders go out, counters are checked nightly.
    "bookings-expire-waiting-list-offers": {
        "task": "campaigns.bookings.expire_waiting_list_offers",
        "schedule": crontab(minute="*/5"),
    },
    "bookings-send-reminders": {
        "task": "campaigns.bookings.send_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "bookings-reconcile-places": {
        "task": "campaigns.bookings.reconcile_places",
        "schedule": crontab(hour=2, minute=30),
    },
    "campaigns-training-expiry-reminders": {
        "task": "campaigns.training.send_expiry_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    "campaigns-apply-retention": {
        "task": "campaigns.privacy.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "library-review-reminders": {
        "task": "campaigns.library.send_review_reminders",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}

# Bookings: how long a waiting-list offer holds its places, when reminders go out, and how many public
# booking form posts one client may make per minute (raised for load tests through the environment).
WAITING_LIST_OFFER_HOURS = 48
BOOKING_REMINDER_OFFSETS_DAYS = [7, 1]
BOOKING_RATE_LIMIT_PER_MINUTE = int(os.environ.get("BOOKING_RATE_LIMIT_PER_MINUTE", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        # Wagtail's in-process search and reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}


def database_from_url(url, *, conn_max_age, prepared_statements=True):
    """A database from its URL (PostgreSQL in production), kept open for `conn_max_age` seconds.

    With `prepared_statements`, psycopg sends parameters apart from the SQL (server-side binding) and
    prepares a statement the fifth time a connection runs it, so PostgreSQL plans the hot queries of a
    booking once per connection instead of on every request: that halved the database's CPU time per
    booking in `make bench`. Turn it off behind a pooler that cannot keep prepared statements (PgBouncer
    in transaction mode before 1.21, or without `max_prepared_statements`).
    """
    database = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if prepared_statements and database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
    return database


def sqlite_database(path):
    """An embedded SQLite database that lets concurrent writers wait rather than fail."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
        },
    }
