"""Load the demo site: pages, materials, events, campaigns, bookings and attendance. Safe to run again."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# In dependency order; each module has `seed(out)` and creates only what is missing.
DEMO_MODULES = [
    "cms.demo",
    "resources.demo",
    "events.demo",
    "campaigns.demo.organisations",  # organisations, campaigns, invitations, messages
    "campaigns.demo.bookings",  # bookings, waiting lists, reminders
    "campaigns.demo.attendance",  # registers, training records, cohorts
    "campaigns.demo.evaluation",  # quiz and training evaluation answers
]


class Command(BaseCommand):
    help = "Create demo content (idempotent: a second run changes nothing)."

    def handle(self, *args, **options):
        for dotted in DEMO_MODULES:
            module = import_module(dotted)
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
