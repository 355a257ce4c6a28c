"""Celery tasks for campaigns: thin and idempotent, each calling a service."""

from celery import shared_task

from campaigns.services import messaging

RETRY_DELAYS = [30, 60, 120, 300, 600, 1800, 3600, 7200]


@shared_task(name="campaigns.mail.send_outbound_message", bind=True, max_retries=len(RETRY_DELAYS))
def send_outbound_message(self, message_id):
    try:
        messaging.deliver(message_id)
    except messaging.TransientSendError as exc:
        if self.request.retries >= self.max_retries:
            messaging.mark_failed(message_id, f"Gave up after {self.request.retries + 1} attempts: {exc}")
            return
        raise self.retry(exc=exc, countdown=RETRY_DELAYS[self.request.retries]) from exc


@shared_task(name="campaigns.mail.requeue_stalled_messages")
def requeue_stalled_messages():
    messaging.requeue_stalled_messages()


@shared_task(name="campaigns.training.send_expiry_reminders")
def send_training_expiry_reminders():
    from campaigns.services import cohorts

    cohorts.send_expiry_reminders()


@shared_task(name="campaigns.review_reminders")
def review_reminders():
    """Weekly: remind owners of library pages past their review date (at most once per page per week)."""
    from campaigns.services.review_reminders import send_review_reminders

    send_review_reminders()
