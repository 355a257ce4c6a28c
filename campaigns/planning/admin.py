"""Staff screens for campaigns themselves: the list, the form and the campaign dashboard.

The dashboard shows the panels registered with the `register_campaign_dashboard_panel` hook (see
campaigns.panels); the campaign's own screens (invite, remind…) are added to its URLs by the
`register_campaign_admin_urls` hook, so the concepts above this one add to a campaign without being
imported here. Both are registered in campaigns/wagtail_hooks.py.
"""

import django_filters
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.models import (
    Campaign,
    CampaignStatus,
    MessageState,
    OutboundMessage,
)
from campaigns.panels import PANEL_HOOK, CampaignPanel
from campaigns.planning.forms import CampaignAdminForm

URLS_HOOK = "register_campaign_admin_urls"


# --- Dashboard panels ------------------------------------------------------------------------------


class DetailsPanel(CampaignPanel):
    title = "Campaign"
    order = 10
    template_name = "campaigns/planning/panels/details.html"

    def get_context(self, campaign, request):
        return {"events": list(campaign.events.all())}


class SessionsPanel(CampaignPanel):
    title = "Sessions"
    order = 20
    template_name = "campaigns/planning/panels/sessions.html"

    def get_context(self, campaign, request):
        sessions = list(campaign.sessions().select_related("venue", "event").order_by("starts_at"))
        return {
            "sessions": sessions,
            "capacity": sum(s.capacity for s in sessions),
            "taken": sum(s.places_taken for s in sessions),
            "left": sum(s.places_left for s in sessions),
        }


def dashboard_panels():
    panels = [DetailsPanel(), SessionsPanel()]
    for hook in hooks.get_hooks(PANEL_HOOK):
        extra = hook()
        panels.extend(extra if isinstance(extra, list | tuple) else [extra])
    return sorted(panels, key=lambda panel: panel.order)


class CampaignDashboardView(InspectView):
    """Everything about one campaign in one place; refreshes itself while emails are going out."""

    template_name = "campaigns/planning/campaign_dashboard.html"
    page_title = "Campaign"

    def get_page_subtitle(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = []
        for panel in dashboard_panels():
            if panel.is_shown(self.object, self.request):
                panels.append(
                    {
                        "panel": panel,
                        "context": {"campaign": self.object, **panel.get_context(self.object, self.request)},
                    }
                )
        context["panels"] = panels
        context["campaign"] = self.object
        context["refresh"] = OutboundMessage.objects.filter(
            campaign=self.object, state__in=[MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING]
        ).exists()
        return context


# --- Inviting and reminding -----------------------------------------------------------------------


# --- Schools register upload -----------------------------------------------------------------------


class CampaignFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices)
    series = django_filters.AllValuesFilter()

    class Meta:
        model = Campaign
        fields = ["status", "series", "audience"]


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "tasks"
    menu_label = "Campaigns"
    add_to_admin_menu = False
    list_display = ["name", "code", "status", "starts_on", "ends_on", "target_reach"]
    list_export = ["name", "code", "series", "audience", "status", "starts_on", "ends_on", "target_reach"]
    export_filename = "campaigns"
    filterset_class = CampaignFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = CampaignDashboardView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("slug"), FieldPanel("series")]),
            FieldPanel("status"),
            FieldPanel("description"),
            MultiFieldPanel(
                [FieldPanel("audience"), FieldPanel("year_groups"), FieldPanel("target_reach")],
                heading="Audience",
            ),
            MultiFieldPanel(
                [FieldPanel("local_authorities"), FieldPanel("districts")],
                heading="Area",
                classname="collapsed",
            ),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            MultiFieldPanel(
                [
                    FieldPanel("events"),
                    FieldPanel("open_booking"),
                    FieldPanel("booking_cutoff_days"),
                    FieldPanel("pupils_per_adult"),
                    FieldPanel("safeguarding_statement"),
                    FieldPanel("photo_consent_statement"),
                ],
                heading="Events and booking",
            ),
            MultiFieldPanel(
                [FieldPanel("pre_session_materials"), FieldPanel("post_session_materials")],
                heading="Materials",
            ),
            FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
        ],
        base_form_class=CampaignAdminForm,
    )

    def get_urlpatterns(self):
        extra = [pattern for hook in hooks.get_hooks(URLS_HOOK) for pattern in hook()]
        return [*super().get_urlpatterns(), *extra]
