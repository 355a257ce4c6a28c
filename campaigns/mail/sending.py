"""Sending each outbound email at most once: claim the row, build the message, hand it to the provider,
record the outcome. Run by the Celery tasks in campaigns.mail.tasks; nothing here enqueues.

`claim` moves a row from queued/retrying to sending in a short transaction; `deliver` sends it through
the configured anymail backend and records the outcome, announcing each new state with
`signals.message_state_changed`. A large send goes in batches (`deliver_batch`): one transaction claims
the whole batch, one provider connection sends it, and each message's outcome (with its own provider id)
is recorded as soon as the provider has answered for it, so a worker dying half-way through a batch has
recorded every message it sent and leaves only the rest in `sending`. A message left in `sending` by a
worker that died is reclaimed by `reclaim_stalled`, so a message is never lost and at worst sent once more
if the provider accepted it just before the worker died.
"""

import logging
import time
from datetime import timedelta
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid
from urllib.parse import urlparse

from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import punycode

from campaigns.mail.signals import message_state_changed
from campaigns.mail.unsubscribe import links_for, unsubscribe_url, unsubscribe_url_for_key
from campaigns.models import MessageKind, MessageState, OutboundMessage, SuppressedAddress

logger = logging.getLogger(__name__)


def stalled_after():
    """How long a message may sit in "sending" before its worker is presumed dead."""
    return timedelta(seconds=getattr(settings, "MAIL_STALLED_AFTER_SECONDS", 600))


# Back-off between tries of a message the provider could not take, in seconds. After the last one it
# is marked failed. Counted from the message's own `attempts`, so duplicate tasks cannot reset it.
RETRY_DELAYS = [30, 60, 120, 300, 600, 1800, 3600, 7200]


def retry_delays():
    return list(getattr(settings, "MAIL_RETRY_DELAYS", RETRY_DELAYS))


# How many messages one sending task claims and sends over one provider connection. Small enough that a
# batch is sent in seconds (well inside MAIL_STALLED_AFTER_SECONDS), large enough that the task, the claim
# and the connection are paid once for many messages.
BATCH_SIZE = 50


def batch_size():
    return max(1, int(getattr(settings, "MAIL_BATCH_SIZE", BATCH_SIZE)))


class TransientSendError(Exception):
    """The provider could not take the message now; try again later."""


def is_suppressed(email):
    return SuppressedAddress.objects.filter(email__iexact=email).exists()


def site_host():
    """The site's own domain, for Message-IDs (not the sending machine's name)."""
    return urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "safe-together.invalid"


