"""Celery tasks of reach: thin and idempotent. Scheduled by Celery beat."""

from celery import shared_task

from campaigns.reach import summaries


@shared_task(name="campaigns.reach.reconcile_summaries")
def reconcile_summaries():
    """Check every reach summary against its raw rows; log and correct any difference."""
    return len(summaries.reconcile())
