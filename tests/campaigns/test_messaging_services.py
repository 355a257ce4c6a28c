"""The email pipeline against real services: a Celery worker on Redis, PostgreSQL, and its outbox."""

import json
import threading
from collections import Counter

import pytest
import redis
from django.db import connection, transaction
from django.test import Client

from campaigns.invitations import services as invitations
from campaigns.mail import services as messaging
from campaigns.models import (
    Contact,
    EmailEvent,
    Invitation,
    InvitationState,
    MessageKind,
    MessageState,
    Organisation,
    OrganisationKind,
    OutboundMessage,
)
from campaigns.organisations.selectors import recipients_for
from cms.celery import app as celery_app
from tests.campaigns.test_webhooks import GOOD_AUTH, URL, delivery
from tests.conftest import wait_for
from tests.factories import CampaignFactory
from tests.support.workers import start_worker, stop_worker

pytestmark = [pytest.mark.services]


def addresses_in(outbox, domain):
    """How many emails each address at `domain` received, read from the worker's outbox files."""
    counts = Counter()
    for path in outbox.glob("*.eml"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                address = line[4:].strip().split("<")[-1].rstrip(">")
                if address.endswith("@" + domain):
                    counts[address] += 1
                break
    return counts


def queues_drained():
    """Nothing waiting in the broker and nothing running on any worker."""
    broker = redis.Redis.from_url(celery_app.conf.broker_url)
    if any(broker.llen(queue) for queue in ("mail", "default")):
        return False
    active = celery_app.control.inspect(timeout=1).active() or {}
    return all(not tasks for tasks in active.values())


def make_schools(count, domain):
    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.SCHOOL,
            name=f"Test Primary {n}",
            urn=700000 + n,
            local_authority="Thurrock",
            statutory_low_age=4,
            statutory_high_age=11,
        )
        for n in range(count)
    )
    Contact.objects.bulk_create(
        Contact(organisation=organisation, email=f"office{n}@{domain}")
        for n, organisation in enumerate(organisations)
    )


def test_a_thousand_invitations_are_each_sent_exactly_once(celery_worker):
    domain = "thousand.example.org"
    campaign = CampaignFactory()
    make_schools(1000, domain)

    sent = invitations.send_invitations(campaign, recipients_for(campaign))

    assert len(sent) == 1000
    wait_for(
        lambda: OutboundMessage.objects.filter(campaign=campaign, state=MessageState.SENT).count() == 1000,
        timeout=240,
        message="1,000 invitations to be sent",
    )
    wait_for(queues_drained, timeout=60, message="the queues to drain")
    received = addresses_in(celery_worker.outbox, domain)
    assert len(received) == 1000
    assert set(received.values()) == {1}
    assert Invitation.objects.filter(campaign=campaign, state=InvitationState.SENT).count() == 1000
    assert not OutboundMessage.objects.filter(campaign=campaign, provider_message_id="").exists()


def test_the_same_task_delivered_twice_sends_once(celery_worker):
    from campaigns.mail.tasks import send_outbound_message

    domain = "twice.example.org"
    with transaction.atomic():
        message = messaging.queue_email(
            to=f"office@{domain}",
            subject="Walk Online",
            template="notice",
            context={"message": "Hello"},
            kind=MessageKind.CAMPAIGN,
        )
        transaction.on_commit(lambda: send_outbound_message.delay(message.pk))
        transaction.on_commit(lambda: send_outbound_message.delay(message.pk))

    wait_for(
        lambda: OutboundMessage.objects.get(pk=message.pk).state == MessageState.SENT,
        message="the message to be sent",
    )
    wait_for(queues_drained, timeout=60, message="the duplicate tasks to run")
    assert addresses_in(celery_worker.outbox, domain) == {f"office@{domain}": 1}
    assert OutboundMessage.objects.get(pk=message.pk).attempts == 1


@pytest.fixture
def flaky_worker(celery_worker_process, transactional_db, tmp_path):
    """A worker whose provider refuses each address's first two sends, with one-second back-offs."""
    celery_worker_process.stop()
    celery_app.conf.task_always_eager = False
    worker = start_worker(
        tmp_path / "outbox",
        extra_env={
            "TEST_WORKER_EMAIL_BACKEND": "tests.support.flaky_mail.FlakyOutboxBackend",
            "TEST_WORKER_FAIL_FIRST": "2",
            "TEST_MAIL_RETRY_DELAYS": "1,1,1",
        },
    )
    try:
        yield worker
    finally:
        stop_worker(worker)
        celery_app.conf.task_always_eager = True
        celery_worker_process.start()


def test_provider_errors_are_retried_until_the_message_is_sent(flaky_worker):
    domain = "flaky.example.org"
    with transaction.atomic():
        message = messaging.queue_email(
            to=f"office@{domain}", subject="Walk Online", template="notice", context={"message": "Hello"}
        )

    wait_for(
        lambda: OutboundMessage.objects.get(pk=message.pk).state == MessageState.SENT,
        timeout=60,
        message="the message to be sent after two refusals",
    )
    message.refresh_from_db()
    assert message.attempts == 3
    assert "temporarily unavailable" in message.last_error
    assert addresses_in(flaky_worker.outbox, domain) == {f"office@{domain}": 1}


def test_a_message_that_keeps_failing_is_marked_failed_with_the_reason(flaky_worker):
    domain = "doomed.example.org"
    address = f"office@{domain}"
    # Far below zero: this address's counter never reaches the point where sends succeed.
    redis.Redis.from_url(celery_app.conf.broker_url).set(f"test-flaky-mail:{address}", -1000)
    with transaction.atomic():
        message = messaging.queue_email(to=address, subject="Walk Online", template="notice", context={})

    wait_for(
        lambda: OutboundMessage.objects.get(pk=message.pk).state == MessageState.FAILED,
        timeout=60,
        message="the message to be given up",
    )
    message.refresh_from_db()
    assert message.attempts == 4  # the first try and three retries
    assert "Gave up" in message.last_error
    assert addresses_in(flaky_worker.outbox, domain) == {}


def test_a_duplicated_webhook_is_applied_once_even_when_the_copies_arrive_together(celery_worker):
    domain = "webhook.example.org"
    campaign = CampaignFactory()
    make_schools(1, domain)
    invitation = invitations.send_invitations(campaign, recipients_for(campaign))[0]
    wait_for(
        lambda: OutboundMessage.objects.filter(campaign=campaign, state=MessageState.SENT).exists(),
        message="the invitation to be sent",
    )
    message = OutboundMessage.objects.get(campaign=campaign)
    payload = json.dumps(delivery(message))
    statuses = []

    def post():
        try:
            response = Client().post(
                URL, data=payload, content_type="application/json", HTTP_AUTHORIZATION=GOOD_AUTH
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * 5
    assert EmailEvent.objects.filter(message=message).count() == 1
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.DELIVERED
