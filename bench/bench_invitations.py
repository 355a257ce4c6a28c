"""Invitations through the pipeline: sent by a real Celery worker into anymail's test backend, against a
plain loop rendering and sending the same messages in one process, in the same run."""

import os
import time

from bench.support import result


def make_schools(count):
    from campaigns.models import Contact, Organisation, OrganisationKind

    organisations = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.SCHOOL,
            name=f"Bench Primary {n}",
            urn=800000 + n,
            local_authority="Thurrock",
            statutory_low_age=4,
            statutory_high_age=11,
        )
        for n in range(count)
    )
    Contact.objects.bulk_create(
        Contact(organisation=organisation, email=f"office{n}@bench.example.org")
        for n, organisation in enumerate(organisations)
    )


def run(ctx):
    if not ctx.redis_url:
        return []
    import datetime

    from django.core.mail import get_connection
    from django.utils import timezone

    from campaigns.invitations import services as invitations
    from campaigns.mail.sending import build_email
    from campaigns.models import Campaign, MessageState, OutboundMessage
    from campaigns.organisations.selectors import recipients_for

    count = ctx.scaled(2000, minimum=200)
    make_schools(count)
    campaign = Campaign.objects.create(
        name="Bench Walk Online",
        slug="bench-walk-online",
        code="BWO",
        audience="8-10",
        year_groups=["Y5"],
        local_authorities=["Thurrock"],
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    # Run as in production: `make worker` is Celery's default pool, one process per core; a production
    # worker keeps its database connection between tasks.
    workers = os.cpu_count() or 1
    with ctx.celery_worker(
        concurrency=workers, pool="prefork", extra_env={"TEST_DATABASE_CONN_MAX_AGE": "60"}
    ):
        started = time.perf_counter()
        invitations.send_invitations(campaign, recipients_for(campaign))
        queued_seconds = time.perf_counter() - started
        deadline = time.monotonic() + 600
        while OutboundMessage.objects.filter(campaign=campaign, state=MessageState.SENT).count() < count:
            if time.monotonic() > deadline:
                raise RuntimeError("the invitations were not all sent within 10 minutes")
            time.sleep(0.2)
        pipeline_seconds = time.perf_counter() - started

    # Baseline: the same messages rendered and sent one after another, no rows, no worker.
    messages = list(OutboundMessage.objects.filter(campaign=campaign))
    backend = get_connection("anymail.backends.test.EmailBackend")
    started = time.perf_counter()
    for message in messages:
        backend.send_messages([build_email(message)])
    loop_seconds = time.perf_counter() - started

    return [
        result(
            "invitations sent through the pipeline",
            "emails per second",
            count / pipeline_seconds,
            "emails/s",
            "plain loop rendering and sending in one process",
            len(messages) / loop_seconds,
            notes=(
                f"{count:,} invitations; queued (rows + tasks) in {queued_seconds:.2f} s, all sent after "
                f"{pipeline_seconds:.1f} s by one worker of {workers} processes (prefork, as `make worker` runs); "
                f"loop {loop_seconds:.1f} s"
            ),
        )
    ]
