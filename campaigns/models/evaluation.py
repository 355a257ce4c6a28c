"""Did it work? Questionnaires answered after a session, kept as counts.

- A Questionnaire is for pupils (multiple choice only, never free text) or adults (scales, choices and
  comments). It belongs to a `series` (a slug such as walk-online-quiz) so answers compare year on year, and
  is used by one or more campaigns or training courses.
- A Question is what staff edit. What pupils and adults answer is a QuestionVersion: editing a question's
  text, kind or options after someone has answered starts a new version, so old answers keep pointing at
  the words they answered and the figures never mix two wordings.
- Answers are AnswerCount rows: per session (and per booking, for a school's own code), question version,
  option and phase (before / after), one counter raised with an F() increment. A Response is one
  submission (its nonce, signed into the form, makes a replayed or doubled submission count once).
- Adults' comments are AdultComment rows, read only by staff and removed by retention like other free text.
- An EvaluationCode is the short code a class or a room types in; it expires some days after the session.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

# Letters and digits nobody confuses when read off a screen: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value):
    """What someone typed, as a code: capitals, no spaces or dashes."""
    return "".join(str(value or "").split()).replace("-", "").upper()[:32]


class EvaluationAudience(models.TextChoices):
    PUPILS = "pupils", "Pupils"
    ADULTS = "adults", "Adults"


class QuestionKind(models.TextChoices):
    CHOICE = "choice", "Multiple choice"
    SCALE = "scale_1_5", "Scale from 1 to 5"
    FREE_TEXT = "free_text", "Comment (adults only)"


class Asked(models.TextChoices):
    AFTER = "after", "After the session"
    BEFORE_AND_AFTER = "before_and_after", "Before and after the session"


class Phase(models.TextChoices):
    BEFORE = "before", "Before"
    AFTER = "after", "After"


SCALE_LABELS = {
    1: "1 – Not at all",
    2: "2",
    3: "3",
    4: "4",
    5: "5 – Very much",
}


class QuestionnaireForm(WagtailAdminModelForm):
    """Refuses a comment question on a pupils' questionnaire before anything is saved."""

    def is_valid(self):
        # The questions' formset is checked after the form's own clean(), so look at it here.
        valid = super().is_valid()
        questions = self.formsets.get("questions")
        if not valid or self.cleaned_data.get("audience") != EvaluationAudience.PUPILS or questions is None:
            return valid
        for form in questions.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("kind") == QuestionKind.FREE_TEXT and not data.get("DELETE"):
                form.add_error(
                    "kind", "Pupils' questionnaires hold no free text: use multiple choice questions."
                )
                return False
        return True


