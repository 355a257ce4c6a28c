"""`manage.py import_schools FILE`: load the national schools register (GIAS establishment CSV)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from campaigns.organisations.services import import_schools
from cms.errors import ServiceError


class Command(BaseCommand):
    help = "Create or update schools from a Get Information about Schools 'all establishment data' CSV."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the edubasealldata CSV (Windows-1252 or UTF-8).")
        parser.add_argument(
            "--local-authority",
            action="append",
            dest="local_authorities",
            default=[],
            metavar="NAME_OR_CODE",
            help="Only import schools in this local authority (name or code). Repeat for several.",
        )

    def handle(self, *args, file, local_authorities, **options):
        show_progress = options["verbosity"] >= 1
        terminal = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr

        def progress(done, total):
            if show_progress:
                terminal.write(f"\rImporting: {done:,} of {total:,} rows")
                terminal.flush()

        try:
            result = import_schools(file, local_authorities=local_authorities, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        if show_progress:
            terminal.write("\n")
        for problem in result.problems:
            self.stdout.write(self.style.WARNING(f"Line {problem['line']}: skipped, {problem['reason']}"))
        if result.skipped > len(result.problems):
            self.stdout.write(f"… and {result.skipped - len(result.problems):,} more skipped lines.")
        for line in result.summary_lines():
            self.stdout.write(line)
