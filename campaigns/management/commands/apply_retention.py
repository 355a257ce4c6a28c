"""Remove personal data past its retention period, keeping every anonymous count. Run nightly by beat too."""

from django.core.management.base import BaseCommand

from campaigns.privacy.services import apply_retention


class Command(BaseCommand):
    help = (
        "Blank or delete personal data older than the retention periods (see campaigns/privacy/services.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = apply_retention(dry_run=dry_run)
        self.stdout.write("Would remove:" if dry_run else "Removed:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
