"""The Django project: settings, URLs, Celery app and the public site shell."""

from .celery import app as celery_app

__all__ = ("celery_app",)
