"""The email provider's tracking webhook: only the configured provider's, and only with a shared secret.

anymail ships a webhook for every provider it knows, each accepting anything when no WEBHOOK_SECRET is
set. The site serves one: `/anymail/<ANYMAIL_PROVIDER>/tracking/`. Every other provider's path is a 404,
and with no provider (the embedded default, whose emails go to var/outbox/) there is no webhook at all.
Should the secret be missing anyway, the webhook refuses every call instead of trusting it; production
settings will not start without it and `manage.py check --deploy` reports it (cms/checks.py).
"""

import functools
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
            secret_required(view.as_view()),
            name=f"{provider}_tracking_webhook",
        )
    ]
