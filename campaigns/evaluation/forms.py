"""The questionnaire as a form: one radio group for each question (two for one asked before and after), and
for adults a comment box. Values are option ids; anything else is refused by the field itself."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.bookings.forms import NO_CHILD_NAMES_HELP
from campaigns.evaluation.services import COMMENT_MAX_LENGTH
from campaigns.models import Asked, EvaluationAudience, Phase, QuestionKind


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Your code"),
        max_length=20,
        help_text=gettext_lazy("The six letters and numbers on the screen at the front of the room."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, versions, audience, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = versions
        self.audience = audience
        for number, version in enumerate(versions, start=1):
            if version.kind == QuestionKind.FREE_TEXT:
                if audience != EvaluationAudience.ADULTS:
                    continue
                self.fields[f"c{version.pk}"] = forms.CharField(
                    label=f"{number}. {version.text}",
                    required=False,
                    max_length=COMMENT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=NO_CHILD_NAMES_HELP,
                )
                continue
            choices = [(str(option.pk), option.label) for option in version.choices.all()]
            if version.asked == Asked.BEFORE_AND_AFTER:
                self.fields[f"q{version.pk}_before"] = forms.ChoiceField(
                    label=_("%(number)s. %(question)s: before the session")
                    % {"number": number, "question": version.text},
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                )
                label = _("%(number)s. %(question)s: now") % {"number": number, "question": version.text}
            else:
                label = f"{number}. {version.text}"
            self.fields[f"q{version.pk}"] = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in self.fields):
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned

    def answers(self):
        """(choices, comments) as campaigns.evaluation.services.submit takes them."""
        choices, comments = {}, {}
        for version in self.versions:
            if version.kind == QuestionKind.FREE_TEXT:
                text = self.cleaned_data.get(f"c{version.pk}")
                if text:
                    comments[version.pk] = text
                continue
            for name, phase in ((f"q{version.pk}", Phase.AFTER), (f"q{version.pk}_before", Phase.BEFORE)):
                value = self.cleaned_data.get(name)
                if value:
                    choices[(version.pk, phase)] = int(value)
        return choices, comments
