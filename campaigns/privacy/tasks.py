"""Celery tasks of privacy: thin and idempotent, each calling a service. Scheduled by Celery beat."""

from celery import shared_task

from campaigns.privacy import services


@shared_task(name="campaigns.privacy.apply_retention")
def apply_retention():
    """Nightly: remove personal data past its retention period (counts are kept)."""
    services.apply_retention()
