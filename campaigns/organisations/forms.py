"""Staff forms for organisations: uploading the schools register, and the labels that tell organisations
(and their contacts) apart wherever staff pick one from a list."""

from django import forms

from campaigns.models import Contact, Organisation
from campaigns.organisations.register_file import check_upload_size, read_upload_header
from cms.errors import ServiceError


def organisation_label(organisation):
    """An organisation as staff pick it from a list, told apart from others of the same name:
    "St Mary's CE Primary (URN 123456, Grays)". `str()` stays the plain name, for logs and emails."""
    details = [f"URN {organisation.urn}" if organisation.urn else "", organisation.town]
    details = ", ".join(detail for detail in details if detail)
    return f"{organisation.name} ({details})" if details else organisation.name


def contact_label(contact):
    """A contact as staff pick one from a list: who, their address, and which organisation."""
    who = f"{contact.name} <{contact.email}>" if contact.name else contact.email
    return f"{who}, {organisation_label(contact.organisation)}"


class OrganisationChoiceField(forms.ModelChoiceField):
    """A select of organisations labelled by `organisation_label`."""

    def label_from_instance(self, obj):
        return organisation_label(obj)


class ContactChoiceField(forms.ModelChoiceField):
    """A select of contacts labelled by `contact_label` (organisations read in the same query)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related("organisation"), **kwargs)

    def label_from_instance(self, obj):
        return contact_label(obj)


def labelled_formfield(db_field, **kwargs):
    """The form field for a model field, with organisations and contacts labelled to tell them apart: for a
    viewset's `formfield_for_dbfield`."""
    if db_field.many_to_one and db_field.related_model is Organisation:
        kwargs.setdefault("form_class", OrganisationChoiceField)
    elif db_field.many_to_one and db_field.related_model is Contact:
        kwargs.setdefault("form_class", ContactChoiceField)
    return db_field.formfield(**kwargs)


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
            check_upload_size(uploaded)
            read_upload_header(uploaded)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None
        return uploaded

    def clean_local_authorities(self):
        raw = self.cleaned_data["local_authorities"]
        return [part.strip() for part in raw.split(",") if part.strip()]
