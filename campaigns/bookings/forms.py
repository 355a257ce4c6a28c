"""Public booking forms: what a school, group, parent or professional fills in. Rules live in the services."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaigns.bookings.rules import BOOKER_FIELDS, MAX_COUNT, OLDEST_AGE, YOUNGEST_AGE
from campaigns.models import GROUP_NAME_HELP, OrganisationKind
from campaigns.models.bookings import BOOKER_CONFIRMATIONS
from campaigns.models.tokens import new_token
from cms.widgets import CountInput
from events.models import BookingMode, EventKind
from resources.taxonomy import YearGroup


def count_field(label, noun, help_text=""):
    """A number of people; `noun` is how the messages name them ("pupils")."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        required=False,
        help_text=help_text,
        error_messages={
            "invalid": format_lazy(
                _("Enter the number of {noun} as a whole number, for example 30."), noun=noun
            ),
            "min_value": format_lazy(_("The number of {noun} cannot be negative."), noun=noun),
            "max_value": format_lazy(
                _("That is more {noun} than one booking can hold; please call the team."), noun=noun
            ),
        },
        widget=CountInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT}),
    )


class BotCheckMixin(forms.Form):
    """A one-time submission key (double submits find the first booking) and a field only bots fill in."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", new_token())

    @property
    def is_bot(self):
        return bool(self.data.get("website"))


def booker_details(form):
    """The booker's details and confirmations from a valid form: those of the booker fields it shows."""
    data = form.cleaned_data
    return {
        key: data.get(key) or (False if key in BOOKER_CONFIRMATIONS else "")
        for key in BOOKER_FIELDS
        if key in form.fields
    }


class BookerFields(forms.Form):
    booker_name = forms.CharField(label=_("Your name"), max_length=200)
    booker_email = forms.EmailField(
        label=_("Your email address"), help_text=_("We send the confirmation here.")
    )
    booker_phone = forms.CharField(label=_("Phone number"), max_length=32, required=False)


AGES = {"youngest": YOUNGEST_AGE, "oldest": OLDEST_AGE}
# campaigns.models.NO_CHILD_NAMES, as the public forms show it in the visitor's language (the number apart).
NO_CHILD_NAMES_HELP = format_lazy(
    _(
        "Do not write a child's name or anything that identifies a child. If you are worried about a child, "
        "follow your safeguarding procedure or call {emergency} in an emergency."
    ),
    emergency="999",
)


