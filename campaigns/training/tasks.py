"""Celery tasks of training: thin and idempotent, each calling a service. Scheduled by Celery beat."""

from celery import shared_task

from campaigns.training import cohorts
from campaigns.training import services as training


@shared_task(name="campaigns.training.send_expiry_reminders")
def send_training_expiry_reminders():
    cohorts.send_expiry_reminders()


@shared_task(name="campaigns.training.issue_due_certificates")
def issue_due_certificates():
    return training.issue_due_certificates()
