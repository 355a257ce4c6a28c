"""Who may do what in the campaigns admin: permission policies for records the system writes (emails,
provider events, invitations, imports), and the plain 403 page for a screen a role may not open."""

from functools import wraps

from django.template.response import TemplateResponse
from wagtail.permission_policies import ModelPermissionPolicy

from campaigns.roles import PERMISSION_NAMES


class RecordOnlyPolicy(ModelPermissionPolicy):
    """Records the system writes (emails, provider events, imports): staff may look, not edit."""

    denied = ("change", "delete")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class NoAddPolicy(RecordOnlyPolicy):
    denied = ("add",)


class ViewOnlyPolicy(RecordOnlyPolicy):
    denied = ("add", "change", "delete")


def forbidden(request, perm):
    """A plain 403 page (Wagtail would otherwise redirect to the dashboard, which hides the refusal)."""
    return TemplateResponse(
        request,
        "campaigns/forbidden.html",
        {"what": PERMISSION_NAMES.get(perm, "do this")},
        status=403,
    )


def require_permission(perm):
    """A view decorator: staff without `perm` get the plain 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                return forbidden(request, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
