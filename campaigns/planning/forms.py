"""The campaign form in the admin: year groups and areas as choices rather than raw JSON."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from campaigns.models import Organisation
from campaigns.organisations.selectors import distinct_values
from cms.partnership import scope
from resources.taxonomy import YearGroup


class CampaignAdminForm(WagtailAdminModelForm):
    """Year groups and areas as choices rather than raw JSON."""

    year_groups = forms.MultipleChoiceField(
        choices=YearGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    local_authorities = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Local authorities the campaign covers (from the organisations on record).",
    )
    districts = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance
        # The areas of the organisations the user sees (their own councils', cms.partnership).
        organisations = scope(Organisation.objects.all(), self.for_user) if self.for_user else None
        authorities = distinct_values("local_authority", organisations)
        known = {value for value, _ in authorities}
        authorities += [(v, v) for v in current.local_authorities or [] if v not in known]
        self.fields["local_authorities"].choices = authorities
        districts = distinct_values("district", organisations)
        known = {value for value, _ in districts}
        districts += [(v, v) for v in current.districts or [] if v not in known]
        self.fields["districts"].choices = districts
