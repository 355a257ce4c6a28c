"""Forms for training: loading a cohort from a file, checking a certificate, and checking a list of
licence numbers."""

import csv
import io

from django import forms

from campaigns.models import Cohort


class CohortUploadForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.all())
    file = forms.FileField(help_text="CSV with the columns: name, email, licence number, sector.")


class VerifyForm(forms.Form):
    code = forms.CharField(max_length=40, label="Verification code")


MAX_LICENCES = 500
MAX_LICENCE_FILE_BYTES = 1024 * 1024
LICENCE_COLUMNS = ("licence number", "licence_number", "licence", "license number", "license")


def _licences_from_csv(data):
    """Licence numbers from a CSV: the column headed "licence number" (or "licence"), else the first column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not a CSV we can read.") from exc
    if "\x00" in text:
        raise forms.ValidationError("The file is not a CSV we can read.")
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in LICENCE_COLUMNS if name in header), None)
    if column is None:
        column, body = 0, rows
    else:
        body = rows[1:]
    return [row[column] for row in body if len(row) > column]


class LicenceCheckForm(forms.Form):
    """A list of licence numbers to check, pasted one a line (or separated by commas) or uploaded as a CSV."""

    licences = forms.CharField(
        label="Licence numbers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One a line, or separated by commas.",
    )
    file = forms.FileField(
        label="Or a CSV file",
        required=False,
        help_text="With a column headed “licence number”, or the licence numbers in the first column.",
    )

    def clean(self):
        data = super().clean()
        numbers = []
        for part in (data.get("licences") or "").replace(",", "\n").splitlines():
            numbers.append(part)
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_LICENCE_FILE_BYTES:
                raise forms.ValidationError("The file is larger than 1 MB.")
            numbers += _licences_from_csv(upload.read())
        unique = []
        for number in numbers:
            number = number.strip()[:64]
            if number and "\x00" not in number and number.upper() not in {u.upper() for u in unique}:
                unique.append(number)
        if not unique:
            raise forms.ValidationError("Paste at least one licence number, or choose a CSV file.")
        if len(unique) > MAX_LICENCES:
            raise forms.ValidationError(f"Check at most {MAX_LICENCES} licence numbers at a time.")
        data["numbers"] = unique
        return data
