"""A register file uploaded in the admin becomes a background import job (run by campaigns.organisations.tasks)."""

from django.db import transaction
from wagtail.log_actions import log

from campaigns.models import SchoolImport
from campaigns.organisations import tasks
from campaigns.organisations.register_file import check_upload_size, read_upload_header


def start_import_job(uploaded_file, *, local_authorities=None, user=None):
    """Store an uploaded register file and import it in the background. Returns the SchoolImport."""
    check_upload_size(uploaded_file)
    read_upload_header(uploaded_file)
    with transaction.atomic():
        job = SchoolImport.objects.create(
            file=uploaded_file, local_authorities=list(local_authorities or []), created_by=user
        )
        log(instance=job, action="campaigns.schools_import.started", user=user, data={"file": job.file.name})
        transaction.on_commit(lambda: tasks.import_schools.delay(job.pk))
    return job
