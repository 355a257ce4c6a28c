"""When the events side changes or cancels a session, tell everyone booked or waiting, once per revision."""

from campaigns.bookings import emails as booking_emails
from campaigns.bookings import waiting_list
from campaigns.mail.services import queue_email
from campaigns.models import Booking, MessageKind, WaitingListEntry, WaitingListStatus


def notify_session_changed(session, *, changed_fields=(), cancelled=False):
    """Email each booker the updated (REQUEST) or cancelled (CANCEL) calendar entry, and each person waiting
    a notice. Dedupe keys carry the session's sequence, so each revision is announced at most once."""
    method = "CANCEL" if cancelled else "REQUEST"
    template = "booking_session_cancelled" if cancelled else "booking_session_changed"
    title = session.event.title
    subject = f"Cancelled: {title}" if cancelled else f"Changed: {title}"
    confirmed = Booking.objects.confirmed().filter(session=session).select_related("campaign", "organisation")
    for booking in confirmed:
        booking.session = session
        booking_emails.send(
            booking,
            template,
            f"{subject} ({booking.reference})",
            method=method,
            dedupe_key=f"session-change:{session.pk}:{session.sequence}:booking:{booking.pk}",
            extra={"changed_fields": list(changed_fields), "cancelled": cancelled},
        )
    waiting = WaitingListEntry.objects.filter(
        session=session, status__in=[WaitingListStatus.WAITING, WaitingListStatus.OFFERED]
    ).select_related("campaign", "organisation")
    for entry in waiting:
        entry.session = session
        queue_email(
            to=entry.booker_email,
            to_name=entry.booker_name,
            subject=subject,
            template="waiting_session_changed",
            context={**waiting_list.entry_context(entry), "cancelled": cancelled},
            kind=MessageKind.TRANSACTIONAL,
            campaign=entry.campaign,
            related=entry,
            dedupe_key=f"session-change:{session.pk}:{session.sequence}:waiting:{entry.pk}",
        )
