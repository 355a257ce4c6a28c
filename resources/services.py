"""Use cases of the library that change state: counting downloads."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from resources.models import DownloadCount, ResourcePage


def record_download(document, *, resource_id=0, campaign_id=0, organisation_id=0, day=None):
    """Add one to today's count for this document (and resource / tracked link). No personal data.

    One UPDATE … SET count = count + 1 in the common case; the first download of the day inserts the row,
    and a concurrent first insert falls back to the UPDATE.
    """
    day = day or timezone.localdate()
    if resource_id and not ResourcePage.objects.filter(pk=resource_id).exists():
        resource_id = 0
    key = {
        "day": day,
        "document": document,
        "resource_id": resource_id or None,
        "campaign_id": campaign_id,
        "organisation_id": organisation_id,
    }
    if DownloadCount.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(**key, count=1)
    except IntegrityError:
        DownloadCount.objects.filter(**key).update(count=F("count") + 1)
