"""Staff forms for inviting organisations to a campaign and reminding those who have not answered."""

from django import forms

from campaigns.invitations import services as invitation_service
from campaigns.models import (
    Organisation,
    OrganisationKind,
)
from campaigns.organisations.selectors import distinct_values, recipients_for
from cms.partnership import scope
from resources.taxonomy import AdultAudience


class RecipientsForm(forms.Form):
    """Which organisations to invite. Its values travel in the query string so the preview can be shared."""

    local_authorities = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    kinds = forms.MultipleChoiceField(
        choices=OrganisationKind.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Kinds"
    )
    phases = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="Leave empty for every phase."
    )
    wards = forms.MultipleChoiceField(
        required=False, widget=forms.SelectMultiple, help_text="Leave empty for every ward."
    )
    covers_year_groups = forms.BooleanField(
        required=False, label="Only schools whose age range covers the campaign's year groups"
    )
    only_open = forms.BooleanField(
        required=False,
        label="Only open schools and groups",
        help_text="Untick to include those proposed to open. Closed ones are never invited.",
    )

    def __init__(self, *args, campaign, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        # The areas of the organisations the user may invite (their own councils', cms.partnership).
        mine = scope(Organisation.objects.all(), user) if user is not None else None
        self.fields["local_authorities"].choices = distinct_values("local_authority", mine)
        self.fields["phases"].choices = distinct_values("phase", mine)
        chosen_areas = campaign.local_authorities or None
        self.fields["wards"].choices = (
            distinct_values("ward", mine, local_authority__in=chosen_areas)
            if chosen_areas
            else distinct_values("ward", mine)
        )

    @classmethod
    def initial_for(cls, campaign):
        # A campaign for faith and community groups starts from those groups, any other from schools.
        groups = campaign.audience == AdultAudience.FAITH_COMMUNITY and not campaign.year_groups
        return {
            "local_authorities": campaign.local_authorities,
            "kinds": [OrganisationKind.FAITH, OrganisationKind.COMMUNITY]
            if groups
            else [OrganisationKind.SCHOOL],
            "covers_year_groups": bool(campaign.year_groups),
            "only_open": True,
        }

    def recipients(self):
        data = self.cleaned_data
        return recipients_for(
            self.campaign,
            kinds=data["kinds"] or None,
            local_authorities=data["local_authorities"] or [],
            wards=data["wards"] or None,
            phases=data["phases"] or None,
            covers_year_groups=data["covers_year_groups"],
            only_open=data["only_open"],
        )


class RemindForm(forms.Form):
    interval_days = forms.TypedChoiceField(
        coerce=int,
        choices=[(d, f"{d} days") for d in invitation_service.REMINDER_INTERVALS],
        initial=14,
        label="Remind those not reminded (or invited) within the last",
    )
