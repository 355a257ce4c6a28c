"""Bulk actions on the campaigns side's listings, through Wagtail's own bulk-action framework.

A listing whose index view uses `BulkActionsIndexMixin` gets a tick box per row and the footer of actions
registered for its model (`register_bulk_action` hook, in campaigns/wagtail_hooks.py). Each action is a
`CampaignBulkAction`: a confirmation screen listing the ticked rows, then one service call per row, so
every row is checked, logged and emailed exactly as when staff change it on its own. A row the service
refuses is reported by name and the others go ahead.

Only rows ticked on the screen are acted on: "select all in listing" would reach past the filters staff
see (Wagtail's default takes every row of the table), so it is refused.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.functional import cached_property, classproperty
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.views.bulk_action import BulkAction

from cms.errors import ServiceError
from cms.partnership import scope

MAX_ROWS = 500


class BulkActionsIndexMixin:
    """For a ModelViewSet's IndexView: a tick box on each row and the bulk-action footer."""

    bulk_obj_type = "row"

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type=self.bulk_obj_type), *super().columns]

    def _get_title_column(self, *args, **kwargs):
        kwargs.setdefault("get_title_id", lambda instance: f"{self.bulk_obj_type}_{quote(instance.pk)}_title")
        return super()._get_title_column(*args, **kwargs)

    def get_template_names(self):
        if self.results_only:
            return super().get_template_names()
        return ["campaigns/bulk/index.html"]


class CampaignBulkAction(BulkAction):
    """One bulk action: `model`, `permission`, `display_name`, `action_type`, and `act(obj, user, form)`."""

    model = None
    permission = ""
    template_name = "campaigns/bulk/confirm.html"
    verb = ""  # "cancelled", "confirmed": for the messages

    @classproperty
    def models(cls):
        return [cls.model] if cls.model is not None else []

    @classmethod
    def get_queryset(cls, model, object_ids):
        ids = [int(value) for value in object_ids if str(value).isascii() and str(value).isdigit()]
        ids = [value for value in ids if value < 2**63]  # beyond any id the database can hold
        return list(model.objects.filter(pk__in=ids).order_by("pk"))

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        if "all" in request.GET.getlist("id"):
            messages.error(
                request, "Tick the rows to act on (at most one page at a time): “all” is not offered here."
            )
            return self.redirect_back()
        if len(request.GET.getlist("id")) > MAX_ROWS:
            messages.error(request, f"At most {MAX_ROWS} rows at a time.")
            return self.redirect_back()
        return super().dispatch(request, *args, **kwargs)

    def redirect_back(self):
        return redirect(self.next_url)

    def check_perm(self, obj):
        return self.request.user.has_perm(self.permission)

    def get_actionable_objects(self):
        """Rows of another council are left out altogether (not even named as refused): the partnership
        rule (cms.partnership) decides which ticked rows the user may act on."""
        objects, extra = super().get_actionable_objects()
        ids = [obj.pk for obj in objects] + [obj.pk for obj in extra["items_with_no_access"]]
        allowed = set(
            scope(self.model.objects.filter(pk__in=ids), self.request.user, for_change=True).values_list(
                "pk", flat=True
            )
        )
        return (
            [obj for obj in objects if obj.pk in allowed],
            {"items_with_no_access": [obj for obj in extra["items_with_no_access"] if obj.pk in allowed]},
        )

    def object_context(self, obj):
        return {"item": obj, "label": self.label(obj)}

    def label(self, obj):
        """How a row is named on the confirmation screen and in refusals."""
        return str(obj)

    def act(self, obj, user, form):
        raise NotImplementedError

    def get_execution_context(self):
        return {"action": self}

    @classmethod
    def execute_action(cls, objects, action=None, **kwargs):
        done, refused = 0, []
        for obj in objects:
            try:
                action.act(obj, action.request.user, action.cleaned_form)
            except ServiceError as exc:
                refused.append(f"{action.label(obj)}: {exc.message}")
            else:
                done += 1
        action.refused = refused
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        for line in getattr(self, "refused", []):
            messages.warning(self.request, line)
        if not num_parent_objects:
            return None
        noun = (
            self.model._meta.verbose_name if num_parent_objects == 1 else self.model._meta.verbose_name_plural
        )
        return f"{num_parent_objects} {noun} {self.verb}."
