"""Email provider tracking webhooks (Postmark's payloads through anymail): authenticated, applied once,
never moving a message or an invitation backwards, and suppressing bounced addresses."""

import base64
import json
from types import SimpleNamespace

import pytest
from django.utils import timezone

from campaigns.mail.services import queue_email
from campaigns.mail.webhooks import find_message
from campaigns.models import (
    Contact,
    DeliveryState,
    EmailEvent,
    InvitationState,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
)
from campaigns.organisations.selectors import recipients_for
from tests.factories import CampaignFactory, ContactFactory, InvitationFactory

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/tracking/"
GOOD_AUTH = "Basic " + base64.b64encode(b"test-webhook-user:test-webhook-password").decode()
BAD_AUTH = "Basic " + base64.b64encode(b"test-webhook-user:wrong").decode()


@pytest.fixture
def sent_invitation():
    invitation = InvitationFactory(state=InvitationState.SENT, sent_at=timezone.now())
    message = queue_email(
        to=invitation.contact.email,
        subject="You are invited",
        template="notice",
        context={"message": "Hello"},
        kind=MessageKind.CAMPAIGN,
        campaign=invitation.campaign,
        related=invitation,
        dedupe_key=f"invitation:{invitation.pk}",
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENT, provider_message_id="pm-0001", sent_at=timezone.now()
    )
    message.refresh_from_db()
    return invitation, message


def post(client, payload, auth=GOOD_AUTH):
    return client.post(
        URL, data=json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=auth
    )


def delivery(message, at="2027-01-10T09:00:00Z"):
    return {
        "RecordType": "Delivery",
        "MessageID": message.provider_message_id,
        "Recipient": message.to_email,
        "DeliveredAt": at,
        "Details": "Test delivery",
        "Tag": "invitation",
        "ServerID": 1,
        "Metadata": {"message_id": str(message.pk)},
    }


def opened(message, at="2027-01-10T09:05:00Z"):
    return {
        "RecordType": "Open",
        "MessageID": message.provider_message_id,
        "Recipient": message.to_email,
        "ReceivedAt": at,
        "FirstOpen": True,
        "Metadata": {"message_id": str(message.pk)},
    }


def bounce(message, at="2027-01-10T09:01:00Z"):
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": "HardBounce",
        "TypeCode": 1,
        "Name": "Hard bounce",
        "MessageID": message.provider_message_id,
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 The email account does not exist.",
        "Email": message.to_email,
        "BouncedAt": at,
        "Metadata": {"message_id": str(message.pk)},
    }


def test_delivery_event_updates_the_message_and_its_invitation(client, sent_invitation):
    invitation, message = sent_invitation

    response = post(client, delivery(message))

    assert response.status_code == 200
    message.refresh_from_db()
    invitation.refresh_from_db()
    assert message.delivery == DeliveryState.DELIVERED
    assert invitation.state == InvitationState.DELIVERED
    assert invitation.delivered_at.isoformat().startswith("2027-01-10T09:00")


def test_wrong_secret_is_refused_and_changes_nothing(client, sent_invitation):
    invitation, message = sent_invitation

    wrong = post(client, delivery(message), auth=BAD_AUTH)
    missing = client.post(URL, data=json.dumps(delivery(message)), content_type="application/json")

    assert wrong.status_code in (400, 401, 403)
    assert missing.status_code in (400, 401, 403)
    assert EmailEvent.objects.count() == 0
    message.refresh_from_db()
    assert message.delivery == DeliveryState.UNKNOWN


@pytest.mark.parametrize(
    "payload",
    [
        {"Hello": "world"},
        {"RecordType": "SomethingNew", "MessageID": "pm-0001"},
        {"RecordType": "Delivery"},
    ],
)
def test_unknown_payload_is_refused_and_changes_nothing(client, sent_invitation, payload):
    invitation, message = sent_invitation

    response = post(client, payload)

    assert 400 <= response.status_code < 500
    assert EmailEvent.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT


def test_duplicated_event_is_applied_once(client, sent_invitation):
    invitation, message = sent_invitation
    post(client, opened(message))
    invitation.refresh_from_db()
    first_opened = invitation.opened_at

    again = post(client, opened(message))

    assert again.status_code == 200
    assert EmailEvent.objects.count() == 1
    invitation.refresh_from_db()
    assert invitation.opened_at == first_opened


def test_delivered_after_opened_does_not_move_anything_backwards(client, sent_invitation):
    invitation, message = sent_invitation

    post(client, opened(message))
    post(client, delivery(message, at="2027-01-10T09:00:00Z"))

    invitation.refresh_from_db()
    message.refresh_from_db()
    assert invitation.state == InvitationState.OPENED
    assert message.delivery == DeliveryState.OPENED
    # The earlier delivery is still recorded with its own time.
    assert invitation.delivered_at is not None
    assert EmailEvent.objects.count() == 2


def test_events_never_override_an_answer(client, sent_invitation):
    invitation, message = sent_invitation
    invitation.state = InvitationState.BOOKED
    invitation.booked_at = timezone.now()
    invitation.save()

    post(client, opened(message))

    invitation.refresh_from_db()
    assert invitation.state == InvitationState.BOOKED
    assert invitation.opened_at is not None


