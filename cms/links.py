"""Absolute links for emails and calendar files, built from the configured public base URL."""

from django.conf import settings


def absolute_url(path):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{path}"
