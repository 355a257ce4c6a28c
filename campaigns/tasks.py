"""The table of contents of the campaigns Celery tasks: Celery's autodiscovery imports this module.

Each task lives with its concept, in `campaigns/<concept>/tasks.py`, and is named
`campaigns.<concept>.<what it does>`; `campaigns.mail.*` goes to the `mail` queue, the rest to `default`.
The tasks below answer to names used before the tasks moved, so messages queued before a deploy still run.
"""

from celery import shared_task

from campaigns.bookings import tasks as bookings_tasks
from campaigns.library import tasks as library_tasks
from campaigns.mail import tasks as mail_tasks
from campaigns.organisations import tasks as organisations_tasks
from campaigns.privacy import tasks as privacy_tasks
from campaigns.reach import tasks as reach_tasks
from campaigns.training import tasks as training_tasks

TASK_MODULES = (
    bookings_tasks,
    library_tasks,
    mail_tasks,
    organisations_tasks,
    privacy_tasks,
    reach_tasks,
    training_tasks,
)


@shared_task(name="campaigns.import_schools")
def import_schools_under_earlier_name(job_id):
    organisations_tasks.import_schools(job_id)


@shared_task(name="campaigns.apply_retention")
def apply_retention_under_earlier_name():
    privacy_tasks.apply_retention()


@shared_task(name="campaigns.review_reminders")
def review_reminders_under_earlier_name():
    library_tasks.send_review_reminders()
