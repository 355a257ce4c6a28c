"""A large send goes in batches: claimed together, sent over one provider connection, each outcome recorded
as the provider answers, so a worker dying half-way, one refused message or a suppressed address affects
only the messages concerned."""

import datetime
from collections import Counter
from unittest import mock

import pytest
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from django.core import mail
from django.utils import timezone

from campaigns.invitations import services as invitations
from campaigns.mail import sending
from campaigns.mail import services as messaging
from campaigns.mail import tasks as mail_tasks
from campaigns.models import (
    Invitation,
    InvitationState,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)
from campaigns.organisations.selectors import recipients_for
from tests.factories import CampaignFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def anymail_backend(settings):
    """anymail's test backend (pytest-django swaps in locmem): provider ids, and errors can be injected."""
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


class WorkerKilled(BaseException):
    """Stands for the worker process dying: nothing in the pipeline catches it."""


def queue(count, domain="batch.example.org"):
    emails = [
        {
            "to": f"office{n}@{domain}",
            "subject": "Walk Online is coming",
            "template": "notice",
            "context": {"message": "Walk Online is coming to your area."},
            "kind": MessageKind.CAMPAIGN,
            "dedupe_key": f"batch-test:{domain}:{n}",
        }
        for n in range(count)
    ]
    with mock.patch("campaigns.mail.services.enqueue_many"):
        return messaging.queue_emails(emails)


def received():
    return Counter(address for message in mail.outbox for address in message.to)


def states(ids):
    return Counter(OutboundMessage.objects.filter(pk__in=ids).values_list("state", flat=True))


