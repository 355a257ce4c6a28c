"""Unsubscribe links for campaign emails, and honouring them.

A link carries an opaque token: the signed random key of the address's `UnsubscribeLink` row, so the address
cannot be read from the link, nor a link made for someone else's address. Links do not expire. Links in
emails sent before the keys existed (the address itself, signed) keep working.
"""

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from wagtail.log_actions import log

from campaigns.models import Contact, SuppressedAddress, SuppressionReason, UnsubscribeLink
from cms.links import absolute_url

SALT = "campaigns.unsubscribe.key"
# The earlier links: the address, signed (and so readable by whoever holds the link).
ADDRESS_SALT = "campaigns.unsubscribe"

_signer = signing.Signer(salt=SALT)

# What a mail program's one-click unsubscribe posts (RFC 8058).
ONE_CLICK_FIELD = "List-Unsubscribe"
ONE_CLICK_VALUE = "One-Click"


def link_for(email):
    """The address's UnsubscribeLink row, made the first time it is needed."""
    email = email.strip().lower()
    link = UnsubscribeLink.objects.filter(email=email).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return UnsubscribeLink.objects.create(email=email)
    except IntegrityError:
        # Another process made it at the same moment.
        return UnsubscribeLink.objects.get(email=email)


def links_for(emails):
    """The UnsubscribeLink keys of many addresses at once (a batch of emails), made where missing.

    Returns {lower-cased address: key}, in two queries and one INSERT whatever the number.
    """
    wanted = {email.strip().lower() for email in emails}
    if not wanted:
        return {}
    keys = dict(UnsubscribeLink.objects.filter(email__in=wanted).values_list("email", "key"))
    missing = wanted - set(keys)
    if missing:
        # Another process may make some at the same moment: theirs are kept, and read back below.
        UnsubscribeLink.objects.bulk_create(
            [UnsubscribeLink(email=email) for email in sorted(missing)], ignore_conflicts=True
        )
        keys.update(UnsubscribeLink.objects.filter(email__in=missing).values_list("email", "key"))
    return keys


def unsubscribe_token(email):
    return _signer.sign(link_for(email).key)


def unsubscribe_url_for_key(key):
    return absolute_url(reverse("campaigns:unsubscribe", args=[_signer.sign(key)]))


def email_from_token(token):
    """The address a token was made for, or None if the token is unknown or was tampered with."""
    try:
        key = _signer.unsign(token)
    except signing.BadSignature:
        return _email_from_address_token(token)
    link = UnsubscribeLink.objects.filter(key=key).first()
    return link.email if link else None


def _email_from_address_token(token):
    try:
        email = signing.loads(token, salt=ADDRESS_SALT)
    except (signing.BadSignature, ValueError):
        return None
    return email if isinstance(email, str) and email else None


def unsubscribe_url(email):
    return unsubscribe_url_for_key(link_for(email).key)


def masked(email):
    """An address shown to whoever holds its link, without giving it away: "s•••@school.sch.uk"."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else f"{email[:1]}•••"


def is_one_click(post_data):
    """Whether a POST is a mail program's one-click unsubscribe (`List-Unsubscribe=One-Click`)."""
    return post_data.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE


@transaction.atomic
def unsubscribe(email):
    """No more campaign email to this address. Unsubscribing twice changes nothing more."""
    suppressed, created = SuppressedAddress.objects.get_or_create(
        email=email, defaults={"reason": SuppressionReason.UNSUBSCRIBED}
    )
    Contact.objects.filter(email__iexact=email, opted_out=False).update(opted_out=True)
    if created:
        log(instance=suppressed, action="campaigns.unsubscribed", user=None, data={"email": email})
