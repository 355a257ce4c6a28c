"""Compare every session's places taken with its confirmed bookings and held offers, and report drift."""

from django.core.management.base import BaseCommand

from campaigns.bookings import reconciliation


class Command(BaseCommand):
    help = (
        "Check that each session's places taken equals its confirmed bookings plus held waiting-list offers."
    )

    def handle(self, *args, **options):
        found = reconciliation.reconcile()
        for drift in found:
            self.stdout.write(
                f"Session {drift.session_id}: counter {drift.places_taken}, bookings and offers "
                f"{drift.places_booked} (difference {drift.difference:+d})"
            )
        self.stdout.write(f"{len(found)} session(s) with drift.")
        if found:
            raise SystemExit(1)
