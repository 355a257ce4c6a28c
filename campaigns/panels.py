"""The campaign dashboard is a list of panels, each one section of it; every part of the product adds its own
through the `register_campaign_dashboard_panel` hook (registered in campaigns/wagtail_hooks.py):

    @hooks.register("register_campaign_dashboard_panel")
    def bookings_panel():
        return BookingsPanel()  # a CampaignPanel subclass: title, order, template_name, get_context()

Orders: 10 details, 20 sessions, 30 invitations, 40 emails, 50 bookings, 60 attendance, 70 reach,
75 evaluation ("Did it work?")."""

from wagtail.admin.ui.components import Component

PANEL_HOOK = "register_campaign_dashboard_panel"


class HomePanel(Component):
    """One block on the admin home for the people who run campaigns; shown only to those with `permission`.

    Subclasses give `name`, `order`, `template_name`, `permission` and `get_panel_context(request)`.
    """

    permission = ""

    def is_shown(self, request):
        return request.user.has_perm(self.permission)

    def get_panel_context(self, request):
        return {}

    def get_context_data(self, parent_context):
        return {
            **super().get_context_data(parent_context),
            **self.get_panel_context(parent_context["request"]),
        }


class CampaignPanel:
    """One section of the campaign dashboard."""

    title = ""
    order = 100
    template_name = ""

    def is_shown(self, campaign, request):
        return True

    def get_context(self, campaign, request):
        return {}
