"""Staff forms for organisations: uploading the schools register."""

from django import forms

from campaigns.organisations.register_file import read_upload_header
from cms.errors import ServiceError


class SchoolImportForm(forms.Form):
    file = forms.FileField(
        help_text="The 'all establishment data' CSV from Get Information about Schools (edubasealldata….csv)."
    )
    local_authorities = forms.CharField(
        required=False,
        help_text="Only import these local authorities: names or codes, separated by commas. Empty for all.",
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError("Choose the register's .csv file.")
        try:
            read_upload_header(uploaded)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return uploaded

    def clean_local_authorities(self):
        raw = self.cleaned_data["local_authorities"]
        return [part.strip() for part in raw.split(",") if part.strip()]
