"""Nothing is lost and nothing is doubled when a worker dies in the middle of a large send."""

import signal
from collections import Counter
from datetime import timedelta

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from campaigns.mail import services as messaging
from campaigns.mail import tasks as mail_tasks
from campaigns.models import MessageKind, MessageState, OutboundMessage
from cms.celery import app as celery_app
from tests.conftest import wait_for
from tests.factories import CampaignFactory
from tests.support.workers import start_worker, stop_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

MESSAGES = 200


def recipients_in(outbox):
    """How many times each address received a message, read from the worker's outbox files."""
    counts = Counter()
    for path in outbox.glob("*.eml"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                counts[line[4:].strip()] += 1
                break
    return counts


def test_killed_worker_mid_send_loses_nothing_and_repeats_at_most_the_messages_in_flight(
    tmp_path, settings, celery_worker_process
):
    # The session's shared worker is stopped for this test so only the two workers below consume.
    celery_worker_process.stop()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    celery_app.conf.task_always_eager = False
    outbox = tmp_path / "outbox"
    campaign = CampaignFactory()
    try:
        with transaction.atomic():
            for n in range(MESSAGES):
                messaging.queue_email(
                    to=f"school{n}@example.org",
                    subject="You are invited",
                    template="notice",
                    context={"message": "Walk Online is coming to your area."},
                    kind=MessageKind.CAMPAIGN,
                    campaign=campaign,
                )

        first = start_worker(outbox, concurrency=4, extra_env={"TEST_WORKER_SEND_DELAY": "0.02"})
        wait_for(
            lambda: OutboundMessage.objects.filter(state=MessageState.SENT).count() >= MESSAGES // 4,
            timeout=120,
            message="a quarter of the messages to be sent",
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        in_flight = OutboundMessage.objects.filter(state=MessageState.SENDING).count()
        assert OutboundMessage.objects.filter(state=MessageState.SENT).count() < MESSAGES, "killed too late"

        second = start_worker(outbox, concurrency=4)
        try:
            # The scheduled recovery job runs later in production; here it runs as if ten minutes had passed.
            mail_tasks.requeue_stalled_messages(now=timezone.now() + timedelta(minutes=11))
            wait_for(
                lambda: OutboundMessage.objects.filter(state=MessageState.SENT).count() == MESSAGES,
                timeout=180,
                message="every message to be sent after the restart",
            )
        finally:
            stop_worker(second)
    finally:
        celery_app.conf.task_always_eager = True
        celery_worker_process.start()

    received = recipients_in(outbox)
    assert set(received) == {f"school{n}@example.org" for n in range(MESSAGES)}, "a message was lost"
    doubled = [address for address, times in received.items() if times > 1]
    assert all(times <= 2 for times in received.values())
    # Only a message the provider accepted just before the kill may go out a second time.
    assert len(doubled) <= in_flight


def test_killed_worker_mid_batch_sends_the_rest_once_and_does_not_resend_what_it_recorded(
    tmp_path, settings, celery_worker_process
):
    # A campaign send goes in batches (one task claims and sends many): the worker dies part-way through.
    celery_worker_process.stop()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    celery_app.conf.task_always_eager = False
    outbox = tmp_path / "outbox"
    campaign = CampaignFactory()
    try:
        with transaction.atomic():
            messaging.queue_emails(
                [
                    {
                        "to": f"batch{n}@example.org",
                        "subject": "You are invited",
                        "template": "notice",
                        "context": {"message": "Walk Online is coming to your area."},
                        "kind": MessageKind.CAMPAIGN,
                        "campaign": campaign,
                        "dedupe_key": f"fault-batch:{n}",
                    }
                    for n in range(MESSAGES)
                ]
            )

        first = start_worker(outbox, concurrency=2, extra_env={"TEST_WORKER_SEND_DELAY": "0.02"})
        wait_for(
            lambda: OutboundMessage.objects.filter(state=MessageState.SENT).count() >= MESSAGES // 4,
            timeout=120,
            message="a quarter of the messages to be sent",
        )
        first.send_signal(signal.SIGKILL)
        first.wait()
        recorded = set(
            OutboundMessage.objects.filter(state=MessageState.SENT).values_list("to_email", flat=True)
        )
        assert len(recorded) < MESSAGES, "killed too late"
        assert OutboundMessage.objects.filter(state=MessageState.SENDING).exists(), "no batch was half-sent"

        second = start_worker(outbox, concurrency=2)
        try:
            mail_tasks.requeue_stalled_messages(now=timezone.now() + timedelta(minutes=11))
            wait_for(
                lambda: OutboundMessage.objects.filter(state=MessageState.SENT).count() == MESSAGES,
                timeout=180,
                message="every message to be sent after the restart",
            )
        finally:
            stop_worker(second)
    finally:
        celery_app.conf.task_always_eager = True
        celery_worker_process.start()

    received = recipients_in(outbox)
    assert set(received) == {f"batch{n}@example.org" for n in range(MESSAGES)}, "a message was lost"
    doubled = {address for address, times in received.items() if times > 1}
    assert all(times <= 2 for times in received.values())
    # What the dead worker had recorded as sent is never sent again; only a message the provider took in
    # the instant before the kill (one per worker thread at most) may go out twice.
    assert not doubled & recorded
    assert len(doubled) <= 2
