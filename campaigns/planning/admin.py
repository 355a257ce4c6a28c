"""Staff screens for campaigns themselves: the list, the form and the campaign dashboard.

The dashboard shows the panels registered with the `register_campaign_dashboard_panel` hook (see
campaigns.panels); the campaign's own screens (invite, remind…) are added to its URLs by the
`register_campaign_admin_urls` hook, so the concepts above this one add to a campaign without being
imported here. Both are registered in campaigns/wagtail_hooks.py.
"""

from urllib.parse import urlencode, urlsplit

import django_filters
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import Resolver404, path, resolve, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.log_actions import log_change
from campaigns.models import (
    Campaign,
    CampaignStatus,
    MessageState,
    OutboundMessage,
)
from campaigns.panels import PANEL_HOOK, CampaignPanel, HomePanel
from campaigns.planning import services as planning_service
from campaigns.planning.forms import CampaignAdminForm
from campaigns.policies import forbidden
from cms.errors import ServiceError
from cms.models import Authority
from cms.partnership import ScopedViewSetMixin, check, scope
from events.models import EventIndexPage, EventPage

URLS_HOOK = "register_campaign_admin_urls"


# --- Dashboard panels ------------------------------------------------------------------------------


class DetailsPanel(CampaignPanel):
    title = "Campaign"
    order = 10
    template_name = "campaigns/planning/panels/details.html"

    def get_context(self, campaign, request):
        return {
            "in_partnership": Authority.objects.exists(),
            # A joint campaign's events may be run by several councils: each sees its own and joint ones.
            "events": list(scope(campaign.events.all(), request.user)),
            "can_copy": request.user.has_perm("campaigns.add_campaign")
            and request.user.has_perm("events.add_session"),
        }


class SessionsPanel(CampaignPanel):
    title = "Sessions"
    order = 20
    template_name = "campaigns/planning/panels/sessions.html"

    def get_context(self, campaign, request):
        sessions = list(
            scope(campaign.sessions(), request.user).select_related("venue", "event").order_by("starts_at")
        )
        return {
            "add_event_url": add_event_url(campaign, request.user),
            "can_add_sessions": request.user.has_perm("events.add_session"),
            "events": list(scope(campaign.events.order_by("title"), request.user)),
            "sessions": sessions,
            "capacity": sum(s.capacity for s in sessions),
            "taken": sum(s.places_taken for s in sessions),
            "left": sum(s.places_left for s in sessions),
        }


def dashboard_url(campaign):
    return reverse("campaigns_campaign:inspect", args=[campaign.pk])


def add_event_url(campaign, user):
    """Where "Add an event" on a campaign's dashboard goes: the new event page's form, coming back here.

    None when the user may not add events under any What's on page.
    """
    indexes = [
        index for index in EventIndexPage.objects.all() if index.permissions_for_user(user).can_add_subpage()
    ]
    if not indexes:
        return None
    query = urlencode({"next": dashboard_url(campaign)})
    if len(indexes) > 1:
        return f"{reverse('events_pages:choose_parent')}?{query}"
    return f"{reverse('wagtailadmin_pages:add', args=['events', 'eventpage', indexes[0].pk])}?{query}"


def link_event_added_from_dashboard(request, page):
    """An event page added from a campaign's dashboard (its `next` is the dashboard) joins that campaign."""
    if not isinstance(page.specific, EventPage) or not request.user.has_perm("campaigns.change_campaign"):
        return
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return
    if match.view_name != "campaigns_campaign:inspect":
        return
    campaign = scope(Campaign.objects.all(), request.user).filter(pk=match.kwargs.get("pk")).first()
    if campaign is not None:
        campaign.events.add(page)
        log_change(
            campaign, "campaigns.campaign.event_added", request.user, event=page.title, event_id=page.pk
        )


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


# --- A campaign's own screens ---------------------------------------------------------------------


