"""Site-wide Celery tasks."""

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from cms.models import JobHeartbeat

SCHEDULER = "scheduler"


def background_silence(now=None):
    """How long the scheduler's heartbeat has gone unrun, when that is longer than allowed; else None.

    The heartbeat is sent by the scheduler and run by a worker, so a silence means one of them stopped.
    Returns the string "never" when no heartbeat has ever run.
    """
    now = now or timezone.now()
    last = JobHeartbeat.objects.filter(name=SCHEDULER).values_list("last_run_at", flat=True).first()
    if last is None:
        return "never"
    silent = now - last
    return silent if silent.total_seconds() > settings.BACKGROUND_SILENT_AFTER_SECONDS else None


def record_heartbeat(name):
    now = timezone.now()
    updated = JobHeartbeat.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1)
    if not updated:
        JobHeartbeat.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})


@shared_task(name="cms.heartbeat")
def heartbeat(name=SCHEDULER):
    """Run by beat every few minutes: shows the worker and scheduler are alive."""
    record_heartbeat(name)