def build_email(message, *, unsubscribe=None):
    """Render a message's templates into an anymail message ready to send.

    `unsubscribe`: the campaign email's unsubscribe link when the caller already has it (a batch reads
    every address's link at once); otherwise it is looked up.
    """
    if message.kind == MessageKind.CAMPAIGN and unsubscribe is None:
        unsubscribe = unsubscribe_url(message.to_email)
    context = {
        **message.context,
        "subject": message.subject,
        "to_name": message.to_name,
        "is_campaign_email": message.kind == MessageKind.CAMPAIGN,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "sender_details": getattr(settings, "EMAIL_SENDER_DETAILS", settings.WAGTAIL_SITE_NAME),
    }
    context.update(campaign_email_context(message, unsubscribe))
    # In the recipient's language (a booking's, say), whatever language the worker or page had active.
    with translation.override(message.language or settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{message.template}.txt", context)
        html = render_to_string(f"emails/{message.template}.html", context)
    email = AnymailMessage(subject=message.subject, body=text, to=[recipient(message)])
    email.attach_alternative(html, "text/html")
    if message.calendar:
        method = message.calendar_method or "PUBLISH"
        # One charset parameter and the iTIP method on the part itself (RFC 6047), as calendar programs expect.
        part = MIMEText(message.calendar, "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="invite.ics")
        email.attach(part)
    email.extra_headers["Message-ID"] = make_msgid(domain=site_host())
    email.tags = [message.template.replace("/", "-"), message.kind]
    email.metadata = {"message_id": str(message.pk)}
    if message.campaign_id:
        email.metadata["campaign"] = str(message.campaign_id)
    # Replies go to the campaign team of the council that runs the work (cms.councils.council_email_context).
    reply_to = (message.context or {}).get("reply_to")
    if reply_to:
        email.reply_to = [reply_to]
    headers = campaign_email_headers(message, unsubscribe)
    if headers:
        email.extra_headers.update(headers)
    return email


def as_sent(message):
    """What a stored message looks like to its recipient, for the Emails screen: subject, text, HTML and
    attachments, built by `build_email` exactly as sending does (with today's templates). None when it
    cannot be rebuilt: its personal details were removed after the retention period, or its template is gone.
    """
    if not message.to_email:
        return None
    try:
        email = build_email(message)
    except TemplateDoesNotExist:
        return None
    html = next((content for content, mimetype in email.alternatives if mimetype == "text/html"), "")
    return {
        "subject": email.subject,
        "to": email.to,
        "text": email.body,
        "html": html,
        "attachments": [_attachment(part) for part in email.attachments],
    }


def _attachment(part):
    """An attachment as the Emails screen shows it, whether a (name, content, type) triple or a MIME part."""
    if isinstance(part, tuple):
        filename, content, mimetype = part
        return {"filename": filename, "mimetype": mimetype, "content": content}
    return {
        "filename": part.get_filename(),
        "mimetype": part.get_content_type(),
        "content": part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"),
    }


def recipient(message):
    """The To: header for a message: exactly one mailbox, the stored address, whatever the name holds.

    Names are typed by bookers: a comma ("Smith, John"), an address or angle brackets would otherwise read
    as more (or other) recipients, and a line break would end the header. Line breaks and runs of spaces
    become one space; `formataddr` quotes and escapes the rest (RFC 2047 for a name that is not ASCII).
    """
    name = " ".join((message.to_name or "").split())
    local, at, domain = message.to_email.rpartition("@")
    address = f"{local}{at}{punycode(domain)}" if at and not domain.isascii() else message.to_email
    return formataddr((name, address)) if name else address


def campaign_email_context(message, unsubscribe=None):
    """Extra template context for campaign emails (unsubscribe link); see campaigns.mail.unsubscribe."""
    if message.kind != MessageKind.CAMPAIGN:
        return {}
    return {"unsubscribe_url": unsubscribe or unsubscribe_url(message.to_email)}


def campaign_email_headers(message, unsubscribe=None):
    """One-click unsubscribe (RFC 8058) on campaign emails (invitations, reminders to book, follow-up packs):
    mail programs offer an Unsubscribe button that posts `List-Unsubscribe=One-Click` to the link.
    Transactional emails (booking confirmations and changes) never carry it."""
    if message.kind != MessageKind.CAMPAIGN:
        return {}
    return {
        "List-Unsubscribe": f"<{unsubscribe or unsubscribe_url(message.to_email)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def claim(message_id):
    """Move a message from queued/retrying to sending. Returns it, or None if it is not ours to send."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("related_type")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.state not in (MessageState.QUEUED, MessageState.RETRYING):
            return None
        if message.kind == MessageKind.CAMPAIGN and is_suppressed(message.to_email):
            message.state = MessageState.SUPPRESSED
            message.save(update_fields=["state", "updated_at"])
            return None
        message.state = MessageState.SENDING
        message.attempts += 1
        message.save(update_fields=["state", "attempts", "updated_at"])
        return message


def claim_batch(message_ids):
    """Move many messages from queued/retrying to sending in one transaction; return those now ours.

    Rows another task holds or has already moved on are left alone (a duplicate or requeued task sends
    nothing twice). Campaign emails to a suppressed address become `suppressed` and are not returned.
    """
    with transaction.atomic():
        rows = list(
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("related_type")
            .filter(pk__in=list(message_ids), state__in=[MessageState.QUEUED, MessageState.RETRYING])
            .order_by("pk")
        )
        if not rows:
            return []
        suppressed = suppressed_among([m.to_email for m in rows if m.kind == MessageKind.CAMPAIGN])
        held_back = [
            m.pk for m in rows if m.kind == MessageKind.CAMPAIGN and m.to_email.strip().lower() in suppressed
        ]
        if held_back:
            OutboundMessage.objects.filter(pk__in=held_back).update(
                state=MessageState.SUPPRESSED, updated_at=timezone.now()
            )
        claimed = [m for m in rows if m.pk not in set(held_back)]
        if claimed:
            OutboundMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
                state=MessageState.SENDING, attempts=F("attempts") + 1, updated_at=timezone.now()
            )
        for message in claimed:
            message.state = MessageState.SENDING
            message.attempts += 1
        return claimed


def suppressed_among(emails):
    """The lower-cased addresses among `emails` that get no more campaign email, in one query."""
    lowered = {email.strip().lower() for email in emails}
    if not lowered:
        return set()
    return set(
        SuppressedAddress.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=lowered)
        .values_list("lower_email", flat=True)
    )


def deliver(message_id):
    """Send one message at most once. Raises TransientSendError when it should be tried again."""
    message = claim(message_id)
    if message is None:
        return None
    _send_claimed(message)
    return message


def deliver_batch(message_ids):
    """Send a batch of messages, each at most once, over one provider connection.

    Returns (id, error) for each message the provider could not take now (left `retrying`, for the caller
    to schedule its next try); every other message is recorded sent, failed or suppressed. Each outcome is
    recorded as soon as the provider has answered for that message.
    """
    messages = claim_batch(message_ids)
    if not messages:
        return []
    keys = links_for([m.to_email for m in messages if m.kind == MessageKind.CAMPAIGN])
    connection = get_connection()
    transient = []
    try:
        connection.open()
    except OSError as exc:
        for message in messages:
            _record(message, MessageState.RETRYING, error=str(exc))
        return [(m.pk, str(exc)) for m in messages]
    touched, alive = time.monotonic(), None
    try:
        for index, message in enumerate(messages):
            if time.monotonic() - touched > stalled_after().total_seconds() / 4:
                # A slow provider: show the sweep that this worker is alive, so it does not hand the
                # rest of the batch to another worker while this one is still sending it.
                alive = _keep_claimed([m.pk for m in messages[index:]])
                touched = time.monotonic()
            if alive is not None and message.pk not in alive:
                continue  # the sweep took it back meanwhile: whoever holds it now sends it
            key = keys.get(message.to_email.strip().lower())
            unsubscribe = unsubscribe_url_for_key(key) if key else None
            try:
                _send_claimed(message, connection=connection, unsubscribe=unsubscribe)
            except TransientSendError as exc:
                transient.append((message.pk, str(exc)))
    finally:
        connection.close()
    return transient


def _keep_claimed(message_ids):
    """Renew the claim on those of `message_ids` still ours (still sending); returns their ids."""
    with transaction.atomic():
        alive = set(
            OutboundMessage.objects.select_for_update()
            .filter(pk__in=message_ids, state=MessageState.SENDING)
            .values_list("pk", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=alive).update(updated_at=timezone.now())
    return alive


def _send_claimed(message, *, connection=None, unsubscribe=None):
    """Build and send one claimed message and record the outcome; TransientSendError to try again."""
    try:
        email = build_email(message, unsubscribe=unsubscribe)
        if connection is None:
            email.send()
        else:
            connection.send_messages([email])
    except (AnymailRecipientsRefused, AnymailInvalidAddress) as exc:
        _record(message, MessageState.FAILED, error=str(exc))
        return
    except AnymailAPIError as exc:
        if exc.status_code is not None and 400 <= exc.status_code < 500 and exc.status_code != 429:
            _record(message, MessageState.FAILED, error=str(exc))
            return
        _record(message, MessageState.RETRYING, error=str(exc))
        raise TransientSendError(str(exc)) from exc
    except OSError as exc:
        _record(message, MessageState.RETRYING, error=str(exc))
        raise TransientSendError(str(exc)) from exc
    except Exception as exc:
        # A template or programming error: retrying will not help, and staff must see it.
        logger.exception("Could not build or send message %s", message.pk)
        _record(message, MessageState.FAILED, error=f"{type(exc).__name__}: {exc}")
        return
    status = getattr(email, "anymail_status", None)
    provider_id = str(status.message_id) if status and status.message_id is not None else ""
    _record(message, MessageState.SENT, provider_message_id=provider_id)


def retry_delay(attempts):
    """Seconds to wait before the next try, after `attempts` tries; None when it is time to give up."""
    delays = retry_delays()
    if attempts > len(delays):
        return None
    return delays[max(attempts, 1) - 1]


def schedule_retry(message_id, delay):
    """Record when a message's next try is due, so the stalled-message sweep leaves it alone until then."""
    OutboundMessage.objects.filter(pk=message_id, state=MessageState.RETRYING).update(
        next_attempt_at=timezone.now() + timedelta(seconds=delay)
    )


def _record(message, state, *, error="", provider_message_id=""):
    message.state = state
    fields = ["state", "updated_at"]
    if error:
        message.last_error = error[:2000]
        fields.append("last_error")
    if state == MessageState.SENT:
        message.sent_at = timezone.now()
        message.provider_message_id = provider_message_id
        fields += ["sent_at", "provider_message_id"]
    # One commit for the outcome and whatever mirrors it, recorded the moment the provider has answered.
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        _update_row(message, [field for field in fields if field != "updated_at"])
        after_state_change(message)


def _update_row(message, fields):
    """One UPDATE of a message's `fields` and `updated_at`, written out in SQL: it runs once for every
    message sent, and building it through the ORM cost more than running it."""
    meta = OutboundMessage._meta
    quote = db_connection.ops.quote_name
    assignments, params = [], []
    for name in [*fields, "updated_at"]:
        field = meta.get_field(name)
        value = timezone.now() if name == "updated_at" else getattr(message, name)
        assignments.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, db_connection))
    params.append(message.pk)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608 (names from the model)
            f"WHERE {quote(meta.pk.column)} = %s",
            params,
        )


