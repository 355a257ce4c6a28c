"""System checks for a deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

from cms.webhooks import webhook_secrets


def webhook_secret_check(app_configs=None, **kwargs):
    """The provider's tracking webhook is mounted: it must have a `user:password` secret to check calls."""
    if not getattr(settings, "ANYMAIL_PROVIDER", ""):
        return []  # no provider, no webhook mounted (the embedded default)
    secrets = webhook_secrets()
    if not secrets:
        return [
            checks.Error(
                "ANYMAIL_WEBHOOK_SECRET is not set, so the email provider's tracking webhook would accept "
                "forged events from anyone (marking messages delivered or clicked, suppressing addresses).",
                hint="Set ANYMAIL_WEBHOOK_SECRET to a random 'user:password' and give the same credentials "
                "to the provider's webhook URL.",
                id="cms.E001",
            )
        ]
    if not all(":" in secret for secret in secrets):
        return [
            checks.Error(
                "ANYMAIL_WEBHOOK_SECRET must have the form 'user:password' (HTTP basic authentication).",
                id="cms.E002",
            )
        ]
    return []


def base_url_check(app_configs=None, **kwargs):
    """Links in emails (bookings, invitations, unsubscribe, certificates) carry tokens: they must use https."""
    base = str(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if base.startswith("https://"):
        return []
    return [
        checks.Error(
            f"WAGTAILADMIN_BASE_URL is {base!r}: links in emails would send booking and unsubscribe tokens "
            "over plain http.",
            hint="Set WAGTAILADMIN_BASE_URL to the site's https address, e.g. https://safe-together.example.gov.uk.",
            id="cms.E003",
        )
    ]
