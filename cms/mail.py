"""The embedded email backend: each message becomes an .eml file in the outbox folder.

It goes through anymail like a real provider, so messages get a provider id, tags and metadata are
checked, and the pipeline behaves as it does in production.
"""

import uuid
from pathlib import Path

from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.message import AnymailRecipientStatus
from django.conf import settings
from django.utils import timezone


class OutboxEmailBackend(AnymailTestBackend):
    esp_name = "Outbox"

    def post_to_esp(self, payload, message):
        message.anymail_test_params = payload.get_params()
        message_id = uuid.uuid4().hex
        outbox = Path(settings.OUTBOX_DIR)
        outbox.mkdir(parents=True, exist_ok=True)
        final = outbox / f"{timezone.now():%Y%m%d-%H%M%S}-{message_id}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(message.message().as_bytes())
        partial.rename(final)
        status = AnymailRecipientStatus(message_id=message_id, status="sent")
        return {"recipient_status": dict.fromkeys(payload.recipient_emails, status)}
