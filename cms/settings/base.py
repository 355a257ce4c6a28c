"""Settings shared by every environment. Environment-specific files import * from here."""

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from .env import env_int

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
    # Translating pages in the admin (the editor, PO export and import); replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "campaigns.accounts.apps.StaffUsersConfig",  # wagtail.users, with partner councils
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Two-factor sign-in for staff (cms/two_factor.py)
    "django_otp",
    "django_otp.plugins.otp_totp",
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
    # Languages: the URL prefix alone chooses (/pl/…, /ar/…; none for English), never a cookie or session.
    "cms.middleware.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.middleware.SecurityHeadersMiddleware",
    "cms.middleware.UnreadableInputMiddleware",
    "cms.middleware.DatabaseUnavailableMiddleware",
    "cms.middleware.MalformedWebhookMiddleware",
    "cms.middleware.MethodNotAllowedPageMiddleware",
    "cms.middleware.PrivateLinkNoStoreMiddleware",
    "cms.page_cache.PublicPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
# Background work counts as silent when the scheduler's heartbeat (every 2 minutes) has not run for this long.
BACKGROUND_SILENT_AFTER_SECONDS = int(os.environ.get("BACKGROUND_SILENT_AFTER_SECONDS", "600"))
# Staff sign-in: failed attempts counted per account and per address (cms.accounts); password resets sent
# through the email pipeline and limited per hour (campaigns.accounts).
WAGTAILADMIN_USER_LOGIN_FORM = "cms.accounts.ThrottledLoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "campaigns.accounts.forms.PipelinePasswordResetForm"
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 5
SIGN_IN_MAX_FAILURES_PER_ADDRESS = 20
SIGN_IN_LOCKOUT_SECONDS = 15 * 60
# Two-factor sign-in (a code from an authenticator app) for superusers and the roles that see personal data.
STAFF_TWO_FACTOR_REQUIRED = os.environ.get("STAFF_TWO_FACTOR_REQUIRED", "0") == "1"
STAFF_TWO_FACTOR_GROUPS = ["Campaign staff", "Register takers", "Licensing officers"]
OTP_TOTP_ISSUER = "Safe Together"
# A form posted after its CSRF cookie expired gets the product's page, with the help banner and a way on.
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

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

# Languages of the public site shell (help banner, navigation, booking pages and the booking emails), each
# named in itself for the language switcher. English has no URL prefix, so every old link stays as it was;
# the others are served under /<code>/ (cms/urls.py). Staff screens stay English.
# COMMUNITY_LANGUAGES (comma-separated codes, from those below) narrows or reorders the set.
LANGUAGE_NAMES = {
    "en-gb": "English",
    "pl": "Polski",
    "ro": "Română",
    "ur": "اردو",
    "ar": "العربية",
}
COMMUNITY_LANGUAGES = [
    code.strip() for code in os.environ.get("COMMUNITY_LANGUAGES", "pl,ro,ur,ar").split(",") if code.strip()
]
if unknown := [code for code in COMMUNITY_LANGUAGES if code not in LANGUAGE_NAMES or code == LANGUAGE_CODE]:
    raise ImproperlyConfigured(
        f"COMMUNITY_LANGUAGES holds {', '.join(unknown)}: choose from {', '.join(list(LANGUAGE_NAMES)[1:])}."
    )
