"""Bookings of places at a session, by an organisation (counts) or by an individual (named adult).

Pupils are only ever counted. The places a booking holds are `places`, which the booking services
keep equal to the sum of its counts and mirror into `Session.places_taken` in the same transaction.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper

from resources.taxonomy import YearGroup

from .free_text import NO_CHILD_NAMES
from .tokens import new_token

# No 0/O, 1/I/L: references are read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference_suffix(length=4):
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


# The booker's personal details, named once: the booking forms take them, the staff export and the
# subject-access export show them, and retention blanks them. A personal field added to Booking goes here.
BOOKER_PERSONAL_FIELDS = (
    "booker_name",
    "booker_role",
    "booker_email",
    "booker_phone",
    "booker_organisation_name",
    "licence_number",
    "access_needs",
)
# What a booker confirms on the form (kept with the booking as the record that they did).
BOOKER_CONFIRMATIONS = ("safeguarding_confirmed", "photo_consent_confirmed")


class BookingKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    INDIVIDUAL = "individual", "Individual"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    # An open booking for an organisation, held until someone at its known address confirms it.
    UNCONFIRMED = "unconfirmed", "Awaiting the organisation's confirmation"
    CANCELLED = "cancelled", "Cancelled"


# The bookings that hold places at their session.
OPEN_BOOKING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.UNCONFIRMED)


class BookingQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=BookingStatus.CONFIRMED)

    def holding_places(self):
        """Confirmed bookings and unconfirmed ones still holding their places."""
        return self.filter(status__in=OPEN_BOOKING_STATUSES)

    def unconfirmed(self):
        return self.filter(status=BookingStatus.UNCONFIRMED)


class Booking(models.Model):
    # High-volume rows that no page or snippet links to: keep them out of Wagtail's reference index, which
    # would otherwise be rewritten (several queries) on every save.
    wagtail_reference_index_ignore = True

    reference = models.CharField(max_length=16, unique=True)
    session = models.ForeignKey("events.Session", on_delete=models.PROTECT, related_name="bookings")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    kind = models.CharField(max_length=16, choices=BookingKind.choices)
    organisation = models.ForeignKey(
        "campaigns.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    invitation = models.ForeignKey(
        "campaigns.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    year_group = models.CharField(max_length=4, choices=YearGroup.choices, blank=True)
    # Groups that are not schools give the age range of the children instead of a year group.
    age_from = models.PositiveSmallIntegerField(null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(null=True, blank=True)
    pupils = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    adults = models.PositiveIntegerField(default=0)
    guests = models.PositiveIntegerField(default=0)
    places = models.PositiveIntegerField(help_text="Places this booking holds at the session.")
    # The adult who booked: a teacher, group leader, parent or professional.
    booker_name = models.CharField(max_length=200)
    booker_role = models.CharField(max_length=100, blank=True)
    booker_email = models.EmailField()
    booker_phone = models.CharField(max_length=32, blank=True)
    booker_organisation_name = models.CharField(
        max_length=200, blank=True, help_text="For individuals: employer or licensing authority."
    )
    # The language the booker booked in (a code of settings.LANGUAGES): their confirmation, reminders and
    # calendar entries are written in it.
    language = models.CharField(
        max_length=16, default="en-gb", help_text="The language the booker booked in."
    )
    # The SEQUENCE of this booking's own calendar entry: raised each time a changed entry is sent.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    licence_number = models.CharField(max_length=64, blank=True)
    access_needs = models.TextField(
        blank=True, help_text=f"Access or SEND needs the team should plan for. {NO_CHILD_NAMES}"
    )
    safeguarding_confirmed = models.BooleanField(default=False)
    photo_consent_confirmed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED, db_index=True
    )
    hold_expires_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Until when an unconfirmed booking holds its places; they are released after that.",
    )
    manage_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # The booking form's one-time key: a form submitted twice finds the booking the first submit made.
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=BookingStatus.CANCELLED) | Q(places__gt=0),
                name="booking_confirmed_holds_places",
                violation_error_message="A confirmed booking must hold at least one place.",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.UNCONFIRMED) | Q(hold_expires_at__isnull=False),
                name="booking_unconfirmed_hold_expires",
                violation_error_message="A booking waiting for the school to confirm it needs a time its hold ends.",
            ),
            # Unconfirmed bookings count too: a school has one booking at a session, confirmed or waiting
            # for the school to confirm it.
            models.UniqueConstraint(
                fields=["organisation", "session"],
                condition=Q(status__in=OPEN_BOOKING_STATUSES) & Q(organisation__isnull=False),
                name="booking_one_open_per_organisation_per_session",
            ),
            # One person books a session once (guests ride on their booking): by email address, whatever
            # its case, and by licence number for professional training. Blanked rows (retention) are free.
            models.UniqueConstraint(
                Lower("booker_email"),
                "session",
                condition=Q(status=BookingStatus.CONFIRMED, kind=BookingKind.INDIVIDUAL)
                & ~Q(booker_email=""),
                name="booking_one_confirmed_per_email_per_session",
                violation_error_message="This email address already has a booking for this session.",
            ),
            models.UniqueConstraint(
                Upper("licence_number"),
                "session",
                condition=Q(status=BookingStatus.CONFIRMED, kind=BookingKind.INDIVIDUAL)
                & ~Q(licence_number=""),
                name="booking_one_confirmed_per_licence_per_session",
                violation_error_message="This licence number already has a booking for this session.",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"]),
            # Pupils booked per year group for a campaign, read from the index alone (the reach dashboard).
            models.Index(
                fields=["campaign", "year_group", "pupils"],
                condition=Q(status=BookingStatus.CONFIRMED),
                name="booking_year_group_pupils",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def language_name(self):
        """The booker's language as staff read it ("Polski (pl)")."""
        return f"{dict(settings.LANGUAGES).get(self.language, self.language)} ({self.language})"

    @property
    def is_confirmed(self):
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_unconfirmed(self):
        return self.status == BookingStatus.UNCONFIRMED


class WaitingListStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered places"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Offer expired"
    LEFT = "left", "Left the list"


class WaitingListEntry(models.Model):
    """Someone waiting for places at a full session. An offer holds the places for a set time."""

    # High-volume rows that no page or snippet links to: keep them out of Wagtail's reference index, which
    # would otherwise be rewritten (several queries) on every save.
    wagtail_reference_index_ignore = True

    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="waiting_list")
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting_list"
    )
    organisation = models.ForeignKey(
        "campaigns.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="waiting"
    )
    invitation = models.ForeignKey(
        "campaigns.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="waiting"
    )
    places_wanted = models.PositiveIntegerField()
    # What the booking will hold once accepted: the same fields as Booking.
    details = models.JSONField(default=dict, blank=True)
    booker_name = models.CharField(max_length=200)
    booker_email = models.EmailField()
    position = models.PositiveIntegerField(db_index=True)
    status = models.CharField(
        max_length=16, choices=WaitingListStatus.choices, default=WaitingListStatus.WAITING, db_index=True
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "position"]
        verbose_name_plural = "waiting list entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(places_wanted__gt=0),
                name="waiting_wants_places",
                violation_error_message="A waiting-list entry must ask for at least one place.",
            ),
            models.CheckConstraint(
                condition=~Q(status=WaitingListStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="waiting_offer_has_expiry",
                violation_error_message="An offer of places needs the time it runs out.",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "position"])]

    def __str__(self):
        return f"{self.booker_name} waiting for {self.places_wanted} at {self.session_id}"

    @property
    def is_open(self):
        return self.status in (WaitingListStatus.WAITING, WaitingListStatus.OFFERED)


class CapacityDrift(models.Model):
    """A difference the nightly reconciliation found between a session's counter and its bookings."""

    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="capacity_drifts")
    places_taken = models.IntegerField(help_text="The session's counter when checked.")
    places_booked = models.IntegerField(
        help_text="Bookings holding places (confirmed or awaiting confirmation) plus places held for offers."
    )
    found_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-found_at"]

    def __str__(self):
        return f"Session {self.session_id}: counter {self.places_taken}, bookings {self.places_booked}"

    @property
    def difference(self):
        return self.places_taken - self.places_booked