def _commit_without_waiting_for_disk():
    """On PostgreSQL, let this transaction's commit return before its record is flushed to disk.

    Sending is bound by commits (one per message, so that a worker dying mid-batch has recorded every
    message the provider took), and each durable commit waits for a disk flush. A commit that does not
    wait is still safe from a worker dying, a lost task or a provider error: the database has it. Only a
    crash of the database server itself within a fraction of a second of the commit could lose it; the
    message is then back in "sending" and the sweep sends it once more, as after a worker dying mid-send.
    That would break "nothing sent twice", so every outcome waits for the disk unless an install sets
    MAIL_DURABLE_OUTCOMES = False and accepts that trade for faster bulk sends.
    """
    if getattr(settings, "MAIL_DURABLE_OUTCOMES", True) or db_connection.vendor != "postgresql":
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def after_state_change(message):
    """Tell whatever mirrors a message's state (an invitation marks itself sent), in the same transaction."""
    message_state_changed.send(sender=OutboundMessage, message=message)


def mark_failed(message_id, error):
    OutboundMessage.objects.filter(
        pk=message_id, state__in=[MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING]
    ).update(state=MessageState.FAILED, last_error=error[:2000], updated_at=timezone.now())
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is not None:
        after_state_change(message)


def reclaim_stalled(now=None):
    """Put back messages whose worker died while sending, and find queued ones never picked up.

    Returns (number found stalled in "sending", the ids to enqueue again); the caller enqueues them.
    """
    now = now or timezone.now()
    cutoff = now - stalled_after()
    stalled = list(
        OutboundMessage.objects.filter(state=MessageState.SENDING, updated_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    OutboundMessage.objects.filter(pk__in=stalled, state=MessageState.SENDING).update(
        state=MessageState.RETRYING, next_attempt_at=None, updated_at=timezone.now()
    )
    # A retrying message whose task is still waiting out its back-off is not orphaned: only pick
    # those whose next try is well overdue (or was never scheduled), else each sweep would start
    # another chain of retries for the same message.
    orphaned = OutboundMessage.objects.filter(
        Q(state=MessageState.QUEUED, updated_at__lt=cutoff)
        | Q(state=MessageState.RETRYING, next_attempt_at__lt=cutoff)
        | Q(state=MessageState.RETRYING, next_attempt_at__isnull=True, updated_at__lt=cutoff)
    ).values_list("pk", flat=True)
    to_send = sorted(set(stalled) | set(orphaned.iterator()))
    OutboundMessage.objects.filter(pk__in=to_send, state=MessageState.RETRYING).update(
        next_attempt_at=now + stalled_after()
    )
    return len(stalled), to_send


def attempts_of(message_id):
    return OutboundMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 0
