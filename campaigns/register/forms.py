"""Staff forms for the register: counts per booking, walk-ins, named walk-ins."""

from django import forms

from campaigns.models import NO_CHILD_NAMES, Organisation
from campaigns.organisations.forms import OrganisationChoiceField
from campaigns.register.services import MAX_COUNT
from cms.widgets import CountInput
from resources.taxonomy import Sector, YearGroup


def _count_field(label):
    return forms.IntegerField(
        label=label,
        initial=0,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages={
            "invalid": f"Enter the number of {label.lower()} as a whole number, for example 28.",
            "min_value": f"The number of {label.lower()} cannot be negative.",
            "max_value": f"{label} cannot be more than {MAX_COUNT:,}: check the number.",
        },
        widget=CountInput(
            attrs={"inputmode": "numeric", "min": 0, "max": MAX_COUNT, "class": "register-count"}
        ),
    )


class AttendanceForm(forms.Form):
    pupils = _count_field("Pupils")
    staff = _count_field("Staff")
    adults = _count_field("Other adults")
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_CHILD_NAMES
    )
    confirmed = forms.BooleanField(required=False, label="Yes, this is right")


class WalkInForm(AttendanceForm):
    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Not listed / no organisation"
    )
    year_group = forms.ChoiceField(
        choices=[("", "Not a school group")] + list(YearGroup.choices), required=False
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


class NamedWalkInForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    licence_number = forms.CharField(max_length=64, required=False)
    organisation_name = forms.CharField(
        max_length=200, required=False, label="Employer or licensing authority"
    )
    sector = forms.ChoiceField(choices=[("", "—")] + list(Sector.choices), required=False)
