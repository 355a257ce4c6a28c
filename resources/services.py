"""Use cases of the library that change state: counting downloads, withdrawing unreviewed schedules."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Revision

from resources.models import DownloadCount, ResourcePage
from resources.workflow import may_go_live


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


def withdraw_unreviewed_schedules():
    """Cancel every scheduled go-live of a page for children that no safeguarding reviewer approved.

    Such a schedule can only come from before the publish guard, or from outside Wagtail. Cancelling it
    (Wagtail logs "wagtail.schedule.cancel") keeps the page as it is; `publish_scheduled` then publishes
    the rest. Returns the withdrawn revisions.
    """
    withdrawn = []
    scheduled = Revision.objects.page_revisions().filter(approved_go_live_at__isnull=False)
    for revision in scheduled.order_by("approved_go_live_at"):
        if not may_go_live(revision.as_object(), revision, user=None):
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            withdrawn.append(revision)
    return withdrawn