class CampaignActionMixin(WagtailAdminTemplateMixin):
    """A screen about one campaign, under its dashboard in the breadcrumbs; needs `permission`."""

    permission = ""
    extra_permissions = ()
    header_icon = "tasks"
    # True for screens that change the campaign itself (a joint campaign's are for coordinators only).
    changes_campaign = False

    def dispatch(self, request, pk):
        for permission in (self.permission, *self.extra_permissions):
            if not request.user.has_perm(permission):
                return forbidden(request, permission)
        self.campaign = get_object_or_404(scope(Campaign.objects.all(), request.user), pk=pk)
        if self.changes_campaign:
            check(request.user, self.campaign, for_change=True)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.campaign.name

    @cached_property
    def dashboard_url(self):
        return dashboard_url(self.campaign)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("campaigns_campaign:index"), "label": "Campaigns"},
            {"url": self.dashboard_url, "label": self.campaign.name},
            {"url": "", "label": self.page_title},
        ]


class CopyToNextYearView(CampaignActionMixin, TemplateView):
    """Shows what next year's campaign will be (name, dates, events, each session's new date), then makes it."""

    permission = "campaigns.add_campaign"
    extra_permissions = ("events.add_session",)
    changes_campaign = True
    page_title = "Copy to next year"
    template_name = "campaigns/planning/copy_to_next_year.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=planning_service.plan_copy(self.campaign), **kwargs)

    def post(self, request, pk):
        try:
            copy = planning_service.copy_to_next_year(self.campaign, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect(request.path)
        messages.success(
            request,
            f"“{copy.name}” is ready as a draft. Its events are drafts too: check and publish them "
            "(events for children go to safeguarding review first).",
        )
        return redirect(dashboard_url(copy))


class RunningCampaignsPanel(HomePanel):
    """The admin home's list of campaigns being planned or open, each opening its dashboard."""

    name = "running_campaigns"
    order = 20
    permission = "campaigns.view_campaign"
    template_name = "campaigns/planning/home_campaigns.html"

    def get_panel_context(self, request):
        campaigns = scope(
            Campaign.objects.filter(status__in=[CampaignStatus.DRAFT, CampaignStatus.OPEN]), request.user
        ).select_related("authority")
        return {
            "campaigns": list(campaigns.order_by("starts_on", "name")[:10]),
            "in_partnership": Authority.objects.exists(),
            "index_url": reverse("campaigns_campaign:index"),
        }


class CampaignIndexView(generic.IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # A campaign's name opens its dashboard, the screen staff work from; Edit stays in the row's menu.
        column = super()._get_title_column(field_name, column_class, **kwargs)
        column._get_url_func = lambda campaign: self.get_inspect_url(campaign) or self.get_edit_url(campaign)
        return column


class CampaignCreateView(generic.CreateView):
    def get_success_url(self):
        return dashboard_url(self.object)


class CampaignEditView(generic.EditView):
    def get_success_url(self):
        return dashboard_url(self.object)


class CampaignFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices)
    series = django_filters.AllValuesFilter()

    class Meta:
        model = Campaign
        fields = ["status", "series", "audience"]


class CampaignViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Campaign
    icon = "tasks"
    menu_label = "Campaigns"
    add_to_admin_menu = False
    list_display = ["name", "code", "authority", "status", "starts_on", "ends_on", "target_reach"]
    list_export = [
        "name",
        "code",
        "authority",
        "series",
        "audience",
        "status",
        "starts_on",
        "ends_on",
        "target_reach",
    ]
    export_filename = "campaigns"
    filterset_class = CampaignFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = CampaignDashboardView
    index_view_class = CampaignIndexView
    add_view_class = CampaignCreateView
    edit_view_class = CampaignEditView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
            FieldRowPanel([FieldPanel("slug"), FieldPanel("series")]),
            FieldRowPanel([FieldPanel("authority"), FieldPanel("status")]),
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
        own = [path("<int:pk>/copy-to-next-year/", CopyToNextYearView.as_view(), name="copy_to_next_year")]
        return [*super().get_urlpatterns(), *own, *extra]
