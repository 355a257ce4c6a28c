"""Whose work a member of staff sees and changes, in one place.

One instance can serve a partnership of councils (cms.models.Authority). The rule:

- An install with **no partner council** behaves as one council: everyone with a role sees everything.
- Once a council exists, staff see the work of the councils they are members of (`Authority.members`), and
  change it. Partnership coordinators (superusers, or the `cms.coordinate_partnership` permission) see and
  change every council's work.
- **Joint work** (a campaign, event or session with no council: the whole partnership runs it) is seen by
  staff of every council, and so is the work under it (invitations, bookings, waiting lists, registers,
  emails): partners run it together. The joint campaign or event itself (its details, its sessions,
  deleting it) is changed only by coordinators.
- **Organisations outside the partnership** (no council) and their contacts are seen by coordinators only,
  and so are partnership-wide partner API tokens.
- **What serves other work** (a questionnaire, asked by campaigns and training courses) has no council of
  its own: it is seen by whoever sees a campaign it serves, and by everyone when it serves none; it is
  changed by whoever may change every campaign it serves, since a change alters what each of them asks. So
  one linked only to a council's campaigns is that council's, and one serving no campaign, a joint
  campaign or a training course (shared by the partnership) is changed by coordinators only; one serving
  several councils' campaigns is seen by their staff and changed by coordinators or someone in each.

`SCOPES` says, for every model staff screens show, the path from a row to its council and what "no council"
means for it. `scope(queryset, user)` filters any queryset by it; `may_see` / `may_change` answer for one
row. Screens use them through `ScopedViewSetMixin` (Wagtail viewsets), `scope_form` (the choices a form
offers) and directly (panels, reports, services that take ids from forms). The events side and the
campaigns side both use this module, so it lives in cms, below both.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from django.views.defaults import permission_denied
from django_filters import AllValuesFilter
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page, PagePermissionTester

from cms.models import Authority, sees_whole_partnership

# What a row with no council means.
JOINT = "joint"  # run by the whole partnership: every partner's staff see and change it
JOINT_READ = "joint-read"  # as JOINT, but only coordinators change it (a joint campaign, event or session)
COORDINATORS = "coordinators"  # outside the partnership: coordinators only
# The path names the relations to the rows it serves (see the module's docstring). A served row of a model
# outside SCOPES (a training course, shared by the partnership) is seen by everyone, changed by coordinators.
SERVES = "serves"

# Model label → (path from a row to its council, what no council means). The one table of the rule.
SCOPES = {
    "campaigns.campaign": ("authority", JOINT_READ),
    "campaigns.organisation": ("authority", COORDINATORS),
    "campaigns.contact": ("organisation__authority", COORDINATORS),
    "campaigns.invitation": ("campaign__authority", JOINT),
    "campaigns.booking": ("session__event__authority", JOINT),
    "campaigns.waitinglistentry": ("session__event__authority", JOINT),
    "campaigns.attendance": ("session__event__authority", JOINT),
    "campaigns.namedattendee": ("session__event__authority", JOINT),
    "campaigns.capacitydrift": ("session__event__authority", JOINT),
    "campaigns.trainingrecord": ("session__event__authority", JOINT),
    "campaigns.cohort": ("authority", JOINT),
    "campaigns.cohortmember": ("cohort__authority", JOINT),
    "campaigns.outboundmessage": ("campaign__authority", JOINT),
    "campaigns.emailevent": ("message__campaign__authority", JOINT),
    "campaigns.partnertoken": ("authority", COORDINATORS),
    "events.eventpage": ("authority", JOINT_READ),
    "events.session": ("event__authority", JOINT_READ),
    "campaigns.questionnaire": (("campaigns", "courses"), SERVES),
    "campaigns.adultcomment": ("response__session__event__authority", JOINT),
    "cms.authority": ("pk", COORDINATORS),
}

_CACHE_ATTR = "_partnership_council_ids"


def council_ids(user):
    """The ids of the councils whose work `user` is limited to, or None when nothing limits them.

    None when the install has no partner council (one council: no scoping) or the user is a coordinator.
    Worked out once per user object, so once a request (like Django's own permission cache).
    """
    cached = getattr(user, _CACHE_ATTR, False)
    if cached is not False:
        return cached
    if not Authority.objects.exists() or sees_whole_partnership(user):
        ids = None
    elif getattr(user, "is_authenticated", False):
        ids = frozenset(Authority.objects.filter(members=user).values_list("pk", flat=True))
    else:
        ids = frozenset()
    setattr(user, _CACHE_ATTR, ids)
    return ids


def forget(user):
    """Drop the cached answer (after changing someone's councils in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def rule_for(model):
    label = model._meta.label_lower
    if label not in SCOPES:
        raise LookupError(f"{label} has no partnership scope in cms.partnership.SCOPES")
    return SCOPES[label]


def scope(queryset, user, *, for_change=False):
    """`queryset` narrowed to the rows `user` may see (or, with for_change, change)."""
    ids = council_ids(user)
    if ids is None:
        return queryset
    path, mode = rule_for(queryset.model)
    if mode == SERVES:

        def served(rows, change):
            if rows.model._meta.label_lower in SCOPES:
                return scope(rows, user, for_change=change)
            return rows.none() if change else rows

        return _scope_serving(queryset, path, served, for_change=for_change)
    allowed = Q(**{f"{path}__in": ids}) if path != "pk" else Q(pk__in=ids)
    joint_open = mode == JOINT or (mode == JOINT_READ and not for_change)
    if joint_open and path != "pk":
        allowed |= Q(**{f"{path}__isnull": True})
    return queryset.filter(allowed)


def scope_to_council(queryset, council_id):
    """`queryset` as one council sees it (its own work and joint work); everything for council_id None.

    For what is read on a council's behalf without a member of staff, such as a partner API token.
    """
    if council_id is None:
        return queryset
    path, mode = rule_for(queryset.model)
    if mode == SERVES:

        def served(rows, change):
            if rows.model._meta.label_lower in SCOPES:
                return scope_to_council(rows, council_id)
            return rows

        return _scope_serving(queryset, path, served, for_change=False)
    allowed = Q(**{f"{path}": council_id})
    if mode in (JOINT, JOINT_READ) and path != "pk":
        allowed |= Q(**{f"{path}__isnull": True})
    return queryset.filter(allowed)


def _scope_serving(queryset, paths, served, *, for_change):
    """`queryset` (of rows serving others through `paths`) narrowed by the SERVES rule; `served(rows,
    change)` narrows the served rows to those seen (or changed)."""
    model = queryset.model
    rows = model._default_manager

    def serving(path, related):
        return Q(pk__in=rows.filter(**{f"{path}__in": related.values("pk")}).values("pk"))

    def everything(path):
        return model._meta.get_field(path).related_model._default_manager.all()

    serves_any = Q()
    for path in paths:
        serves_any |= Q(pk__in=rows.filter(**{f"{path}__isnull": False}).values("pk"))
    if for_change:
        allowed = serves_any
        for path in paths:
            related = everything(path)
            allowed &= ~serving(path, related.exclude(pk__in=served(related, True).values("pk")))
    else:
        allowed = ~serves_any
        for path in paths:
            allowed |= serving(path, served(everything(path), False))
    return queryset.filter(allowed)


def may_see(user, obj):
    return _may(user, obj, for_change=False)


def may_change(user, obj):
    return _may(user, obj, for_change=True)


def _may(user, obj, *, for_change):
    if council_ids(user) is None:
        return True
    model = type(obj)
    return scope(model._default_manager.filter(pk=obj.pk), user, for_change=for_change).exists()


class PartnershipRefusal(PermissionDenied):
    """The row is seen but only partnership coordinators change it."""


def check(user, obj, *, for_change=False):
    """404 for a row the user may not see; 403 for one they see but may not change."""
    if not may_see(user, obj):
        raise Http404("Not found")
    if for_change and not may_change(user, obj):
        raise PartnershipRefusal("Only partnership coordinators change joint work.")
    return obj


def councils_to_choose(user):
    """The councils `user` may put work under: coordinators any (or none, for joint work); others theirs."""
    ids = council_ids(user)
    if ids is None:
        return Authority.objects.all()
    return Authority.objects.filter(pk__in=ids)


def must_choose_council(user):
    """True when `user` may not leave the council empty (only coordinators make joint work)."""
    return council_ids(user) is not None


def scope_form(form, user, *, filtering=False, parents=()):
    """Narrow the choices a form offers: rows of scoped models to those `user` sees, councils to theirs.

    A posted id outside the choices is refused by the field with Django's own message, so nothing changes.
    With `filtering` (a listing's filters) the council stays optional. `parents` names fields choosing
    what the new row becomes part of (a session's event): they offer only rows the user may change.
    """
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None:
            continue
        if queryset.model is Authority:
            field.queryset = councils_to_choose(user)
            if must_choose_council(user) and not filtering:
                field.required = True
                if hasattr(field, "empty_label"):
                    field.empty_label = None
        elif queryset.model._meta.label_lower in SCOPES:
            field.queryset = scope(queryset, user, for_change=name in parents)
        elif issubclass(queryset.model, Page):
            field.queryset = without_unseen_pages(queryset, user)
    return form


def scope_value_choices(filterset, user):
    """A filter offering the values found in a column (django-filter's AllValuesFilter: series, local
    authority, ward…) offers only those of rows the user sees."""
    if council_ids(user) is None:
        return
    for name, one in filterset.filters.items():
        if not isinstance(one, AllValuesFilter) or name not in filterset.form.fields:
            continue
        if one.model._meta.label_lower not in SCOPES:
            continue
        values = (
            scope(one.model._default_manager.all(), user)
            .order_by(one.field_name)
            .values_list(one.field_name, flat=True)
            .distinct()
        )
        filterset.form.fields[name].choices = [(value, value) for value in values]


def without_unseen_pages(pages, user):
    """A page queryset without the pages of another council (event pages), for choosers and the explorer."""
    if council_ids(user) is None:
        return pages
    for label, _rule in SCOPES.items():
        model = apps.get_model(label)
        if issubclass(model, Page) and model is not pages.model:
            unseen = model._default_manager.exclude(
                pk__in=scope(model._default_manager.all(), user).values("pk")
            )
            pages = pages.exclude(pk__in=unseen.values("pk"))
        elif model is pages.model:
            pages = scope(pages, user)
    return pages


class ScopedPageForm(WagtailAdminPageForm):
    """For page types with a council (events): the "run by" choices are the editor's own councils."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            scope_form(self, self.for_user)


class ScopedViewMixin:
    """Added to every view of a scoped viewset: lists, exports and search show only what the user may see;
    a URL for another council's row answers 404; forms offer only the user's rows and councils."""

    partnership_changes = False
    partnership_parents = ()
    partnership_refusal = None

    def setup(self, request, *args, **kwargs):
        # Wagtail loads the row in setup() and turns PermissionDenied into a redirect to the dashboard,
        # which hides the refusal: answer a plain 403 instead.
        try:
            super().setup(request, *args, **kwargs)
        except PartnershipRefusal as refusal:
            self.partnership_refusal = refusal

    def dispatch(self, request, *args, **kwargs):
        if self.partnership_refusal is not None:
            return permission_denied(request, self.partnership_refusal)
        try:
            return super().dispatch(request, *args, **kwargs)
        except PartnershipRefusal as refusal:
            return permission_denied(request, refusal)

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if queryset.model._meta.label_lower not in SCOPES:
            return queryset  # e.g. a row's history: the row itself is checked by get_object
        return scope(queryset, self.request.user)

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj is not None and getattr(obj, "pk", None) is not None:
            check(self.request.user, obj, for_change=self.partnership_changes)
        return obj

    def get_form(self, *args, **kwargs):
        return scope_form(
            super().get_form(*args, **kwargs), self.request.user, parents=self.partnership_parents
        )

    @cached_property
    def filters(self):
        filterset = super().filters
        if filterset is not None:
            scope_form(filterset.form, self.request.user, filtering=True)
            scope_value_choices(filterset, self.request.user)
        return filterset


_SCOPED_VIEWS = {}

CHANGING_VIEWS = ("EditView", "DeleteView", "CopyView", "UnpublishView", "RevisionsUnscheduleView")


def scoped_view(view_class, parents=()):
    """A subclass of `view_class` holding to the partnership rule (made once per class)."""
    key = (view_class, tuple(parents))
    if key not in _SCOPED_VIEWS:
        names = {cls.__name__ for cls in view_class.__mro__}
        changes = any(name in names for name in CHANGING_VIEWS)
        _SCOPED_VIEWS[key] = type(
            view_class.__name__,
            (ScopedViewMixin, view_class),
            {"partnership_changes": changes, "partnership_parents": tuple(parents)},
        )
    return _SCOPED_VIEWS[key]


class ScopedViewSetMixin:
    """For a Wagtail ModelViewSet whose model is in SCOPES: every view it builds holds to the rule.

    `partnership_parents`: form fields choosing what a row is part of (see scope_form)."""

    partnership_parents = ()

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(scoped_view(view_class, self.partnership_parents), **kwargs)


class ScopedPagePermissionTester(PagePermissionTester):
    """For pages with a council (event pages): another council's page can be neither changed nor
    published, moved, copied or deleted, and a joint one only by coordinators, by every route."""

    @cached_property
    def partnership_changes(self):
        return may_change(self.user, self.page)


PAGE_ACTIONS = (
    "can_add_subpage",
    "can_edit",
    "can_delete",
    "can_unpublish",
    "can_publish",
    "can_submit_for_moderation",
    "can_set_view_restrictions",
    "can_unschedule",
    "can_lock",
    "can_unlock",
    "can_publish_subpage",
    "can_reorder_children",
    "can_move",
    "can_copy",
    "can_move_to",
    "can_copy_to",
    "can_view_revisions",
)


def _only_if_changes(name):
    def method(self, *args, **kwargs):
        return self.partnership_changes and getattr(PagePermissionTester, name)(self, *args, **kwargs)

    method.__name__ = name
    return method


for _name in PAGE_ACTIONS:
    setattr(ScopedPagePermissionTester, _name, _only_if_changes(_name))
