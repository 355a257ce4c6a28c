"""Wagtail admin registration for campaigns: the "Campaigns" menu and the audit log's action names."""

from wagtail import hooks

from campaigns import admin_reach  # noqa: F401  (attendance, training and reach admin)
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
