"""Celery tasks of the library: thin, each running a command or a service. Scheduled by Celery beat."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="resources.publish_scheduled")
def publish_scheduled():
    """Every few minutes: pages whose go-live or expiry time has come (children's pages only if reviewed)."""
    call_command("publish_scheduled")