def test_bounce_suppresses_the_address_for_future_campaign_email(client, sent_invitation):
    invitation, message = sent_invitation

    response = post(client, bounce(message))

    assert response.status_code == 200
    invitation.refresh_from_db()
    message.refresh_from_db()
    assert invitation.state == InvitationState.BOUNCED
    assert message.delivery == DeliveryState.BOUNCED
    assert SuppressedAddress.objects.filter(email=message.to_email.lower()).exists()
    # The organisation is not offered again for another campaign through that address.
    another = CampaignFactory()
    assert invitation.organisation not in recipients_for(another)
    later = queue_email(to=message.to_email, subject="x", template="notice", kind=MessageKind.CAMPAIGN)
    assert later.state == MessageState.SUPPRESSED


def test_complaint_opts_the_contact_out(client, sent_invitation):
    invitation, message = sent_invitation
    payload = bounce(message)
    payload.update({"Type": "SpamComplaint", "TypeCode": 512, "ID": 99})

    post(client, payload)

    assert Contact.objects.get(pk=invitation.contact_id).opted_out
    assert SuppressedAddress.objects.get(email=message.to_email.lower()).reason == "complained"


def test_event_for_a_message_we_do_not_know_is_accepted_and_recorded_without_changes(client):
    contact = ContactFactory()
    payload = {
        "RecordType": "Delivery",
        "MessageID": "someone-elses",
        "Recipient": contact.email,
        "DeliveredAt": "2027-01-10T09:00:00Z",
    }

    assert post(client, payload).status_code == 200
    assert EmailEvent.objects.get().message is None


@pytest.mark.parametrize("body", [b"not json at all", b'{"RecordType": ', b"\xff\xfe\x00", b""])
def test_a_body_that_is_not_json_gets_400_and_changes_nothing(client, sent_invitation, body):
    invitation, _ = sent_invitation

    response = client.post(URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=GOOD_AUTH)

    assert response.status_code == 400
    assert EmailEvent.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT


def _with_nul(message, field):
    payload = delivery(message)
    if field == "Metadata":
        payload["Metadata"] = {"message_id": str(message.pk), "note": "a\u0000b"}
    else:
        payload[field] = f"{payload[field]}\u0000x"
    return json.dumps(payload).encode()


MALFORMED_BODIES = {
    "nul in recipient": lambda message: _with_nul(message, "Recipient"),
    "nul in details": lambda message: _with_nul(message, "Details"),
    "nul in message id": lambda message: _with_nul(message, "MessageID"),
    "nul in record type": lambda message: _with_nul(message, "RecordType"),
    "nul in metadata": lambda message: _with_nul(message, "Metadata"),
    "nul in a key": lambda message: json.dumps({**delivery(message), "Odd\u0000Key": "x"}).encode(),
    "invalid utf-8": lambda message: json.dumps(delivery(message)).encode().replace(b"Test", b"T\xc3\x28st"),
    "lone surrogate": lambda message: json.dumps(delivery(message)).replace("Test", "\\ud800Test").encode(),
    "truncated json": lambda message: json.dumps(delivery(message)).encode()[:-5],
    "a list": lambda message: json.dumps([delivery(message)]).encode(),
    "a string": lambda message: b'"Delivery"',
    "a number": lambda message: b"42",
    "null": lambda message: b"null",
    "record type a list": lambda message: json.dumps(
        {**delivery(message), "RecordType": ["Delivery"]}
    ).encode(),
    "recipient a number": lambda message: json.dumps({**delivery(message), "Recipient": 5}).encode(),
    "recipient an object": lambda message: json.dumps({**delivery(message), "Recipient": {"a": 1}}).encode(),
    "metadata a list": lambda message: json.dumps({**delivery(message), "Metadata": ["x"]}).encode(),
    "delivered at a number": lambda message: json.dumps({**delivery(message), "DeliveredAt": 12}).encode(),
    "details a list": lambda message: json.dumps({**delivery(message), "Details": ["x"]}).encode(),
    "message id an object": lambda message: json.dumps({**delivery(message), "MessageID": {"x": 1}}).encode(),
}


@pytest.mark.both_databases
@pytest.mark.parametrize("make_body", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
def test_a_malformed_body_gets_400_and_changes_nothing(client, sent_invitation, make_body):
    invitation, message = sent_invitation

    response = client.post(
        URL, data=make_body(message), content_type="application/json", HTTP_AUTHORIZATION=GOOD_AUTH
    )

    assert response.status_code == 400
    assert EmailEvent.objects.count() == 0
    assert SuppressedAddress.objects.count() == 0
    message.refresh_from_db()
    assert message.delivery == DeliveryState.UNKNOWN
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.SENT


@pytest.mark.parametrize("ours", ["³", "①", "9" * 30, "-1", "12a"])
def test_a_message_id_in_the_metadata_that_is_not_plain_digits_finds_nothing(ours):
    assert find_message(SimpleNamespace(metadata={"message_id": ours}, message_id="")) is None
