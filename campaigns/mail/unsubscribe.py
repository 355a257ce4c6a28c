"""Signed, non-expiring unsubscribe links for campaign emails, and honouring them."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from wagtail.log_actions import log

from campaigns.models import Contact, SuppressedAddress, SuppressionReason
from cms.links import absolute_url

SALT = "campaigns.unsubscribe"


def unsubscribe_token(email):
    return signing.dumps(email.strip().lower(), salt=SALT, compress=True)


def email_from_token(token):
    """The address a token was made for, or None if the token was tampered with."""
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def unsubscribe_url(email):
    return absolute_url(reverse("campaigns:unsubscribe", args=[unsubscribe_token(email)]))


@transaction.atomic
def unsubscribe(email):
    """No more campaign email to this address. Unsubscribing twice changes nothing more."""
    suppressed, created = SuppressedAddress.objects.get_or_create(
        email=email, defaults={"reason": SuppressionReason.UNSUBSCRIBED}
    )
    Contact.objects.filter(email__iexact=email, opted_out=False).update(opted_out=True)
    if created:
        log(instance=suppressed, action="campaigns.unsubscribed", user=None, data={"email": email})
