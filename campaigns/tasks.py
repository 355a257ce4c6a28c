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
