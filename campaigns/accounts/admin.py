"""The staff accounts screen (Settings → Users) with each person's partner councils.

Whoever manages staff chooses the councils a person works for: a partnership coordinator any council, a
council's own manager only the councils they belong to (memberships of other councils are left as they
are). Installed as Wagtail's user viewset by campaigns.accounts.apps.StaffUsersConfig.
"""

from django import forms
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users

from cms import partnership
from cms.models import Authority


class CouncilsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Authority.objects.all(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Partner councils",
            help_text="The councils this person works for: they see and change those councils' campaigns, "
            "organisations and figures, and the partnership's joint work.",
            **kwargs,
        )


class StaffUserCreationForm(UserCreationForm):
    councils = CouncilsField()


class StaffUserEditForm(UserEditForm):
    councils = CouncilsField()


def set_councils(person, chosen, *, by):
    """Make `person` a member of the `chosen` councils among those `by` may give; leave the others alone."""
    allowed = set(partnership.councils_to_choose(by))
    chosen = set(chosen) & allowed
    current = set(person.authorities.all()) & allowed
    for council in chosen - current:
        council.members.add(person)
    for council in current - chosen:
        council.members.remove(person)
    partnership.forget(person)


class CouncilsViewMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field = form.fields.get("councils")
        if field is not None:
            field.queryset = partnership.councils_to_choose(self.request.user)
            if getattr(self, "object", None) is not None and self.object.pk and not form.is_bound:
                form.initial["councils"] = list(
                    self.object.authorities.filter(pk__in=field.queryset).values_list("pk", flat=True)
                )
        return form

    def save_instance(self):
        instance = super().save_instance()
        if "councils" in self.form.cleaned_data:
            set_councils(instance, self.form.cleaned_data["councils"], by=self.request.user)
        return instance


class CreateView(CouncilsViewMixin, users.CreateView):
    pass


class EditView(CouncilsViewMixin, users.EditView):
    pass


class StaffUserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    create_template_name = "campaigns/accounts/user_create.html"
    edit_template_name = "campaigns/accounts/user_edit.html"

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm
