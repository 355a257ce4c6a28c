"""Admin for the partner councils: administrators and partnership coordinators (cms.add/change_authority)
set each council's area, its safeguarding contacts and the staff who work for it."""

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from cms.models import Authority, postcode_district


def _split(text):
    """Codes typed one per line or separated by commas or spaces, in order, without repeats."""
    seen = []
    for part in str(text or "").replace(",", " ").split():
        if part not in seen:
            seen.append(part)
    return seen


class CodeListField(forms.CharField):
    """A list of short codes, shown and typed as text ("883, 882")."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value):
        return _split(super().to_python(value))


class AuthorityForm(WagtailAdminModelForm):
    la_codes = CodeListField(
        label="Local-authority codes",
        required=False,
        help_text="The three-digit GIAS codes the council covers, separated by commas, e.g. 883. Schools in "
        "the national register are assigned to the council that covers their code.",
    )
    postcode_districts = CodeListField(
        required=False,
        help_text="The postcode districts in the area (the part of a postcode before the space), separated by "
        'commas, e.g. RM16, RM17, SS17. Used only for the "Where do you live?" look-up on the help page.',
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "members" in self.fields:
            self.fields["members"].queryset = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
            self.fields["members"].widget = forms.CheckboxSelectMultiple()
            self.fields["members"].widget.choices = self.fields["members"].choices

    def clean_la_codes(self):
        codes = self.cleaned_data["la_codes"]
        wrong = [code for code in codes if not (len(code) == 3 and code.isascii() and code.isdigit())]
        if wrong:
            raise forms.ValidationError(
                "A local-authority code is three digits, as in the schools register (e.g. 883). Not a code: "
                + ", ".join(wrong)
                + "."
            )
        taken = {}
        for other in Authority.objects.exclude(pk=self.instance.pk).only("name", "la_codes"):
            for code in other.la_codes or ():
                taken.setdefault(str(code), other.name)
        clashes = [f"{code} ({taken[code]})" for code in codes if code in taken]
        if clashes:
            raise forms.ValidationError(
                "Each local-authority code belongs to one council. Already covered by another: "
                + ", ".join(clashes)
                + "."
            )
        return codes

    def clean_postcode_districts(self):
        districts, wrong = [], []
        for text in self.cleaned_data["postcode_districts"]:
            district = postcode_district(text)
            # A district alone (RM17, SS1, E1W): not a whole postcode, nor letters or digits only.
            if district != text.upper() or len(district) > 4 or not any(c.isdigit() for c in district):
                wrong.append(text)
            elif district not in districts:
                districts.append(district)
        if wrong:
            raise forms.ValidationError(
                "A postcode district is the part of a postcode before the space, e.g. RM17 or SS1. Not a "
                "district: " + ", ".join(wrong) + "."
            )
        return districts


class AuthorityViewSet(ModelViewSet):
    model = Authority
    icon = "home"
    menu_label = "Partner councils"
    add_to_settings_menu = True
    list_display = ["name", "code", "front_door_phone", "is_demo"]
    search_fields = ["name", "code"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldPanel("is_demo"),
            MultiFieldPanel([FieldPanel("la_codes"), FieldPanel("postcode_districts")], heading="Area"),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("front_door_phone"), FieldPanel("front_door_hours")]),
                    FieldPanel("out_of_hours_phone"),
                    FieldPanel("referral_email"),
                    FieldRowPanel([FieldPanel("lado_phone"), FieldPanel("lado_email")]),
                    FieldPanel("website"),
                ],
                heading="Safeguarding contacts (shown to the public)",
            ),
            FieldPanel("team_email"),
            FieldPanel("members"),
        ],
        base_form_class=AuthorityForm,
    )


authority_viewset = AuthorityViewSet("partner_councils")
