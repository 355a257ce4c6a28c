"""Site-wide Celery tasks."""

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from cms.models import JobHeartbeat


def record_heartbeat(name):
    now = timezone.now()
    updated = JobHeartbeat.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1)
    if not updated:
        JobHeartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})


@shared_task(name="cms.heartbeat")
def heartbeat(name="scheduler"):
    """Run by beat every few minutes: shows the worker and scheduler are alive."""
    record_heartbeat(name)
