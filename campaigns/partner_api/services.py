"""Partner API tokens: issued once in the admin, stored only as a hash, checked on every API call."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from campaigns.models import PartnerToken
from cms.errors import ServiceError

TOKEN_PREFIX = "st_"  # noqa: S105 (a label, not a secret)
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(name, *, user=None, authority=None):
    """Create a token for a partner. Returns (PartnerToken, raw token): show the raw token once, never again."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("Enter who the token is for.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PartnerToken.objects.create(
        name=name[:200], token_hash=hash_token(raw), prefix=raw[:8], created_by=user, authority=authority
    )
    log(
        instance=token,
        action="campaigns.partner_token.issued",
        user=user,
        data={"name": token.name, "council": str(authority) if authority else "the whole partnership"},
    )
    return token, raw


@transaction.atomic
def revoke_token(token, *, user=None):
    PartnerToken.objects.filter(pk=token.pk).update(active=False)
    log(instance=token, action="campaigns.partner_token.revoked", user=user)


def authenticate(raw, now=None):
    """The active token matching `raw`, or None. Marks it used (at most every few minutes, to spare writes)."""
    if not raw or len(raw) > 128:
        return None
    token = PartnerToken.objects.filter(token_hash=hash_token(raw), active=True).first()
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        PartnerToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
