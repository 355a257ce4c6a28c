"""Production: everything from environment variables; a missing required one stops start-up by name.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, ANYMAIL_PROVIDER,
ANYMAIL_WEBHOOK_SECRET, DEFAULT_FROM_EMAIL, WAGTAILADMIN_BASE_URL. Provider keys are given as
ANYMAIL_<SETTING>, for example ANYMAIL_POSTMARK_SERVER_TOKEN; see README.md.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_url
from .env import env, env_bool, env_int, env_list

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")

DATABASES = {
    "default": database_from_url(
        env("DATABASE_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        prepared_statements=env_bool("DATABASE_PREPARED_STATEMENTS", True),
    )
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "safe-together",
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL")

# Email through django-anymail; the provider is a setting, not code.
ANYMAIL_BACKENDS = {
    "amazon_ses": "anymail.backends.amazon_ses.EmailBackend",
    "brevo": "anymail.backends.brevo.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
    "mailjet": "anymail.backends.mailjet.EmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
    "resend": "anymail.backends.resend.EmailBackend",
    "sendgrid": "anymail.backends.sendgrid.EmailBackend",
    "sparkpost": "anymail.backends.sparkpost.EmailBackend",
}
ANYMAIL_PROVIDER = env("ANYMAIL_PROVIDER")
if ANYMAIL_PROVIDER not in ANYMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"ANYMAIL_PROVIDER must be one of {', '.join(sorted(ANYMAIL_BACKENDS))}, not {ANYMAIL_PROVIDER!r}."
    )
EMAIL_BACKEND = ANYMAIL_BACKENDS[ANYMAIL_PROVIDER]
# The provider's tracking webhook (/anymail/<provider>/tracking/) checks this `user:password` on every call;
# without it anyone could post forged delivery, click and bounce events.
env("ANYMAIL_WEBHOOK_SECRET")
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER"
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Search: PostgreSQL full-text through Wagtail's database backend.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Static files are compressed and fingerprinted; media may move to object storage by setting.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "var" / "static"))  # noqa: F405
MEDIA_ROOT = env("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))  # noqa: F405

# HTTPS everywhere. Behind a declared proxy (TRUSTED_PROXY_HOPS, see base.py) that terminates TLS, its
# X-Forwarded-Proto says whether the request came over HTTPS; with no proxy declared a client could set
# that header itself, so it is not read. USE_X_FORWARDED_HOST stays off: the proxy passes Host through.
if TRUSTED_PROXY_HOPS:  # noqa: F405
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Two-factor sign-in is required of superusers and staff who see personal data, unless turned off.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)
