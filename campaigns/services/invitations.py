"""Invitations: choosing recipients, sending, reminding, declining, and mirroring email states."""

from django.db.models import Q
from django.utils import timezone

from campaigns.models import Invitation, InvitationState, MessageState

# States an email outcome may overwrite; once an invitation is opened, booked or declined, a later
# "sent" must not move it back.
_SEND_STATES = {
    MessageState.SENT: (InvitationState.SENT, "sent_at"),
    MessageState.FAILED: (InvitationState.FAILED, "failed_at"),
}


def message_state_changed(message):
    """Mirror an invitation email's outcome onto the invitation."""
    if message.related_type is None or message.related_type.model_class() is not Invitation:
        return
    outcome = _SEND_STATES.get(message.state)
    if outcome is None:
        return
    state, stamp = outcome
    Invitation.objects.filter(pk=message.related_id).filter(
        Q(state=InvitationState.QUEUED) | Q(state=InvitationState.FAILED)
    ).update(state=state, **{stamp: timezone.now()})
