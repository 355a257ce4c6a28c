"""What the campaigns side does for the materials library: the weekly reminder to owners of pages past their
review date.

The library (resources) cannot import campaigns, where the one email pipeline lives, so this use case
lives here and reads the overdue pages through `resources.selectors.overdue_review_reminders`.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns.mail.services import queue_email
from campaigns.models import MessageKind
from cms.links import absolute_url
from resources.selectors import overdue_review_reminders


def review_week(day):
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@transaction.atomic
def send_review_reminders(today=None):
    """Queue one reminder per overdue page to its review owner, at most once per page per ISO week.

    Returns the number of reminders handled (a re-run in the same week finds them already queued).
    """
    today = today or timezone.localdate()
    week = review_week(today)
    reminders = overdue_review_reminders(today)
    for reminder in reminders:
        queue_email(
            to=reminder["owner_email"],
            to_name=reminder["owner_name"],
            subject=f"Please review: {reminder['title']}",
            template="review_reminder",
            context={
                "title": reminder["title"],
                "review_by": reminder["review_by"].isoformat(),
                "days_overdue": reminder["days_overdue"],
                "edit_url": absolute_url(reverse("wagtailadmin_pages:edit", args=[reminder["page_id"]])),
                "report_url": absolute_url(reverse("resources_review_due")),
            },
            kind=MessageKind.TRANSACTIONAL,
            related=reminder["page"],
            dedupe_key=f"review-reminder:{reminder['page_id']}:{week}",
        )
    return len(reminders)
