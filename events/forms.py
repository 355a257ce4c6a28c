"""Admin forms for sessions: one session, and a run of repeating sessions made in one step."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminTimeInput

from events.models import EventPage, Session, Venue

CAPACITY_BELOW_TAKEN = (
    "The capacity cannot go below the %(taken)s places already booked. Cancel or move bookings "
    "first, or choose a larger number."
)


class SessionForm(WagtailAdminModelForm):
    """Session details. `places_taken` is not here: only the booking side changes it."""

    class Meta:
        model = Session
        fields = [
            "event",
            "starts_at",
            "ends_at",
            "venue",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = EventPage.objects.order_by("title")
        self.fields["starts_at"].help_text = "UK time (Europe/London)."
        self.fields["ends_at"].help_text = "UK time (Europe/London)."
        self.fields[
            "status"
        ].help_text = "Cancelling a session sends everyone booked a cancellation with a calendar update."

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = Session.objects.values_list("places_taken", flat=True).get(pk=self.instance.pk)
            if capacity is not None and capacity < taken:
                raise forms.ValidationError(CAPACITY_BELOW_TAKEN % {"taken": taken}, code="below_taken")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError("A session needs at least one place.")
        return capacity

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "A session must end after it starts.")
        opens, closes = cleaned.get("booking_opens_at"), cleaned.get("booking_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("booking_closes_at", "Booking must close after it opens.")
        return cleaned


class RepeatingSessionsForm(forms.Form):
    FREQUENCY_CHOICES = [
        ("quarterly", "Every quarter (January, April, July, October)"),
        ("monthly", "Every month"),
        ("weekly", "Every week"),
    ]
    WEEKDAY_CHOICES = [
        (0, "Monday"),
        (1, "Tuesday"),
        (2, "Wednesday"),
        (3, "Thursday"),
        (4, "Friday"),
        (5, "Saturday"),
        (6, "Sunday"),
    ]
    WEEK_CHOICES = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (-1, "Last")]

    event = forms.ModelChoiceField(queryset=EventPage.objects.order_by("title"))
    venue = forms.ModelChoiceField(queryset=Venue.objects.all())
    capacity = forms.IntegerField(min_value=1)
    frequency = forms.ChoiceField(choices=FREQUENCY_CHOICES)
    weekday = forms.TypedChoiceField(choices=WEEKDAY_CHOICES, coerce=int, label="Day of the week")
    week_of_month = forms.TypedChoiceField(
        choices=WEEK_CHOICES,
        coerce=int,
        label="Which one in the month",
        help_text="For monthly and quarterly sessions, e.g. the first Tuesday. Ignored for weekly sessions.",
    )
    first_date = forms.DateField(widget=AdminDateInput, label="From")
    last_date = forms.DateField(widget=AdminDateInput, label="Until")
    start_time = forms.TimeField(widget=AdminTimeInput, help_text="UK time.")
    end_time = forms.TimeField(widget=AdminTimeInput, help_text="UK time.")

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", "The last date must be on or after the first date.")
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "A session must end after it starts.")
        return cleaned
