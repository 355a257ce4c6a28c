"""Queueing outbound email: the one way the product sends a message.

`queue_email` writes an OutboundMessage row in the caller's transaction and enqueues its sending after
commit; `queue_emails` does the same for a whole campaign send in one INSERT, sent in batches (one task
per batch). The row is the record: the
task in campaigns.mail.tasks sends it at most once (campaigns.mail.sending), and a message whose task was
lost is found again by the stalled-message sweep, so nothing is lost and nothing is sent twice.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from campaigns.mail import sending, tasks
from campaigns.models import MessageKind, MessageState, OutboundMessage, SuppressedAddress


def queue_email(
    *,
    to,
    subject,
    template,
    context=None,
    kind=MessageKind.TRANSACTIONAL,
    campaign=None,
    related=None,
    dedupe_key=None,
    calendar="",
    calendar_method="",
    to_name="",
    language="",
):
    """Record an email and send it once the surrounding transaction commits.

    With a `dedupe_key`, a second call with the same key returns the existing message and sends
    nothing: that is how reminders and follow-ups are sent at most once.
    """
    fields = {
        "to_email": to,
        "to_name": to_name,
        "subject": subject,
        "template": template,
        "context": context or {},
        "kind": kind,
        "campaign": campaign,
        "dedupe_key": dedupe_key,
        "calendar": calendar,
        "calendar_method": calendar_method,
        "language": language,
    }
    if related is not None:
        fields["related_type"] = ContentType.objects.get_for_model(related)
        fields["related_id"] = related.pk
    if kind == MessageKind.CAMPAIGN and sending.is_suppressed(to):
        fields["state"] = MessageState.SUPPRESSED
    if dedupe_key is None:
        message = OutboundMessage.objects.create(**fields)
    else:
        try:
            with transaction.atomic():  # a savepoint, so a clash leaves the caller's transaction usable
                message = OutboundMessage.objects.create(**fields)
        except IntegrityError:
            return OutboundMessage.objects.get(dedupe_key=dedupe_key)
    if message.state == MessageState.QUEUED:
        enqueue(message.pk)
    return message


def enqueue(message_id):
    transaction.on_commit(lambda: tasks.send_outbound_message.delay(message_id))


def queue_emails(emails):
    """Record many emails at once (a campaign send): one INSERT, then their sending after commit.

    Each item takes the keyword arguments of `queue_email` and must have a `dedupe_key`; an item
    whose key was already used is skipped. Returns the new messages' ids.
    """
    if not emails:
        return []
    keys = [email["dedupe_key"] for email in emails]
    if None in keys or len(set(keys)) != len(keys):
        raise ValueError("queue_emails needs a distinct dedupe_key for every email")
    lowered = {email["to"].strip().lower() for email in emails if email.get("kind") == MessageKind.CAMPAIGN}
    suppressed = set(
        SuppressedAddress.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=lowered)
        .values_list("lower_email", flat=True)
    )
    content_types = {}
    with transaction.atomic():
        used = set(OutboundMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        rows = []
        for email in emails:
            if email["dedupe_key"] in used:
                continue
            kind = email.get("kind", MessageKind.TRANSACTIONAL)
            related = email.get("related")
            row = OutboundMessage(
                to_email=email["to"],
                to_name=email.get("to_name", ""),
                subject=email["subject"],
                template=email["template"],
                context=email.get("context") or {},
                kind=kind,
                campaign=email.get("campaign"),
                dedupe_key=email["dedupe_key"],
                calendar=email.get("calendar", ""),
                calendar_method=email.get("calendar_method", ""),
                language=email.get("language", ""),
            )
            if related is not None:
                model = type(related)
                if model not in content_types:
                    content_types[model] = ContentType.objects.get_for_model(model)
                row.related_type = content_types[model]
                row.related_id = related.pk
            if kind == MessageKind.CAMPAIGN and email["to"].strip().lower() in suppressed:
                row.state = MessageState.SUPPRESSED
            rows.append(row)
        OutboundMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        created = dict(
            OutboundMessage.objects.filter(dedupe_key__in=[row.dedupe_key for row in rows]).values_list(
                "dedupe_key", "pk"
            )
        )
    ids = [
        created[row.dedupe_key]
        for row in rows
        if row.state == MessageState.QUEUED and row.dedupe_key in created
    ]
    enqueue_many(ids)
    return ids


def enqueue_many(message_ids):
    """After commit, one sending task per batch of messages (claimed together, sent over one provider
    connection; see campaigns.mail.sending.deliver_batch)."""
    for batch in tasks.batches(message_ids):
        transaction.on_commit(lambda batch=batch: tasks.send_outbound_batch.delay(batch))
