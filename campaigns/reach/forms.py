"""Forms for the register, walk-ins, cohorts and partner tokens."""

from django import forms

from campaigns.models import Campaign, OrganisationKind
from campaigns.reach.filters import ReachFilter
from cms.models import Authority


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
    council = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="The whole partnership",
        label="Partner council",
        to_field_name="code",
        help_text="One council's figures: its organisations, in its own campaigns and the joint ones.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")
        self.fields["kind"].choices = [("", "All kinds")] + list(OrganisationKind.choices)
        self.fields["council"].queryset = Authority.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date must be on or before the end date.")
        return data

    def to_filter(self):
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
            council_ids=(data["council"].pk,) if data.get("council") else None,
        )
