"""Wagtail admin registration for campaigns: the "Campaigns" menu and the audit log's action names."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from campaigns import (
    admin_bookings,
    admin_reach,  # noqa: F401  (attendance, training and reach admin)
)
from campaigns.viewsets import CampaignsViewSetGroup


@hooks.register("register_admin_viewset")
def register_campaigns_viewsets():
    return CampaignsViewSetGroup()


@hooks.register("register_log_actions")
def register_campaigns_log_actions(actions):
    actions.register_action("campaigns.invitations.sent", "Send invitations", "Invitations sent")
    actions.register_action("campaigns.invitations.reminded", "Remind invitations", "Reminders sent")
    actions.register_action("campaigns.invitation.declined", "Decline invitation", "Invitation declined")
    actions.register_action(
        "campaigns.schools_import.started", "Import schools", "Schools register import started"
    )
    actions.register_action("campaigns.unsubscribed", "Unsubscribe", "Unsubscribed from campaign emails")


# --- bookings ---------------------------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_bookings_viewsets():
    return admin_bookings.BookingsGroup()


@hooks.register("register_admin_urls")
def register_bookings_admin_urls():
    return admin_bookings.admin_urls()


@hooks.register("register_reports_menu_item")
def register_places_per_session_report():
    return MenuItem(
        "Places per session", reverse("campaigns_bookings_session_summary"), icon_name="table", order=300
    )


@hooks.register("register_log_actions")
def register_booking_log_actions(actions):
    admin_bookings.register_log_actions(actions)
