"""Reach summaries: one row per organisation per campaign, the figures reach needs from its raw rows.

The database keeps each row current in the same transaction as the booking, register line or invitation
that moves it: triggers on those three tables (created by migration 0014) recompute the pair's row from
its raw rows after every insert, update and delete, whatever route made the change (a service, a bulk
update, a cascade). Nothing in Python writes these rows except the nightly rebuild
(`campaigns.reach.summaries`), which compares them with the raw rows, logs any drift and corrects it.

A row exists only while the pair has an invitation, a confirmed booking or a register line.
"""

from django.db import models


class OrganisationReach(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "campaigns.Organisation", on_delete=models.CASCADE, related_name="reach_summaries"
    )
    # Invitations (at most one per pair), and those opened, clicked, answered or booked from.
    invited = models.PositiveIntegerField(default=0)
    opened = models.PositiveIntegerField(default=0)
    # Confirmed bookings and the people on them (adults include guests).
    bookings = models.PositiveIntegerField(default=0)
    booked_pupils = models.PositiveIntegerField(default=0)
    booked_staff = models.PositiveIntegerField(default=0)
    booked_adults = models.PositiveIntegerField(default=0)
    # Register lines where someone came (`Attendance.objects.reached()`), and no-shows.
    lines = models.PositiveIntegerField(default=0)
    came_pupils = models.PositiveIntegerField(default=0)
    came_booked_pupils = models.PositiveIntegerField(default=0)
    came_staff = models.PositiveIntegerField(default=0)
    came_adults = models.PositiveIntegerField(default=0)
    walk_ins = models.PositiveIntegerField(default=0)
    walk_in_pupils = models.PositiveIntegerField(default=0)
    no_shows = models.PositiveIntegerField(default=0)

    FIGURES = (
        "invited",
        "opened",
        "bookings",
        "booked_pupils",
        "booked_staff",
        "booked_adults",
        "lines",
        "came_pupils",
        "came_booked_pupils",
        "came_staff",
        "came_adults",
        "walk_ins",
        "walk_in_pupils",
        "no_shows",
    )

    class Meta:
        verbose_name = "organisation reach summary"
        verbose_name_plural = "organisation reach summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="organisation_reach_one_per_pair"
            )
        ]

    def __str__(self):
        return f"Reach of organisation {self.organisation_id} in campaign {self.campaign_id}"
