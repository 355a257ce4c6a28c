"""Who came to a session: counts per booking (pupils are never named), walk-ins, and named adults at training."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from resources.taxonomy import Sector, YearGroup

from .free_text import NO_CHILD_NAMES


class AttendanceQuerySet(models.QuerySet):
    def reached(self):
        """Register lines where someone came: what "reached" means on every screen, export and the API.

        An organisation is reached by a session when the register shows people from it there (walk-ins
        with an organisation included); a booking alone, or a no-show, reaches nobody.
        """
        return self.filter(no_show=False)


class Attendance(models.Model):
    """The register line for one booking, or for a walk-in (no booking) at a session."""

    session = models.ForeignKey("events.Session", on_delete=models.PROTECT, related_name="attendance")
    booking = models.OneToOneField(
        "campaigns.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    organisation = models.ForeignKey(
        "campaigns.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendance",
        help_text="Optional for walk-ins.",
    )
    year_group = models.CharField(max_length=4, choices=YearGroup.choices, blank=True)
    pupils = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    adults = models.PositiveIntegerField(default=0)
    no_show = models.BooleanField(default=False, help_text="Booked but nobody came.")
    notes = models.TextField(blank=True, help_text=NO_CHILD_NAMES)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name_plural = "attendance"
        permissions = [
            ("take_register", "Can take and correct session registers"),
            ("view_reach", "Can view reach dashboards, reports and cohort compliance"),
            ("correct_closed_registers", "Can correct registers after they have closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(no_show=False) | (Q(pupils=0) & Q(staff=0) & Q(adults=0)),
                name="attendance_no_show_has_no_counts",
                violation_error_message="A no-show records no pupils, staff or adults.",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False) | Q(no_show=False),
                name="attendance_walk_in_is_not_no_show",
                violation_error_message="A walk-in came to the session, so it cannot be a no-show.",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "organisation"]),
            # Pupils who came per year group for a campaign, read from the index alone (the reach dashboard).
            models.Index(
                fields=["campaign", "year_group", "pupils"],
                condition=Q(no_show=False),
                name="attendance_year_group_pupils",
            ),
        ]

    def __str__(self):
        return f"Attendance {self.pk} at session {self.session_id}"

    @property
    def is_walk_in(self):
        return self.booking_id is None

    @property
    def people(self):
        return self.pupils + self.staff + self.adults


class NamedAttendee(models.Model):
    """An adult at professional training, ticked off by name; attending earns a training record."""

    session = models.ForeignKey("events.Session", on_delete=models.PROTECT, related_name="named_attendees")
    booking = models.ForeignKey(
        "campaigns.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="named_attendees"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    licence_number = models.CharField(max_length=64, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    attended = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=Q(booking__isnull=False), name="named_attendee_one_per_booking"
            )
        ]

    def __str__(self):
        return self.name
