"""Invitations mirror their emails: the pipeline (campaigns.mail) announces each sending outcome and
tracking event, and an invitation moves forward to match, never backwards. Connected in
CampaignsConfig.ready()."""

from anymail.signals import EventType
from django.dispatch import receiver

from campaigns.invitations.services import advance
from campaigns.mail.signals import message_state_changed, tracking_event_applied
from campaigns.models import Invitation, InvitationState, MessageState

INVITATION_FOR_EVENT = {
    EventType.DELIVERED: InvitationState.DELIVERED,
    EventType.OPENED: InvitationState.OPENED,
    EventType.CLICKED: InvitationState.CLICKED,
    EventType.BOUNCED: InvitationState.BOUNCED,
    EventType.REJECTED: InvitationState.BOUNCED,
}


def _invitation_id(message):
    """The invitation a message was sent for, or None."""
    if message.related_id is None or message.related_type_id is None:
        return None
    return message.related_id if message.related_type.model_class() is Invitation else None


@receiver(message_state_changed, dispatch_uid="campaigns.invitations.message_state_changed")
def mirror_sending_outcome(sender, message, **kwargs):
    """An invitation email's sending outcome moves the invitation (reminders leave it alone)."""
    key = message.dedupe_key or ""
    invitation_id = _invitation_id(message)
    if invitation_id is None or not key.startswith("invitation:") or ":reminder:" in key:
        return
    if message.state == MessageState.SENT:
        advance(invitation_id, InvitationState.SENT, message.sent_at)
    elif message.state == MessageState.FAILED:
        advance(invitation_id, InvitationState.FAILED)


@receiver(tracking_event_applied, dispatch_uid="campaigns.invitations.tracking_event_applied")
def mirror_tracking_event(sender, message, event_type, when, **kwargs):
    state = INVITATION_FOR_EVENT.get(event_type)
    invitation_id = _invitation_id(message)
    if state is None or invitation_id is None:
        return
    # A provider event proves the email went out, whatever order the reports arrive in.
    advance(invitation_id, InvitationState.SENT, message.sent_at or when)
    advance(invitation_id, state, when)
