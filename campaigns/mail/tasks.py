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


def retry_later(message_id, error):
    """Schedule the next try of one message the provider could not take, or give it up."""
    attempts = sending.attempts_of(message_id)
    delay = sending.retry_delay(attempts)
    if delay is None:
        sending.mark_failed(message_id, f"Gave up after {attempts} attempts: {error}")
        return
    sending.schedule_retry(message_id, delay)
    send_outbound_message.apply_async((message_id,), countdown=delay)


@shared_task(name="campaigns.mail.send_outbound_batch")
def send_outbound_batch(message_ids):
    """Send a batch of messages over one provider connection (campaigns.mail.sending.deliver_batch).

    A message the provider could not take goes on alone, with its own back-off (send_outbound_message);
    the rest of the batch is not held up or sent again.
    """
    for message_id, error in sending.deliver_batch(message_ids):
        retry_later(message_id, error)


def batches(message_ids):
    size = sending.batch_size()
    ids = list(message_ids)
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@shared_task(name="campaigns.mail.enqueue_outbound_messages")
def enqueue_outbound_messages(message_ids):
    """Fan a large send out into sending tasks of one batch each."""
    for batch in batches(message_ids):
        send_outbound_batch.delay(batch)


@shared_task(name="campaigns.mail.requeue_stalled_messages")
def requeue_stalled_messages(now=None):
    """Every few minutes: send again what a dead worker left in "sending" or a lost task never sent.

    Returns (number found stalled in "sending", number enqueued again in all).
    """
    stalled, to_send = sending.reclaim_stalled(now)
    for message_id in to_send:
        send_outbound_message.delay(message_id)
    return stalled, len(to_send)
