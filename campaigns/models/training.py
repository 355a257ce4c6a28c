"""Professional training: courses with a renewal period, the records people earn, and cohorts who must train."""

from django.db import models
from django.db.models import Q

from resources.taxonomy import Sector


class TrainingCourse(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    renewal_months = models.PositiveSmallIntegerField(
        default=36, help_text="How long a certificate stays valid, in months."
    )
    evaluation_before_certificate = models.BooleanField(
        "ask for the evaluation before the certificate",
        default=False,
        help_text="Trainees marked attended are first emailed a personal link to the session's adults' "
        "evaluation; their certificate is issued when they have answered (their answers stay anonymous). "
        "Needs an adults' questionnaire on this course; without one certificates are issued as usual.",
    )
    events = models.ManyToManyField(
        "events.EventPage",
        blank=True,
        related_name="training_courses",
        help_text="Events that teach this course.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TrainingRecord(models.Model):
    """One person's completion of a course, with a certificate anyone can verify by its code."""

    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    attendee = models.OneToOneField(
        "campaigns.NamedAttendee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_record",
    )
    session = models.ForeignKey(
        "events.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="training_records"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, db_index=True)
    licence_number = models.CharField(max_length=64, blank=True, db_index=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    completed_on = models.DateField()
    valid_until = models.DateField(db_index=True)
    verification_code = models.CharField(max_length=16, unique=True, editable=False)
    revoked = models.BooleanField(default=False)
    awaiting_evaluation = models.BooleanField(
        default=False,
        help_text="Attended, but the certificate waits until the trainee has answered the evaluation (or "
        "staff issue it by hand). Until then the code verifies nothing.",
    )
    evaluated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the trainee answered the evaluation through their personal link. Only that they "
        "did: their answers are anonymous counts, never linked to this record.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("completed_on")),
                name="training_valid_after_completion",
                violation_error_message="A training record cannot run out before the day the training was completed.",
            )
        ]

    def __str__(self):
        return f"{self.name}: {self.course} ({self.completed_on})"

    @property
    def certificate_issued(self):
        """Whether this record is a certificate: not withdrawn, and not waiting for the evaluation."""
        return not self.revoked and not self.awaiting_evaluation


class Cohort(models.Model):
    """People who must be trained, such as a council's elected members or a licensing authority's drivers."""

    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    course = models.ForeignKey(
        TrainingCourse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts",
        help_text="The course members must hold. Leave empty to accept any course.",
    )
    authority = models.ForeignKey(
        "cms.Authority",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name="council",
        help_text="The partner council whose people these are. Leave empty for a cohort of the whole partnership.",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CohortMember(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    licence_number = models.CharField(max_length=64, blank=True)
    sector = models.CharField(max_length=32, choices=Sector.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(licence_number=""),
                name="cohort_member_has_email_or_licence",
                violation_error_message="Give the member's email address or their licence number.",
            ),
        ]

    def __str__(self):
        return self.name