def age_field(label):
    return forms.IntegerField(
        label=label,
        min_value=YOUNGEST_AGE,
        max_value=OLDEST_AGE,
        required=False,
        error_messages={
            "invalid": _("Enter an age in whole years, for example 9."),
            "min_value": format_lazy(_("Enter an age from {youngest} to {oldest}."), **AGES),
            "max_value": format_lazy(_("Enter an age from {youngest} to {oldest}."), **AGES),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": YOUNGEST_AGE, "max": OLDEST_AGE}),
    )


class OrganisationBookingForm(BotCheckMixin, BookerFields):
    """Places for a school, faith or community group: counts only, never children's names.

    Schools give the pupils' year group; other groups give the children's ages (from and to). When the
    kind of group is not known yet (a group not in the register), both are shown.
    """

    year_group = forms.ChoiceField(label=_("Year group (schools)"), required=False)
    age_from = age_field(_("Youngest child's age"))
    age_to = age_field(_("Oldest child's age"))
    pupils = count_field(_("Pupils"), _("pupils"))
    staff = count_field(_("Staff"), _("staff"))
    adults = count_field(
        _("Other adults"), _("other adults"), _("Parents, volunteers or group leaders coming with you.")
    )
    booker_role = forms.CharField(label=_("Your role"), max_length=100, required=False)
    access_needs = forms.CharField(
        label=_("Access or SEND needs we should plan for"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_CHILD_NAMES_HELP,
    )
    safeguarding_confirmed = forms.BooleanField(required=False)
    photo_consent_confirmed = forms.BooleanField(required=False)

    field_order = [
        "year_group",
        "age_from",
        "age_to",
        "pupils",
        "staff",
        "adults",
        "booker_name",
        "booker_role",
        "booker_email",
        "booker_phone",
        "access_needs",
        "safeguarding_confirmed",
        "photo_consent_confirmed",
    ]

    def __init__(self, *args, campaign=None, organisation_kind="", **kwargs):
        super().__init__(*args, **kwargs)
        if organisation_kind == OrganisationKind.SCHOOL:
            del self.fields["age_from"], self.fields["age_to"]
        elif organisation_kind:
            del self.fields["year_group"]
            self.fields["pupils"].label = _("Children")
        else:
            self.fields["age_from"].help_text = _(
                "Groups that are not schools: the ages of the children coming."
            )
        ratio = campaign.pupils_per_adult if campaign else None
        if ratio:
            self.fields["staff"].help_text = _(
                "At least one adult (staff or other adults) for every %(ratio)s children."
            ) % {"ratio": ratio}
        if "year_group" not in self.fields:
            return self._statements(campaign)
        covered = [value for value in (campaign.year_groups if campaign else []) if value in YearGroup.values]
        choices = [(value, YearGroup(value).label) for value in covered] or list(YearGroup.choices)
        self.fields["year_group"].choices = [("", _("Choose a year group"))] + choices
        if len(covered) == 1:
            self.fields["year_group"].initial = covered[0]
        self._statements(campaign)

    def _statements(self, campaign):
        statements = {
            "safeguarding_confirmed": campaign.safeguarding_statement if campaign else "",
            "photo_consent_confirmed": campaign.photo_consent_statement if campaign else "",
        }
        for name, statement in statements.items():
            if statement:
                self.fields[name].label = statement
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = _("Please confirm this statement to book.")
            else:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        for name in ("pupils", "staff", "adults"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        if (
            data.get("pupils")
            and "age_from" not in self.fields
            and not data.get("year_group")
            and "year_group" not in self.errors
        ):
            self.add_error("year_group", _("Choose the year group the pupils are in."))
        if data.get("pupils") and "year_group" not in self.fields:
            if data.get("age_from") is None and "age_from" not in self.errors:
                self.add_error("age_from", _("Give the age of the youngest child coming."))
            if data.get("age_to") is None and "age_to" not in self.errors:
                self.add_error("age_to", _("Give the age of the oldest child coming."))
        if not self.errors and not (data.get("pupils") or data.get("staff") or data.get("adults")):
            raise forms.ValidationError(_("Please book at least one place."))
        return data

    def booking_fields(self):
        data = self.cleaned_data
        keys = ("year_group", "age_from", "age_to", "pupils", "staff", "adults")
        fields = {key: data.get(key) for key in keys if key in self.fields}
        return {**fields, **booker_details(self)}


class IndividualBookingForm(BotCheckMixin, BookerFields):
    """A place for one adult (parent session or professional training), with guests where allowed."""

    booker_organisation_name = forms.CharField(
        label=_("Your organisation or employer"), max_length=200, required=False
    )
    licence_number = forms.CharField(label=_("Licence number"), max_length=64, required=False)
    guests = count_field(_("Guests"), _("guests"))
    access_needs = forms.CharField(
        label=_("Access needs we should plan for"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_CHILD_NAMES_HELP,
    )

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        professional = event is not None and (
            event.kind == EventKind.PROFESSIONAL_TRAINING or event.attendees_named
        )
        if professional:
            self.fields["booker_organisation_name"].help_text = _(
                "Give your organisation or your licence number (for example a taxi licence); your "
                "certificate will carry it."
            )
        else:
            del self.fields["booker_organisation_name"]
            del self.fields["licence_number"]
        self.professional = professional
        max_guests = event.max_guests_per_booking if event is not None else 0
        if max_guests:
            self.fields["guests"].widget.attrs["max"] = max_guests
            self.fields["guests"].help_text = _("Up to %(count)s people coming with you.") % {
                "count": max_guests
            }
        else:
            del self.fields["guests"]

    def clean(self):
        data = super().clean()
        if data.get("guests") is None:
            data["guests"] = 0
        if self.professional and not (data.get("booker_organisation_name") or data.get("licence_number")):
            self.add_error("booker_organisation_name", _("Give your organisation or your licence number."))
        return data

    def booking_fields(self):
        return {"guests": self.cleaned_data.get("guests") or 0, **booker_details(self)}


def booking_form_class(session):
    if session.event.booking_mode == BookingMode.INDIVIDUAL:
        return IndividualBookingForm
    return OrganisationBookingForm


class FindOrganisationForm(forms.Form):
    q = forms.CharField(
        label=_("Find your school or group"),
        max_length=100,
        help_text=_("Search by name, URN or postcode."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class NewGroupForm(forms.Form):
    """A group not in the register; staff confirm it before it appears in reports as a known group."""

    group_name = forms.CharField(
        label=_("Name of your school or group"), max_length=255, help_text=GROUP_NAME_HELP
    )
    group_kind = forms.ChoiceField(
        label=_("What kind of group is it?"),
        choices=[
            (OrganisationKind.SCHOOL, _("School")),
            (OrganisationKind.FAITH, _("Place of worship or faith group")),
            (OrganisationKind.COMMUNITY, _("Youth or community group")),
            (OrganisationKind.OTHER, _("Other")),
        ],
    )
    group_postcode = forms.CharField(label=_("Postcode"), max_length=10)


class ChangeBookingForm(forms.Form):
    session = forms.ModelChoiceField(queryset=None, label=_("Session"), empty_label=None)
    year_group = forms.ChoiceField(label=_("Year group"), required=False)
    pupils = count_field(_("Pupils"), _("pupils"))
    staff = count_field(_("Staff"), _("staff"))
    adults = count_field(_("Other adults"), _("other adults"))
    guests = count_field(_("Guests"), _("guests"))

    def __init__(self, *args, booking, sessions, **kwargs):
        initial = {
            "session": booking.session_id,
            "year_group": booking.year_group,
            "pupils": booking.pupils,
            "staff": booking.staff,
            "adults": booking.adults,
            "guests": booking.guests,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["session"].queryset = sessions
        campaign = booking.campaign
        covered = [value for value in (campaign.year_groups if campaign else []) if value in YearGroup.values]
        self.fields["year_group"].choices = [("", _("No pupils"))] + (
            [(value, YearGroup(value).label) for value in covered] or list(YearGroup.choices)
        )
        if booking.organisation_id:
            del self.fields["guests"]
        else:
            for name in ("year_group", "pupils", "staff", "adults"):
                del self.fields[name]
            max_guests = booking.session.event.max_guests_per_booking
            if not max_guests:
                del self.fields["guests"]

    def changes(self):
        return {key: (0 if value is None else value) for key, value in self.cleaned_data.items()}


class CancelBookingForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, cancel this booking"), error_messages={"required": _("Tick the box to cancel.")}
    )


# --- staff: settling a session's bookings ---------------------------------------------------------


class SettleChoice:
    CANCEL = "cancel"
    MOVE = "move"


class CancelSessionForm(forms.Form):
    """How a session's bookings are settled when it is cancelled: all moved to one session, or all cancelled."""

    settle = forms.ChoiceField(
        label="What happens to the bookings",
        choices=[
            (SettleChoice.CANCEL, "Cancel every booking (each booker is emailed)"),
            (
                SettleChoice.MOVE,
                "Move every booking to another session of this event (each booker is emailed)",
            ),
        ],
        widget=forms.RadioSelect,
        initial=SettleChoice.CANCEL,
    )
    target = forms.ModelChoiceField(
        label="Move them to",
        queryset=None,
        required=False,
        empty_label="Choose a session",
        help_text="Only sessions of the same event that are still to come. The move happens only if all the "
        "bookings fit.",
    )

    def __init__(self, *args, targets, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = places
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda s: f"{s} ({s.places_left} places left)"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("settle") == SettleChoice.MOVE:
            target = cleaned.get("target")
            if target is None:
                self.add_error("target", "Choose the session to move the bookings to.")
            elif target.places_left < self.places:
                self.add_error(
                    "target",
                    f"That session has {target.places_left} places left; the bookings need {self.places}.",
                )
        return cleaned


class SessionMessageForm(forms.Form):
    """A message from staff to everyone booked on a session (a change of room, what to bring…)."""

    subject = forms.CharField(max_length=150, help_text="The session's name is added to the end.")
    message = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text. Each booker gets it once, with their booking reference and link.",
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)
