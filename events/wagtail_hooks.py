"""Admin wiring for events: the Events menu (sessions, venues), audit-log actions, a guard that keeps
event pages with booked sessions from being deleted, and the "Coming up" panel on the home page."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from cms.extensions import HomePagePanel
from cms.page_cache import live_fingerprint
from cms.partnership import check, without_unseen_pages
from events.models import EventPage
from events.selectors import coming_up
from events.services import event_has_bookings
from events.viewsets import EventsViewSetGroup

HOME_PAGE_SESSIONS = 3

PAGE_HAS_BOOKINGS = (
    "“%(title)s” cannot be deleted because some of its sessions have bookings. Cancel those "
    "sessions instead (everyone booked is told), or unpublish the page to hide it."
)


@hooks.register("register_admin_viewset")
def register_events_viewsets():
    return EventsViewSetGroup()


@hooks.register("register_log_actions")
def register_events_log_actions(actions):
    actions.register_action("events.session.created", "Session created", "Session created")
    actions.register_action("events.session.changed", "Session changed", "Session changed")
    actions.register_action("events.session.cancelled", "Session cancelled", "Session cancelled")
    actions.register_action("events.session.deleted", "Session deleted", "Session deleted")
    actions.register_action(
        "events.sessions.repeating_created", "Repeating sessions created", "Repeating sessions created"
    )


# --- partner councils: staff see and change only their council's events (cms.partnership) ---------------


def _event_check(request, page, *, for_change):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if isinstance(specific, EventPage):
        check(request.user, specific, for_change=for_change)


@hooks.register("construct_explorer_page_queryset")
def hide_other_councils_events(parent_page, pages, request):
    return without_unseen_pages(pages, request.user)


def _changing(request, page, *args, **kwargs):
    _event_check(request, page, for_change=True)


for _hook in ("before_edit_page", "before_copy_page", "before_move_page", "before_unpublish_page"):
    hooks.register(_hook, _changing, order=-10)


@hooks.register("before_delete_page", order=-10)
def refuse_deleting_other_councils_events(request, page):
    _event_check(request, page, for_change=True)


@hooks.register("before_delete_page")
def refuse_deleting_events_with_bookings(request, page):
    if event_has_bookings(page):
        messages.error(request, PAGE_HAS_BOOKINGS % {"title": page.get_admin_display_title()})
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_events_with_bookings(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    for page in objects:
        if hasattr(page, "path") and event_has_bookings(page):
            messages.error(request, PAGE_HAS_BOOKINGS % {"title": page.get_admin_display_title()})
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("register_home_page_panel")
def upcoming_sessions_panel(request):
    """The next few public sessions on the home page (one query, however many sessions exist)."""
    sessions = coming_up(HOME_PAGE_SESSIONS, request=request)
    if not sessions:
        return None
    return HomePagePanel(
        template_name="events/panels/upcoming_sessions.html",
        context={"sessions": sessions},
        order=30,
        # Every value the panel shows (places left as "full" included), so the cached home page is exact.
        fingerprint=live_fingerprint(sessions),
    )
