"""Export or erase everything held about one adult (subject access and erasure requests)."""

import json

from django.core.management.base import BaseCommand, CommandError

from campaigns.privacy.services import erase_person, export_person
from cms.errors import ServiceError


class Command(BaseCommand):
    help = "personal_data export EMAIL | personal_data erase EMAIL --yes  (optionally --licence NUMBER)"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email", nargs="?", default="")
        parser.add_argument("--licence", default="", help="Also match this licence number.")
        parser.add_argument("--yes", action="store_true", help="Confirm an erasure.")

    def handle(self, *args, action, email, licence, yes, **options):
        try:
            if action == "export":
                self.stdout.write(json.dumps(export_person(email, licence), indent=2))
                return
            if not yes:
                raise CommandError("Erasing cannot be undone: add --yes to confirm.")
            report = erase_person(email, licence)
        except ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Erased:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
