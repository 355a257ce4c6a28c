"""Every action the campaigns side writes to Wagtail's audit log, named once: action → (label, message).

Registered in campaigns/wagtail_hooks.py. The action strings are stored in the log, so they never change.
`log_change` is how services write one, saying who did it.
"""

from wagtail.log_actions import LogFormatter, log


def log_change(instance, action, user, *, title=None, **data):
    """One audit-log entry for a change, naming the member of staff or "booker via link".

    `title` is the entry's label in the audit log (the instance's name when not given).
    """
    by = user.get_username() if user is not None else "booker via link"
    log(instance=instance, action=action, user=user, title=title, data={**data, "by": by})


LOG_ACTIONS = {
    # planning
    "campaigns.campaign.event_added": ("Event added to campaign", "Event added to the campaign"),
    "campaigns.campaign.copied": ("Campaign copied to next year", "Copied from last year's campaign"),
    # organisations
    "campaigns.organisation.confirmed": ("Group confirmed", "Group checked and confirmed by staff"),
    "campaigns.schools_import.started": ("Import schools", "Schools register import started"),
    # invitations
    "campaigns.invitations.sent": ("Send invitations", "Invitations sent"),
    "campaigns.invitations.reminded": ("Remind invitations", "Reminders sent"),
    "campaigns.invitation.declined": ("Decline invitation", "Invitation declined"),
    # mail
    "campaigns.unsubscribed": ("Unsubscribe", "Unsubscribed from campaign emails"),
    # bookings and the waiting list
    "campaigns.booking.created": ("Booking made", "Booking made"),
    "campaigns.booking.changed": ("Booking changed", "Booking changed"),
    "campaigns.booking.cancelled": ("Booking cancelled", "Booking cancelled"),
    "campaigns.booking.confirmed": ("Booking confirmed", "Booking confirmed by the organisation"),
    "campaigns.booking.released": ("Unconfirmed booking released", "Unconfirmed booking's places released"),
    "campaigns.waiting.joined": ("Joined waiting list", "Joined the waiting list"),
    "campaigns.waiting.offered": ("Places offered", "Places offered from the waiting list"),
    "campaigns.waiting.accepted": ("Offer accepted", "Waiting-list offer accepted"),
    "campaigns.waiting.expired": ("Offer expired", "Waiting-list offer expired"),
    "campaigns.waiting.left": ("Left waiting list", "Left the waiting list"),
    "campaigns.waiting.reordered": ("Waiting list reordered", "Moved on the waiting list"),
    "campaigns.session.messaged": ("Message to bookers", "Message emailed to everyone booked"),
    # the register
    "campaigns.attendance.recorded": ("Attendance recorded", "Attendance recorded"),
    "campaigns.attendance.corrected": ("Attendance corrected", "Attendance corrected"),
    "campaigns.attendance.walk_in": ("Walk-in recorded", "Walk-in recorded"),
    "campaigns.attendance.walk_in_removed": ("Walk-in removed", "Walk-in removed from the register"),
    "campaigns.attendance.named": ("Named attendee ticked", "Named attendee ticked"),
    # training
    "campaigns.training_record.issued": ("Training record issued", "Training record issued"),
    "campaigns.training_record.held": (
        "Certificate awaiting issue",
        "Attended; the certificate is issued when the session has ended or staff who manage training confirm it",
    ),
    "campaigns.training_record.awaiting_evaluation": (
        "Certificate awaiting evaluation",
        "Attended; the trainee was sent a link to the evaluation, and the certificate is issued when they answer",
    ),
    "campaigns.training_record.issued_without_evaluation": (
        "Certificate issued without evaluation",
        "Certificate issued by staff without waiting for the evaluation",
    ),
    "campaigns.training_record.revoked": ("Training record revoked", "Training record revoked"),
    "campaigns.training_record.reinstated": ("Training record reinstated", "Training record reinstated"),
    "campaigns.cohort.imported": ("Cohort members imported", "Cohort members imported"),
    # partner API
    "campaigns.partner_token.issued": ("Partner API token issued", "Partner API token issued"),
    "campaigns.partner_token.revoked": ("Partner API token revoked", "Partner API token revoked"),
}


class ChangeFormatter(LogFormatter):
    """ "Booking changed: pupils 30 → 28, places 34 → 32": the message shows old and new values.

    For actions whose data holds `before` and `after` dicts; personal fields are never among them.
    """

    def format_message(self, log_entry):
        before, after = (log_entry.data or {}).get("before") or {}, (log_entry.data or {}).get("after") or {}
        changes = [
            f"{key.replace('_', ' ')} {before.get(key, '—')} → {after.get(key, '—')}"
            for key in after
            if before.get(key) != after.get(key)
        ]
        return f"{self.message}: {', '.join(changes)}" if changes else self.message


# Actions whose audit-log message lists what changed, old and new.
CHANGE_ACTIONS = ("campaigns.booking.changed", "campaigns.attendance.corrected")


def register_log_actions(registry):
    """Register every action above with Wagtail's audit log (see campaigns/wagtail_hooks.py)."""
    for action, (label, message) in LOG_ACTIONS.items():
        if action in CHANGE_ACTIONS:
            registry.register_action(action)(
                type("Formatter", (ChangeFormatter,), {"label": label, "message": message})
            )
        else:
            registry.register_action(action, label, message)
