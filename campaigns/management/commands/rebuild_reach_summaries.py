"""Rebuild the reach summaries from invitations, bookings and registers (after an import or a data load)."""

from django.core.management.base import BaseCommand

from campaigns.reach import summaries


class Command(BaseCommand):
    help = "Rebuild every organisation's reach summary per campaign from its raw rows, reporting differences."

    def handle(self, *args, **options):
        drifted = summaries.reconcile()
        for campaign_id, organisation_id in drifted:
            self.stdout.write(f"Corrected campaign {campaign_id}, organisation {organisation_id}")
        self.stdout.write(f"{len(drifted)} reach summary row(s) corrected.")
