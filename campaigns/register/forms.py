"""Staff forms for the register: counts per booking, walk-ins, named walk-ins."""

from django import forms

from campaigns.models import Organisation
from campaigns.organisations.forms import OrganisationChoiceField
from cms.widgets import CountInput
from resources.taxonomy import Sector, YearGroup

COUNT = {"min_value": 0, "max_value": 10_000}


def _count_field(label):
    return forms.IntegerField(
        label=label,
        initial=0,
        widget=CountInput(attrs={"inputmode": "numeric", "min": 0, "class": "register-count"}),
        **COUNT,
    )


class AttendanceForm(forms.Form):
    pupils = _count_field("Pupils")
    staff = _count_field("Staff")
    adults = _count_field("Other adults")
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


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