def test_a_campaign_send_is_queued_as_one_task_per_batch(settings, django_capture_on_commit_callbacks):
    settings.MAIL_BATCH_SIZE = 10
    emails = [
        {
            "to": f"office{n}@example.org",
            "subject": "Hello",
            "template": "notice",
            "context": {"message": "Hi"},
            "kind": MessageKind.CAMPAIGN,
            "dedupe_key": f"per-batch:{n}",
        }
        for n in range(25)
    ]
    with (
        mock.patch("campaigns.mail.tasks.send_outbound_batch.delay") as batch_delay,
        mock.patch("campaigns.mail.tasks.send_outbound_message.delay") as single_delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ids = messaging.queue_emails(emails)

    assert [len(call.args[0]) for call in batch_delay.call_args_list] == [10, 10, 5]
    assert sorted(i for call in batch_delay.call_args_list for i in call.args[0]) == sorted(ids)
    single_delay.assert_not_called()


def test_a_batch_opens_one_provider_connection_and_records_each_provider_id():
    ids = queue(20)
    opened = []
    original_open = AnymailTestBackend.open

    def counting_open(backend):
        opened.append(backend)
        return original_open(backend)

    with mock.patch.object(AnymailTestBackend, "open", counting_open, create=True):
        assert sending.deliver_batch(ids) == []

    assert len({id(backend) for backend in opened}) == 1
    assert states(ids) == {MessageState.SENT: 20}
    assert sum(received().values()) == 20 and set(received().values()) == {1}
    provider_ids = list(
        OutboundMessage.objects.filter(pk__in=ids).values_list("provider_message_id", flat=True)
    )
    assert "" not in provider_ids and len(set(provider_ids)) == 20
    # Every campaign email still carries its own one-click unsubscribe link.
    assert all("List-Unsubscribe" in message.extra_headers for message in mail.outbox)


def test_a_batch_half_sent_when_the_worker_dies_sends_the_rest_once_and_the_sent_ones_not_again():
    ids = queue(10)
    calls = []
    original = AnymailTestBackend.post_to_esp

    def dies_on_the_sixth(backend, payload, message):
        calls.append(payload)
        if len(calls) == 6:
            raise WorkerKilled
        return original(backend, payload, message)

    with (
        mock.patch.object(AnymailTestBackend, "post_to_esp", dies_on_the_sixth),
        pytest.raises(WorkerKilled),
    ):
        sending.deliver_batch(ids)

    # The five the provider took are recorded sent; the rest of the batch is left in "sending".
    assert states(ids) == {MessageState.SENT: 5, MessageState.SENDING: 5}
    sent_first = set(received())
    # The batch task coming back (acks late) sends nothing: every row is sent or still held.
    assert sending.deliver_batch(ids) == []
    assert sum(received().values()) == 5

    # The scheduled sweep finds the stalled ones and sends them, each once.
    with mock.patch("campaigns.mail.tasks.send_outbound_message.delay", side_effect=sending.deliver) as delay:
        found, enqueued = mail_tasks.requeue_stalled_messages(
            now=timezone.now() + datetime.timedelta(minutes=11)
        )

    assert (found, enqueued) == (5, 5)
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(ids[5:])
    assert states(ids) == {MessageState.SENT: 10}
    counts = received()
    assert len(counts) == 10 and set(counts.values()) == {1}
    assert sent_first.isdisjoint({address for message in mail.outbox[5:] for address in message.to})


def test_a_provider_failure_on_one_message_retries_only_that_message(settings):
    settings.MAIL_RETRY_DELAYS = [30, 60]
    ids = queue(6)
    refused = "office3@batch.example.org"
    original = AnymailTestBackend.post_to_esp

    def refuses_one(backend, payload, message):
        if payload.recipient_emails == [refused]:
            raise AnymailAPIError("Provider temporarily unavailable")
        return original(backend, payload, message)

    with (
        mock.patch.object(AnymailTestBackend, "post_to_esp", refuses_one),
        mock.patch("campaigns.mail.tasks.send_outbound_message.apply_async") as retry,
    ):
        mail_tasks.send_outbound_batch(ids)

    refused_message = OutboundMessage.objects.get(to_email=refused)
    assert states(ids) == {MessageState.SENT: 5, MessageState.RETRYING: 1}
    assert "temporarily unavailable" in refused_message.last_error
    assert refused_message.next_attempt_at is not None
    # Only the refused message is tried again, alone, after its back-off; the others are not re-sent.
    assert [call.args for call in retry.call_args_list] == [((refused_message.pk,),)]
    assert retry.call_args.kwargs["countdown"] == 30
    assert refused not in received() and len(received()) == 5

    mail_tasks.send_outbound_message(refused_message.pk)
    assert states(ids) == {MessageState.SENT: 6}
    assert set(received().values()) == {1} and len(received()) == 6


def test_a_message_refused_for_good_in_a_batch_fails_alone(settings):
    ids = queue(4)
    original = AnymailTestBackend.post_to_esp

    def rejects_one(backend, payload, message):
        if payload.recipient_emails == ["office1@batch.example.org"]:
            raise AnymailRecipientsRefused("The provider refused the address")
        return original(backend, payload, message)

    with (
        mock.patch.object(AnymailTestBackend, "post_to_esp", rejects_one),
        mock.patch("campaigns.mail.tasks.send_outbound_message.apply_async") as retry,
    ):
        mail_tasks.send_outbound_batch(ids)

    assert states(ids) == {MessageState.SENT: 3, MessageState.FAILED: 1}
    retry.assert_not_called()


def test_a_message_that_keeps_failing_in_batches_is_given_up_with_the_reason(settings):
    settings.MAIL_RETRY_DELAYS = [30]
    ids = queue(1)
    OutboundMessage.objects.filter(pk__in=ids).update(attempts=1, state=MessageState.RETRYING)
    with (
        mock.patch.object(AnymailTestBackend, "post_to_esp", side_effect=AnymailAPIError("Timed out")),
        mock.patch("campaigns.mail.tasks.send_outbound_message.apply_async") as retry,
    ):
        mail_tasks.send_outbound_batch(ids)

    message = OutboundMessage.objects.get(pk=ids[0])
    assert message.state == MessageState.FAILED
    assert "Gave up after 2 attempts" in message.last_error and "Timed out" in message.last_error
    retry.assert_not_called()


def test_an_address_suppressed_after_queueing_is_held_back_within_its_batch():
    ids = queue(5)
    SuppressedAddress.objects.create(email="Office2@Batch.Example.org", reason=SuppressionReason.UNSUBSCRIBED)

    assert sending.deliver_batch(ids) == []

    assert states(ids) == {MessageState.SENT: 4, MessageState.SUPPRESSED: 1}
    assert OutboundMessage.objects.get(to_email="office2@batch.example.org").state == MessageState.SUPPRESSED
    assert "office2@batch.example.org" not in received() and len(received()) == 4


def test_a_batch_delivered_twice_sends_each_message_once():
    ids = queue(8)
    sending.deliver_batch(ids)
    sending.deliver_batch(ids)
    mail_tasks.send_outbound_batch(ids)

    assert set(received().values()) == {1} and len(received()) == 8
    assert set(OutboundMessage.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_invitations_sent_in_batches_mark_each_invitation_sent(settings, django_capture_on_commit_callbacks):
    settings.MAIL_BATCH_SIZE = 3
    campaign = CampaignFactory()
    for n in range(7):
        ContactFactory(
            organisation=OrganisationFactory(local_authority=campaign.local_authorities[0]),
            email=f"head{n}@school.example.org",
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sent = invitations.send_invitations(campaign, recipients_for(campaign))

    assert len(callbacks) == 3  # one sending task per batch of three

    assert len(sent) == 7
    assert Invitation.objects.filter(campaign=campaign, state=InvitationState.SENT).count() == 7
    assert OutboundMessage.objects.filter(campaign=campaign, state=MessageState.SENT).count() == 7
    assert len(received()) == 7


def test_a_slow_batch_keeps_its_claim_and_leaves_alone_what_the_sweep_took_back(settings):
    settings.MAIL_STALLED_AFTER_SECONDS = 8
    ids = queue(4)
    clock = iter(range(0, 1000, 3))  # every look at the clock: three seconds later
    original = AnymailTestBackend.post_to_esp

    def slow_provider(backend, payload, message):
        if payload.recipient_emails == ["office0@batch.example.org"]:
            # Meanwhile the sweep (wrongly thinking the worker dead) takes back the last message.
            OutboundMessage.objects.filter(pk=ids[3]).update(state=MessageState.RETRYING)
        return original(backend, payload, message)

    before = timezone.now()
    with (
        mock.patch("campaigns.mail.sending.time.monotonic", side_effect=lambda: next(clock)),
        mock.patch.object(AnymailTestBackend, "post_to_esp", slow_provider),
    ):
        assert sending.deliver_batch(ids) == []

    # The claim was renewed, and the message taken back was not sent by this batch: its new holder sends it.
    assert states(ids) == {MessageState.SENT: 3, MessageState.RETRYING: 1}
    assert "office3@batch.example.org" not in received()
    assert OutboundMessage.objects.get(pk=ids[2]).updated_at > before
