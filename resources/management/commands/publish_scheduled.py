"""Wagtail's `publish_scheduled`, which first withdraws any due go-live of a page for children no reviewer approved.

This app comes before Wagtail in INSTALLED_APPS, so this command replaces Wagtail's under the same name.
Without it, one unapproved schedule would stop the whole run at the publish guard (resources/workflow.py).
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from resources.services import withdraw_unreviewed_schedules


class Command(WagtailPublishScheduled):
    help = (
        "Publish and unpublish pages whose scheduled time has come. A page for children goes live only "
        "if a safeguarding reviewer approved the scheduled version; other schedules are withdrawn."
    )

    def handle(self, *args, **options):
        if not options["dryrun"]:
            for revision in withdraw_unreviewed_schedules():
                self.stderr.write(
                    f"Withdrawn: “{revision.object_str}” (revision {revision.pk}) is for children and no "
                    "safeguarding reviewer approved it. Submit it for review."
                )
        super().handle(*args, **options)
