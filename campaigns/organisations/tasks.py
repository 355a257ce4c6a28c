"""Celery tasks of organisations: thin and idempotent, each calling a service."""

from celery import shared_task

from campaigns.organisations import services


@shared_task(name="campaigns.organisations.import_schools")
def import_schools(job_id):
    """Run one uploaded register import (a repeated task finds the job started and does nothing)."""
    services.run_import_job(job_id)
