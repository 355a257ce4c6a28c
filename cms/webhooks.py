"""The email provider's tracking webhook: only the configured provider's, and only with a shared secret.

anymail ships a webhook for every provider it knows, each accepting anything when no WEBHOOK_SECRET is
set. The site serves one: `/anymail/<ANYMAIL_PROVIDER>/tracking/`. Every other provider's path is a 404,
and with no provider (the embedded default, whose emails go to var/outbox/) there is no webhook at all.
Should the secret be missing anyway, the webhook refuses every call instead of trusting it; production
settings will not start without it and `manage.py check --deploy` reports it (cms/checks.py).
"""

import functools
import json
import logging

from anymail.utils import get_anymail_setting
from anymail.webhooks.amazon_ses import AmazonSESTrackingWebhookView
from anymail.webhooks.brevo import BrevoTrackingWebhookView
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.mailjet import MailjetTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from anymail.webhooks.resend import ResendTrackingWebhookView
from anymail.webhooks.sendgrid import SendGridTrackingWebhookView
from anymail.webhooks.sparkpost import SparkPostTrackingWebhookView
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import HttpResponseForbidden
from django.urls import path

logger = logging.getLogger(__name__)

TRACKING_WEBHOOKS = {
    "amazon_ses": AmazonSESTrackingWebhookView,
    "brevo": BrevoTrackingWebhookView,
    "mailgun": MailgunTrackingWebhookView,
    "mailjet": MailjetTrackingWebhookView,
    "postmark": PostmarkTrackingWebhookView,
    "resend": ResendTrackingWebhookView,
    "sendgrid": SendGridTrackingWebhookView,
    "sparkpost": SparkPostTrackingWebhookView,
}


NUL = "\x00"


def unreadable_reason(value):
    """Why a parsed JSON value cannot be stored (a NUL character or a lone surrogate in a string, a key
    included), or "" when every string in it is storable text."""
    if isinstance(value, dict):
        return next(
            filter(None, (unreadable_reason(k) or unreadable_reason(v) for k, v in value.items())), ""
        )
    if isinstance(value, list):
        return next(filter(None, map(unreadable_reason, value)), "")
    if isinstance(value, str):
        if NUL in value:
            return "a NUL character"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a character that is not text"
    return ""


def check_json_body(body):
    """Refuse (BadRequest, a 400) a JSON webhook body that is not UTF-8, not JSON, not an object or a list of
    objects, or that holds a string no database column can store."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("The webhook body is not UTF-8 JSON.") from None
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise BadRequest("The webhook body is not a JSON object or a list of them.")
    reason = unreadable_reason(payload)
    if reason:
        raise BadRequest(f"The webhook body holds {reason}.")


class CheckedBodyMixin:
    """After the provider's authentication, the body is checked before anymail parses it, every event is
    parsed before any is applied, and the events of one call are applied all together or not at all."""

    def parse_events(self, request):
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.startswith("text/"):
            check_json_body(request.body)
        return list(super().parse_events(request))

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().post(request, *args, **kwargs)


def checked(view_class):
    return type(f"Checked{view_class.__name__}", (CheckedBodyMixin, view_class), {})


def webhook_secrets():
    """The configured `user:password` secrets (ANYMAIL["WEBHOOK_SECRET"]), as a list; empty when unset."""
    secret = get_anymail_setting("webhook_secret", default=[])
    if isinstance(secret, str):
        return [secret] if secret else []
    return [item for item in secret if item]


def secret_required(view):
    """Refuse every call while no webhook secret is configured, rather than accept anyone's events."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not webhook_secrets():
            logger.warning(
                "Refused a tracking webhook call at %s: ANYMAIL_WEBHOOK_SECRET is not set", request.path
            )
            return HttpResponseForbidden("This webhook is not configured.", content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapped


def tracking_webhook_urls(provider):
    """URL patterns (to mount under anymail/) for `provider`'s tracking webhook; none without a provider."""
    view = TRACKING_WEBHOOKS.get(provider)
    if view is None:
        return []
    return [
        path(
            f"{provider}/tracking/",
            secret_required(checked(view).as_view()),
            name=f"{provider}_tracking_webhook",
        )
    ]
