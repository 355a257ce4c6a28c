"""Forms for training: loading a cohort from a file, and checking a certificate."""

from django import forms

from campaigns.models import Cohort


class CohortUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.all())
    file = forms.FileField(help_text="CSV with the columns: name, email, licence number, sector.")


class VerifyForm(forms.Form):
    code = forms.CharField(max_length=40, label="Verification code")
