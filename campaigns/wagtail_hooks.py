"""Every admin registration of the campaigns side, in one place: menus, viewsets, URLs, reports, panels on
the campaign dashboard, permissions and audit-log actions. The screens themselves live with their
concept, in campaigns/<concept>/admin.py; nothing there registers itself.
"""

from functools import partial

from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.models import GroupPagePermission
from wagtail.permissions import register_permission_policy

from campaigns.bookings import admin as bookings_admin
from campaigns.evaluation import admin as evaluation_admin
from campaigns.invitations import admin as invitations_admin
from campaigns.log_actions import register_log_actions
from campaigns.mail import admin as mail_admin
from campaigns.models import EmailEvent, Invitation, OutboundMessage, SchoolImport
from campaigns.organisations import admin as organisations_admin
from campaigns.panels import PANEL_HOOK
from campaigns.partner_api import admin as partner_api_admin
from campaigns.planning import admin as planning_admin
from campaigns.policies import NoAddPolicy, RecordOnlyPolicy, ViewOnlyPolicy
from campaigns.reach import admin as reach_admin
from campaigns.register import admin as register_admin
from campaigns.roles import CHECK_LICENCES, CORRECT_CLOSED_REGISTERS, TAKE_REGISTER, VIEW_REACH
from campaigns.training import admin as training_admin
from events.models import EventIndexPage

# --- who may do what with records the system writes -----------------------------------------------

register_permission_policy(Invitation, NoAddPolicy(Invitation))
register_permission_policy(OutboundMessage, ViewOnlyPolicy(OutboundMessage))
register_permission_policy(EmailEvent, ViewOnlyPolicy(EmailEvent))
register_permission_policy(SchoolImport, RecordOnlyPolicy(SchoolImport))


@hooks.register("register_permissions")
def register_campaigns_permissions():
    codenames = [name.split(".", 1)[1] for name in (TAKE_REGISTER, VIEW_REACH, CORRECT_CLOSED_REGISTERS)]
    return Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)


hooks.register("register_log_actions", register_log_actions)


# --- menus and viewsets ----------------------------------------------------------------------------


class CampaignsViewSetGroup(ViewSetGroup):
    menu_label = "Campaigns"
    menu_icon = "tasks"
    menu_order = 250
    items = (
        planning_admin.CampaignViewSet("campaigns_campaign", url_prefix="campaigns/campaigns"),
        organisations_admin.OrganisationViewSet(
            "campaigns_organisation", url_prefix="campaigns/organisations"
        ),
        organisations_admin.ContactViewSet("campaigns_contact", url_prefix="campaigns/contacts"),
        invitations_admin.InvitationViewSet("campaigns_invitation", url_prefix="campaigns/invitations"),
        mail_admin.OutboundMessageViewSet("campaigns_outboundmessage", url_prefix="campaigns/emails"),
        mail_admin.EmailEventViewSet("campaigns_emailevent", url_prefix="campaigns/email-events"),
        mail_admin.SuppressedAddressViewSet("campaigns_suppressedaddress", url_prefix="campaigns/suppressed"),
        organisations_admin.SchoolImportViewSet(
            "campaigns_schoolimport", url_prefix="campaigns/school-imports"
        ),
        evaluation_admin.QuestionnaireViewSet(),
        evaluation_admin.AdultCommentViewSet(),
    )


class TrainingViewSetGroup(ModelViewSetGroup):
    menu_label = "Training and API"
    menu_icon = "tick-inverse"
    menu_order = 260
    items = (
        training_admin.TrainingCourseViewSet,
        training_admin.TrainingRecordViewSet,
        training_admin.CohortViewSet,
        partner_api_admin.PartnerTokenViewSet,
    )


@hooks.register("register_admin_viewset")
def register_campaigns_viewsets():
    return CampaignsViewSetGroup()


