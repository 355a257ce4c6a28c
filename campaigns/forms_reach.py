"""Forms for the register, walk-ins, cohorts and partner tokens."""

from django import forms

from campaigns.models import Cohort, Organisation
from resources.taxonomy import Sector, YearGroup

COUNT = {"min_value": 0, "max_value": 10_000}


def _count_field(label):
    return forms.IntegerField(
        label=label,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "register-count"}),
        **COUNT,
    )


class AttendanceForm(forms.Form):
    pupils = _count_field("Pupils")
    staff = _count_field("Staff")
    adults = _count_field("Other adults")
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WalkInForm(AttendanceForm):
    organisation = forms.ModelChoiceField(
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


class CohortUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.all())
    file = forms.FileField(help_text="CSV with the columns: name, email, licence number, sector.")


class VerifyForm(forms.Form):
    code = forms.CharField(max_length=40, label="Verification code")


class ReachFilterForm(forms.Form):
    """The dashboard's filters; `to_filter()` turns valid input into a ReachFilter."""

    campaign = forms.ModelChoiceField(queryset=None, required=False, empty_label="All campaigns")
    series = forms.SlugField(required=False, max_length=50)
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    local_authority = forms.CharField(required=False, max_length=100)
    district = forms.CharField(required=False, max_length=100)
    ward = forms.CharField(required=False, max_length=100)
    kind = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        from campaigns.models import Campaign, OrganisationKind

        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")
        self.fields["kind"].choices = [("", "All kinds")] + list(OrganisationKind.choices)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return data

    def to_filter(self):
        from campaigns.reach import ReachFilter

        data = self.cleaned_data
        return ReachFilter(
            campaign_id=data["campaign"].pk if data.get("campaign") else None,
            series=data.get("series") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            local_authority=data.get("local_authority") or "",
            district=data.get("district") or "",
            ward=data.get("ward") or "",
            kind=data.get("kind") or "",
        )