LANGUAGES = [(LANGUAGE_CODE, LANGUAGE_NAMES[LANGUAGE_CODE])] + [
    (code, LANGUAGE_NAMES[code]) for code in COMMUNITY_LANGUAGES
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Wagtail's content locales are the same list: a Locale is made for each after every migrate (cms.locales),
# and editors translate pages with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A new translation of a page starts as a draft: it goes live through the same review as the English.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

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
# Form fields other than files stay under Django's 2.5 MB; an uploaded file larger than 5 MB is streamed to a
# temporary file (FILE_UPLOAD_TEMP_DIR, default the system's) instead of being held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
# The largest schools register file the admin accepts, in MB: the national "all establishment data" CSV is
# about 60-70 MB.
SCHOOL_REGISTER_MAX_UPLOAD_MB = int(os.environ.get("SCHOOL_REGISTER_MAX_UPLOAD_MB", "100"))

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
# The file behind an image or document used by a page for children is replaced only by a safeguarding reviewer.
WAGTAILIMAGES_IMAGE_FORM_BASE = "resources.forms.ReviewedImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "resources.forms.ReviewedDocumentForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Email: every message goes through campaigns' OutboundMessage pipeline and then this backend.
DEFAULT_FROM_EMAIL = "Safe Together <campaigns@safe-together.example>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {}
# The email provider whose tracking webhook is served at /anymail/<provider>/tracking/ (cms/webhooks.py);
# none here, so no webhook is mounted.
ANYMAIL_PROVIDER = ""

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
    # Sent by the scheduler and run by a worker: its arrival shows both are alive (/healthz/background).
    "cms-heartbeat": {
        "task": "cms.heartbeat",
        "schedule": crontab(minute="*/2"),
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
    "bookings-expire-unconfirmed": {
        "task": "campaigns.bookings.expire_unconfirmed_bookings",
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
    # Reach summaries are checked against their bookings, registers and invitations nightly.
    "reach-reconcile-summaries": {
        "task": "campaigns.reach.reconcile_summaries",
        "schedule": crontab(hour=2, minute=45),
    },
    # Training certificates are issued once their session has ended, never earlier.
    "campaigns-training-issue-due-certificates": {
        "task": "campaigns.training.issue_due_certificates",
        "schedule": crontab(minute="*/10"),
    },
    "campaigns-training-expiry-reminders": {
        "task": "campaigns.training.send_expiry_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    "campaigns-apply-retention": {
        "task": "campaigns.privacy.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    # Scheduled go-live and expiry of pages (a page for children only when a reviewer approved it).
    "library-publish-scheduled": {
        "task": "resources.publish_scheduled",
        "schedule": crontab(minute="*/5"),
    },
    "library-review-reminders": {
        "task": "campaigns.library.send_review_reminders",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}

# Bookings: how long a waiting-list offer holds its places, how long an open booking for a school holds
# them until the school confirms it, when reminders go out, and how many public booking form posts one
# client may make per minute (raised for load tests through the environment).
WAITING_LIST_OFFER_HOURS = 48
OPEN_BOOKING_HOLD_HOURS = 24
# Registers can be changed from the day of the session until this many days after it ends; later
# corrections need the campaigns.correct_closed_registers permission.
REGISTER_EDIT_DAYS = 14
BOOKING_REMINDER_OFFSETS_DAYS = [7, 1]
BOOKING_RATE_LIMIT_PER_MINUTE = int(os.environ.get("BOOKING_RATE_LIMIT_PER_MINUTE", "20"))

# Evaluations: no figure from fewer respondents than this is shown anywhere (dashboards, exports, school
# reports, the API); a session's quiz code works until this many days after the session; one code takes at
# most this many submissions a minute (a class of thirty at once), and one client may try this many codes.
EVALUATION_MIN_RESPONDENTS = 5
EVALUATION_CODE_DAYS = 14
# A trainee's personal link to the evaluation, where the course asks for it before the certificate.
TRAINEE_EVALUATION_LINK_DAYS = 60
EVALUATION_SUBMISSIONS_PER_CODE_PER_MINUTE = int(
    os.environ.get("EVALUATION_SUBMISSIONS_PER_CODE_PER_MINUTE", "60")
)
EVALUATION_CODE_TRIES_PER_MINUTE = 10

# How many proxies in front of the web processes add to X-Forwarded-For (one TLS proxy: 1; a CDN in front
# of it: 2). Rate limits then key on the address the outermost of them saw (cms.ratelimit.client_ip), and
# production trusts X-Forwarded-Proto. 0, the default, means none: the connecting address is the client's.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("The environment variable TRUSTED_PROXY_HOPS must be 0 or more.")

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


def secret_key_in(path):
    """The secret key kept in the file at `path`, made at random the first time (readable by its owner only).

    For the embedded default, so a demo left running signs its links with a key of its own rather than one
    printed in the source. The file is written whole under another name and then linked into place, so of
    processes starting together (web server and worker) one makes it and every one reads the same key.
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(50) + "\n")
            with contextlib.suppress(FileExistsError):  # another process made it first: use that one
                os.link(draft, path)
        finally:
            os.unlink(draft)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty: delete it and a new secret key will be made.")
    return key
