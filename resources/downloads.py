"""Links to documents that count downloads, with attribution that cannot be forged.

Contract (used by the campaigns side for follow-up packs):
`tracked_download_url(document, *, resource=None, campaign_id=None, organisation_id=None) -> str`
returns a site-relative URL. Any attribution (resource, campaign, organisation) travels in a token
signed with django.core.signing, so changing an id in the link makes the link invalid.
"""

from django.core import signing
from django.urls import reverse

SALT = "resources.download"


class InvalidDownloadLink(Exception):
    """The attribution token was tampered with or belongs to another document."""


def tracked_download_url(document, *, resource=None, campaign_id=None, organisation_id=None):
    url = reverse(
        "resources:download",
        kwargs={"document_id": document.pk, "filename": document.filename or "download"},
    )
    attribution = {
        "d": document.pk,
        "r": getattr(resource, "pk", resource) or 0,
        "c": int(campaign_id or 0),
        "o": int(organisation_id or 0),
    }
    if attribution["r"] or attribution["c"] or attribution["o"]:
        url += "?t=" + signing.dumps(attribution, salt=SALT, compress=True)
    return url


def read_attribution(token, document_id):
    """The (resource_id, campaign_id, organisation_id) a token carries, or InvalidDownloadLink."""
    if not token:
        return 0, 0, 0
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvalidDownloadLink
    try:
        if int(data["d"]) != int(document_id):
            raise InvalidDownloadLink
        return int(data["r"]), int(data["c"]), int(data["o"])
    except (KeyError, TypeError, ValueError):
        raise InvalidDownloadLink