class Questionnaire(ClusterableModel):
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=16, choices=EvaluationAudience.choices)
    series = models.SlugField(
        help_text="Questionnaires asked again each year share a series (e.g. walk-online-quiz), so their "
        "figures compare year on year."
    )
    introduction = models.TextField(
        blank=True, help_text="Shown above the questions. Keep it short and kind."
    )
    campaigns = models.ManyToManyField(
        "campaigns.Campaign",
        blank=True,
        related_name="questionnaires",
        help_text="Campaigns whose sessions ask this questionnaire. One questionnaire can serve several.",
    )
    courses = models.ManyToManyField(
        "campaigns.TrainingCourse",
        blank=True,
        related_name="questionnaires",
        help_text="Training courses whose sessions ask this questionnaire (adults). Whether a course asks "
        "for it before issuing certificates is set on the course (Training courses).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    base_form_class = QuestionnaireForm
    panels = [
        FieldPanel("name"),
        FieldPanel("audience"),
        FieldPanel("series"),
        FieldPanel("introduction"),
        FieldPanel("campaigns"),
        FieldPanel("courses"),
        InlinePanel("questions", heading="Questions", label="Question", min_num=1),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(Orderable):
    """The question staff edit. Answers belong to its versions (QuestionVersion)."""

    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.CHOICE)
    asked = models.CharField(max_length=20, choices=Asked.choices, default=Asked.AFTER)
    options = models.TextField(
        blank=True,
        help_text="For multiple choice: one option a line, two to eight options. Scales have 1 to 5 already.",
    )

    panels = [FieldPanel("text"), FieldPanel("kind"), FieldPanel("asked"), FieldPanel("options")]

    class Meta:
        ordering = ["questionnaire", "sort_order", "pk"]

    def __str__(self):
        return self.text

    @property
    def position(self):
        return self.sort_order or 0

    def option_labels(self):
        if self.kind == QuestionKind.SCALE:
            return list(SCALE_LABELS.values())
        if self.kind == QuestionKind.FREE_TEXT:
            return []
        return [line.strip()[:200] for line in self.options.splitlines() if line.strip()]

    def clean(self):
        audience = self.questionnaire.audience if self.questionnaire_id else None
        if audience == EvaluationAudience.PUPILS and self.kind == QuestionKind.FREE_TEXT:
            raise ValidationError(
                {"kind": "Pupils' questionnaires hold no free text: use multiple choice questions."}
            )
        if self.kind == QuestionKind.FREE_TEXT and self.asked != Asked.AFTER:
            raise ValidationError({"asked": "A comment is asked once, after the session."})
        if self.kind == QuestionKind.CHOICE:
            labels = self.option_labels()
            if not 2 <= len(labels) <= 8:
                raise ValidationError({"options": "Give two to eight options, one a line."})
            if len(set(labels)) != len(labels):
                raise ValidationError({"options": "Each option must be different."})


class QuestionVersion(models.Model):
    """One wording of a question, with its options: what answers point at. Never changed once answered."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    audience = models.CharField(max_length=16, choices=EvaluationAudience.choices)
    version = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    asked = models.CharField(max_length=20, choices=Asked.choices)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(audience=EvaluationAudience.PUPILS) & Q(kind=QuestionKind.FREE_TEXT)),
                name="evaluation_no_free_text_for_pupils",
                violation_error_message="Pupils' questionnaires hold no free text.",
            ),
            models.UniqueConstraint(
                fields=["question", "version"], name="evaluation_question_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.text} (version {self.version})"


class Option(models.Model):
    question_version = models.ForeignKey(QuestionVersion, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200)
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The number on a 1 to 5 scale; empty for multiple choice."
    )

    class Meta:
        ordering = ["question_version", "position", "pk"]

    def __str__(self):
        return self.label


class EvaluationCode(models.Model):
    """The short code a room types in: one for a session, one for each school booked on it."""

    code = models.CharField(max_length=12, unique=True, default=new_code, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="codes")
    session = models.ForeignKey("events.Session", on_delete=models.CASCADE, related_name="evaluation_codes")
    booking = models.ForeignKey(
        "campaigns.Booking", null=True, blank=True, on_delete=models.CASCADE, related_name="evaluation_codes"
    )
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "booking", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "session"],
                condition=Q(booking__isnull=True),
                name="evaluation_one_code_per_session",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "booking"],
                condition=Q(booking__isnull=False),
                name="evaluation_one_code_per_booking",
            ),
        ]

    def __str__(self):
        return self.code


class Response(models.Model):
    """One submission of a questionnaire: counted once, whatever the network does."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    session = models.ForeignKey(
        "events.Session", on_delete=models.PROTECT, related_name="evaluation_responses"
    )
    booking = models.ForeignKey(
        "campaigns.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_responses",
    )
    nonce = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["session", "booking"])]

    def __str__(self):
        return f"Response {self.pk} at session {self.session_id}"


class AnswerCount(models.Model):
    """How many chose one option of one question version, at one session (and school), before or after."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="answer_counts")
    session = models.ForeignKey("events.Session", on_delete=models.PROTECT, related_name="answer_counts")
    booking = models.ForeignKey(
        "campaigns.Booking", null=True, blank=True, on_delete=models.PROTECT, related_name="answer_counts"
    )
    question_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="counts")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="counts")
    phase = models.CharField(max_length=8, choices=Phase.choices, default=Phase.AFTER)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["session", "question_version", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "option", "phase"],
                condition=Q(booking__isnull=True),
                name="evaluation_count_unique_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "booking", "option", "phase"],
                condition=Q(booking__isnull=False),
                name="evaluation_count_unique_per_booking",
            ),
        ]

    def __str__(self):
        return f"{self.option}: {self.count}"


class AdultComment(models.Model):
    """What an adult wrote in a comment box: read by staff only, removed by retention."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    question_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="comments")
    audience = models.CharField(max_length=16, choices=EvaluationAudience.choices, default="adults")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience=EvaluationAudience.ADULTS),
                name="evaluation_comments_from_adults_only",
                violation_error_message="Only adults' evaluations hold comments.",
            )
        ]

    def __str__(self):
        return f"Comment {self.pk}"
