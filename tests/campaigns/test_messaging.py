"""The email pipeline's rules, without a worker: bulk queueing, suppression, retries and the stalled sweep."""

import datetime
from unittest import mock

import pytest
from anymail.exceptions import AnymailAPIError
from django.utils import timezone

from campaigns.invitations import services as invitations
from campaigns.mail import sending
from campaigns.mail import services as messaging
from campaigns.mail import tasks as mail_tasks
from campaigns.models import (
    InvitationState,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
    SuppressionReason,
)
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def email(n, **extra):
    return {
        "to": f"office{n}@example.org",
        "subject": "Hello",
        "template": "notice",
        "context": {"message": "Hi"},
        "kind": MessageKind.CAMPAIGN,
        "dedupe_key": f"test:{n}",
        **extra,
    }


def test_queue_emails_writes_each_key_once_and_holds_back_suppressed_addresses(
    django_capture_on_commit_callbacks,
):
    SuppressedAddress.objects.create(email="Office1@Example.org", reason=SuppressionReason.BOUNCED)

    with django_capture_on_commit_callbacks(execute=False):
        first = messaging.queue_emails([email(0), email(1), email(2)])
        again = messaging.queue_emails([email(0), email(3)])

    assert len(first) == 2 and len(again) == 1
    assert OutboundMessage.objects.count() == 4
    assert OutboundMessage.objects.get(dedupe_key="test:1").state == MessageState.SUPPRESSED


def test_queue_emails_refuses_missing_or_repeated_keys():
    with pytest.raises(ValueError):
        messaging.queue_emails([email(0), email(1, dedupe_key="test:0")])
    with pytest.raises(ValueError):
        messaging.queue_emails([email(0, dedupe_key=None)])
    assert not OutboundMessage.objects.exists()


def test_provider_error_leaves_the_message_retrying(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"  # pytest-django swaps in locmem
    transient = OutboundMessage.objects.create(to_email="a@example.org", subject="s", template="notice")
    with (
        mock.patch("anymail.backends.test.EmailBackend.post_to_esp", side_effect=AnymailAPIError("timeout")),
        pytest.raises(sending.TransientSendError),
    ):
        sending.deliver(transient.pk)
    transient.refresh_from_db()
    assert (transient.state, transient.attempts) == (MessageState.RETRYING, 1)
    assert "timeout" in transient.last_error


def test_retry_back_off_grows_then_gives_up(settings):
    settings.MAIL_RETRY_DELAYS = [10, 60, 600]
    assert [sending.retry_delay(n) for n in (1, 2, 3, 4)] == [10, 60, 600, None]


def test_stalled_sweep_leaves_retries_waiting_out_their_back_off_alone(django_capture_on_commit_callbacks):
    now = timezone.now()
    old = now - datetime.timedelta(hours=1)

    def message(state, **fields):
        row = OutboundMessage.objects.create(
            to_email="a@example.org", subject="s", template="notice", state=state
        )
        OutboundMessage.objects.filter(pk=row.pk).update(updated_at=old, **fields)
        return row.pk

    stalled = message(MessageState.SENDING)
    waiting = message(MessageState.RETRYING, next_attempt_at=now + datetime.timedelta(minutes=30))
    overdue = message(MessageState.RETRYING, next_attempt_at=old)
    forgotten = message(MessageState.QUEUED)
    message(MessageState.SENT)

    with mock.patch("campaigns.mail.tasks.send_outbound_message.delay") as delay:
        found, enqueued = mail_tasks.requeue_stalled_messages(now=now)

    assert found == 1
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted([stalled, overdue, forgotten])
    assert enqueued == 3
    assert waiting not in [call.args[0] for call in delay.call_args_list]
    # A second sweep straight after does not enqueue the same retries again.
    with mock.patch("campaigns.mail.tasks.send_outbound_message.delay") as delay:
        mail_tasks.requeue_stalled_messages(now=now)
    assert [call.args[0] for call in delay.call_args_list] == [forgotten]


def test_a_late_sent_report_never_moves_an_opened_invitation_back():
    invitation = InvitationFactory(state=InvitationState.OPENED)

    invitations.advance(invitation.pk, InvitationState.SENT)
    invitations.advance(invitation.pk, InvitationState.DELIVERED)

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.OPENED
    assert invitation.sent_at is not None and invitation.delivered_at is not None


def test_the_plain_text_version_is_not_html_escaped():
    message = OutboundMessage.objects.create(
        to_email="office@st-marys.example.org",
        subject="Hello",
        template="notice",
        context={"message": 'St Mary\'s CE Primary & "Year 5" <team>'},
        kind=MessageKind.CAMPAIGN,
    )

    built = sending.build_email(message)

    assert 'St Mary\'s CE Primary & "Year 5" <team>' in built.body
    assert "St Mary&#x27;s CE Primary &amp; &quot;Year 5&quot; &lt;team&gt;" in built.alternatives[0][0]
