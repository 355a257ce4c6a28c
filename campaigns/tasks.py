"""Celery tasks for campaigns: thin and idempotent, each calling a service."""

from celery import shared_task

from campaigns.services import messaging


@shared_task(name="campaigns.mail.send_outbound_message", bind=True, max_retries=len(messaging.RETRY_DELAYS))
def send_outbound_message(self, message_id):
    try:
        messaging.deliver(message_id)
    except messaging.TransientSendError as exc:
        # The back-off follows the message's own attempt count, not this task's retry count: a
        # duplicate or requeued task must not start the schedule again.
        attempts = messaging.attempts_of(message_id)
        delay = messaging.retry_delay(attempts)
        if delay is None or self.request.retries >= self.max_retries:
            messaging.mark_failed(message_id, f"Gave up after {attempts} attempts: {exc}")
            return
        messaging.schedule_retry(message_id, delay)
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name="campaigns.mail.enqueue_outbound_messages")
def enqueue_outbound_messages(message_ids):
    """Fan a large send out into one sending task per message."""
    for message_id in message_ids:
        send_outbound_message.delay(message_id)


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


@shared_task(name="campaigns.import_schools")
def import_schools(job_id):
    from campaigns.services import schools_import

    schools_import.run_import_job(job_id)


# --- bookings, waiting list, reminders, reconciliation ----------------------------------------------


@shared_task(name="campaigns.bookings.expire_waiting_list_offers")
def expire_waiting_list_offers():
    """Release offers nobody accepted in time, and offer free places to people waiting."""
    from campaigns.services import waiting_list

    expired = waiting_list.expire_offers()
    offered = waiting_list.offer_places_everywhere()
    return {"expired": expired, "offered": offered}


@shared_task(name="campaigns.bookings.send_reminders")
def send_booking_reminders():
    from campaigns.services import reminders

    return reminders.send_due_reminders()


@shared_task(name="campaigns.bookings.reconcile_places")
def reconcile_places():
    from campaigns.services import reconciliation

    return len(reconciliation.reconcile())


@shared_task(name="campaigns.apply_retention")
def apply_retention():
    """Nightly: remove personal data past its retention period (counts are kept)."""
    from campaigns.services.privacy import apply_retention as remove_expired_personal_data

    remove_expired_personal_data()
