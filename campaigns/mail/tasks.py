"""Celery tasks of the email pipeline: thin and idempotent, each calling campaigns.mail.sending.

Named `campaigns.mail.*`, so they are routed to the `mail` queue (CELERY_TASK_ROUTES).
"""

from celery import shared_task

from campaigns.mail import sending


@shared_task(name="campaigns.mail.send_outbound_message", bind=True, max_retries=len(sending.RETRY_DELAYS))
def send_outbound_message(self, message_id):
    try:
        sending.deliver(message_id)
    except sending.TransientSendError as exc:
        # The back-off follows the message's own attempt count, not this task's retry count: a
        # duplicate or requeued task must not start the schedule again.
        attempts = sending.attempts_of(message_id)
        delay = sending.retry_delay(attempts)
        if delay is None or self.request.retries >= self.max_retries:
            sending.mark_failed(message_id, f"Gave up after {attempts} attempts: {exc}")
            return
        sending.schedule_retry(message_id, delay)
        raise self.retry(exc=exc, countdown=delay) from exc


@shared_task(name="campaigns.mail.enqueue_outbound_messages")
def enqueue_outbound_messages(message_ids):
    """Fan a large send out into one sending task per message."""
    for message_id in message_ids:
        send_outbound_message.delay(message_id)


@shared_task(name="campaigns.mail.requeue_stalled_messages")
def requeue_stalled_messages(now=None):
    """Every few minutes: send again what a dead worker left in "sending" or a lost task never sent.

    Returns (number found stalled in "sending", number enqueued again in all).
    """
    stalled, to_send = sending.reclaim_stalled(now)
    for message_id in to_send:
        send_outbound_message.delay(message_id)
    return stalled, len(to_send)