@hooks.register("register_admin_viewset")
def register_bookings_viewsets():
    return bookings_admin.BookingsGroup()


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_admin_urls")
def register_campaigns_admin_urls():
    return [
        *bookings_admin.admin_urls(),
        *register_admin.admin_urls(),
        *reach_admin.admin_urls(),
        *training_admin.admin_urls(),
        *evaluation_admin.admin_urls(),
    ]


@hooks.register(planning_admin.URLS_HOOK)
def register_campaign_invitation_urls():
    return invitations_admin.campaign_urls()


class PermissionMenuItem(MenuItem):
    """A menu item shown only to staff holding one permission."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_register_menu_item():
    return PermissionMenuItem(
        "Registers",
        reverse("campaigns_register"),
        icon_name="clipboard-list",
        order=250,
        permission=TAKE_REGISTER,
    )


@hooks.register("register_admin_menu_item")
def register_reach_menu_item():
    return PermissionMenuItem(
        "Reach", reverse("campaigns_reach"), icon_name="view", order=255, permission=VIEW_REACH
    )


@hooks.register("register_admin_menu_item")
def register_licence_check_menu_item():
    return PermissionMenuItem(
        "Check licences",
        reverse("campaigns_licence_check"),
        icon_name="search",
        order=265,
        permission=CHECK_LICENCES,
    )


# --- reports --------------------------------------------------------------------------------------


@hooks.register("register_reports_menu_item")
def register_places_per_session_report():
    return MenuItem(
        "Places per session", reverse("campaigns_bookings_session_summary"), icon_name="table", order=300
    )


# Reports only staff who may see reach figures are shown: (label, URL name, icon, order).
REACH_REPORTS = [
    ("Schools never reached", "campaigns_reach_never_reached", "warning", 1100),
    ("Reach by area", "campaigns_reach_by_area", "site", 1110),
    ("Cohort training compliance", "campaigns_cohorts", "group", 1120),
    ("Quiz and evaluation results", "campaigns_evaluation_report", "help", 1130),
]


def reach_report_item(label, url_name, icon, order):
    return PermissionMenuItem(label, reverse(url_name), icon_name=icon, order=order, permission=VIEW_REACH)


for report in REACH_REPORTS:
    hooks.register("register_reports_menu_item", partial(reach_report_item, *report))


# --- the campaign dashboard's panels (campaigns.panels) ----------------------------------------------


hooks.register("after_create_page", planning_admin.link_event_added_from_dashboard)

# Bulk actions on listings (campaigns/bulk.py).
for bulk_action in (
    organisations_admin.ConfirmGroupsBulkAction,
    invitations_admin.RemindInvitationsBulkAction,
    bookings_admin.CancelBookingsBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)


# --- the admin home ------------------------------------------------------------------------------------

HOME_PANELS = (
    register_admin.TodaysRegistersPanel,
    mail_admin.FailedEmailsPanel,
    planning_admin.RunningCampaignsPanel,
)


@hooks.register("construct_homepage_panels")
def add_campaign_home_panels(request, panels):
    panels.extend(panel for panel in (cls() for cls in HOME_PANELS) if panel.is_shown(request))
    panels.sort(key=lambda panel: panel.order)


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its own
def page_counts_only_for_editors(request, summary_items):
    """Wagtail's page, image and document counts mean something to editors only, not to campaign staff."""
    if not request.user.has_perm("wagtailadmin.access_admin") or not _edits_pages(request.user):
        summary_items.clear()


def _edits_pages(user):
    return (
        user.is_superuser
        or GroupPagePermission.objects.filter(group__user=user, permission__codename="change_page")
        .exclude(page__in=EventIndexPage.objects.all())
        .exists()
    )


@hooks.register(PANEL_HOOK)
def register_campaign_dashboard_panels():
    return [
        invitations_admin.InvitationsPanel(),
        mail_admin.MessagesPanel(),
        reach_admin.AttendancePanel(),
        reach_admin.ReachPanel(),
        evaluation_admin.EvaluationPanel(),
    ]
