"""Admin panel that shows an event's sessions on its page editor, with links to the session screens.

Sessions are edited on their own screens (not inline), so publishing a page never writes back a
stale `places_taken`.
"""

from django.urls import reverse
from wagtail.admin.panels import Panel


class SessionsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "events/panels/sessions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            event = self.instance
            context["saved"] = bool(event and event.pk)
            if context["saved"]:
                context["sessions"] = list(event.sessions.select_related("venue").order_by("starts_at"))
                context["add_url"] = reverse("events_sessions:add") + f"?event={event.pk}"
                context["recurring_url"] = reverse("events_sessions:recurring") + f"?event={event.pk}"
                context["list_url"] = reverse("events_sessions:index") + f"?event={event.pk}"
            return context
