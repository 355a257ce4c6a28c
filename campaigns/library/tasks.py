"""Celery tasks the campaigns side runs for the materials library: thin, each calling a service."""

from celery import shared_task

from campaigns.library import services


@shared_task(name="campaigns.library.send_review_reminders")
def send_review_reminders():
    """Weekly: remind owners of library pages past their review date (at most once per page per week)."""
    services.send_review_reminders()
