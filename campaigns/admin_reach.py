"""Admin for attendance, training and reach: the register, reach dashboard, reports, cohorts, partner tokens."""

from wagtail import hooks

LOG_ACTIONS = {
    "campaigns.attendance.recorded": "Attendance recorded",
    "campaigns.attendance.corrected": "Attendance corrected",
    "campaigns.attendance.walk_in": "Walk-in recorded",
    "campaigns.attendance.named": "Named attendee ticked",
    "campaigns.training_record.issued": "Training record issued",
    "campaigns.training_record.revoked": "Training record revoked",
    "campaigns.training_record.reinstated": "Training record reinstated",
    "campaigns.cohort.imported": "Cohort members imported",
    "campaigns.partner_token.issued": "Partner API token issued",
    "campaigns.partner_token.revoked": "Partner API token revoked",
}


@hooks.register("register_log_actions")
def register_reach_log_actions(actions):
    for action, label in LOG_ACTIONS.items():
        actions.register_action(action, label, label)
