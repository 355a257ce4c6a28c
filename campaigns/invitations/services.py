"""Invitations: sending them in bulk, reminding those who have not answered, declining, and moving an
invitation's state forward only (`advance`; campaigns.invitations.receivers mirrors its emails' outcomes)."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from campaigns.invitations import selectors
from campaigns.mail import services as messaging
from campaigns.models import (
    Campaign,
    Invitation,
    InvitationState,
    MessageKind,
    MessageState,
    Organisation,
    OrganisationStatus,
    OutboundMessage,
)
from campaigns.organisations.selectors import best_contacts
from cms.councils import council_email_context
from cms.errors import ServiceError
from cms.links import absolute_url

# How far along an invitation is. An event may only move it to a higher rank; booked and declined
# are answers and nothing the email provider reports overrides them.
STATE_RANK = {
    InvitationState.QUEUED: 0,
    InvitationState.FAILED: 1,
    InvitationState.SENT: 2,
    InvitationState.DELIVERED: 3,
    InvitationState.BOUNCED: 4,
    InvitationState.OPENED: 5,
    InvitationState.CLICKED: 6,
    InvitationState.BOOKED: 10,
    InvitationState.DECLINED: 10,
}
STAMP = {
    InvitationState.SENT: "sent_at",
    InvitationState.DELIVERED: "delivered_at",
    InvitationState.OPENED: "opened_at",
    InvitationState.CLICKED: "clicked_at",
    InvitationState.BOUNCED: "bounced_at",
    InvitationState.FAILED: "failed_at",
    InvitationState.BOOKED: "booked_at",
    InvitationState.DECLINED: "declined_at",
}
ANSWERED = [InvitationState.BOOKED, InvitationState.DECLINED]
# Nobody is reminded whose invitation never reached them.
REMINDABLE = [
    InvitationState.SENT,
    InvitationState.DELIVERED,
    InvitationState.OPENED,
    InvitationState.CLICKED,
]
REMINDER_INTERVALS = [7, 14, 21, 28]
MAX_SENDS = 20_000
# The preview shows a link of the right shape that opens nothing.
PREVIEW_LINK_TOKEN = "preview"  # noqa: S105 (not a secret: a link that opens nothing)


def invitation_url(invitation):
    return absolute_url(reverse("campaigns:invitation", args=[invitation.token]))


def decline_url(invitation):
    return absolute_url(reverse("campaigns:invitation_decline", args=[invitation.token]))


def advance(invitation_id, state, when=None):
    """Move an invitation to `state` if that is further along, and stamp when it first happened.

    One UPDATE: the state moves only forward, and a timestamp already set is kept. Written out in SQL:
    it runs once for every email a campaign send records, and building it through the ORM cost more than
    running it.
    """
    lower = [s for s, rank in STATE_RANK.items() if rank < STATE_RANK[state]]
    if not lower:
        return
    when = when or timezone.now()
    quote = connection.ops.quote_name
    meta = Invitation._meta
    state_column = quote(meta.get_field("state").column)
    assignments = [
        f"{state_column} = CASE WHEN {state_column} IN ({', '.join(['%s'] * len(lower))}) "
        f"THEN %s ELSE {state_column} END"
    ]
    params = [*lower, state]
    stamp = STAMP.get(state)
    if stamp:
        stamp_column = quote(meta.get_field(stamp).column)
        assignments.append(f"{stamp_column} = COALESCE({stamp_column}, %s)")
        params.append(connection.ops.adapt_datetimefield_value(when))
    params.append(invitation_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "  # noqa: S608 (names from the model)
            f"WHERE {quote(meta.pk.column)} = %s",
            params,
        )


def _sessions_summary(campaign):
    """The first sessions on offer, each named with its event (a briefing for staff is not a pupils' session)."""
    sessions = sorted(selectors.bookable_sessions(campaign)[:12], key=lambda s: (s.event.title, s.starts_at))
    return [
        f"{s.event.title}: {timezone.localtime(s.starts_at):%A %-d %B %Y, %H:%M} at {s.venue.name}"
        for s in sessions
    ]


def email_context(invitation, *, organisation, contact, campaign, sessions):
    return {
        "campaign_name": campaign.name,
        "campaign_description": campaign.description,
        "organisation_name": organisation.name,
        "contact_name": contact.name if contact else "",
        "invitation_url": invitation_url(invitation),
        "decline_url": decline_url(invitation),
        "sessions": sessions,
        "contact_email": campaign.contact_email,
        "contact_phone": campaign.contact_phone,
        **council_email_context(campaign.authority, fallback_reply_to=campaign.contact_email),
    }


def invitation_subject(campaign):
    return f"You are invited: {campaign.name}"


def reminder_subject(campaign):
    return f"Reminder: places are available for {campaign.name}"


def preview(campaign, organisation=None):
    """The invitation email as a recipient would see it, for a sample organisation."""
    organisation = organisation or Organisation(name="Example Primary School")
    sample = Invitation(campaign=campaign, organisation=organisation, token=PREVIEW_LINK_TOKEN)
    context = email_context(
        sample,
        organisation=organisation,
        contact=None,
        campaign=campaign,
        sessions=_sessions_summary(campaign),
    )
    context.update(subject=invitation_subject(campaign), is_campaign_email=True, unsubscribe_url="#")
    return {
        "subject": invitation_subject(campaign),
        "html": render_to_string("emails/invitation.html", context),
        "text": render_to_string("emails/invitation.txt", context),
    }


def send_invitations(campaign, organisations, *, user=None):
    """Invite each organisation (not yet invited) to a campaign, writing to its best contact.

    One INSERT for the invitations and one for their emails, whatever the number. Organisations
    without a contact who can receive campaign email, and those marked closed in the register, are left
    out. A finished campaign (see selectors.finished_reason) invites nobody. Returns the new invitations.
    """
    finished = selectors.finished_reason(campaign)
    if finished:
        raise ServiceError(f"No invitations will be sent: {finished}.")
    organisation_ids = list(
        organisations.exclude(status=OrganisationStatus.CLOSED).values_list("pk", flat=True)[: MAX_SENDS + 1]
    )
    if len(organisation_ids) > MAX_SENDS:
        raise ServiceError(
            f"That is more than {MAX_SENDS:,} organisations: narrow the list and send in parts."
        )
    if not organisation_ids:
        raise ServiceError("No organisation matches: there is nobody to invite.")
    contacts = best_contacts(organisation_ids)
    sessions = _sessions_summary(campaign)
    with transaction.atomic():
        wanted = [
            Invitation(campaign=campaign, organisation_id=org_id, contact=contacts[org_id])
            for org_id in organisation_ids
            if org_id in contacts
        ]
        # Organisations invited by a send running at the same moment are skipped, not doubled.
        Invitation.objects.bulk_create(wanted, batch_size=1000, ignore_conflicts=True)
        created = list(
            Invitation.objects.filter(campaign=campaign, token__in=[i.token for i in wanted]).select_related(
                "organisation", "contact"
            )
        )
        emails = [
            {
                "to": invitation.contact.email,
                "to_name": invitation.contact.name,
                "subject": invitation_subject(campaign),
                "template": "invitation",
                "context": email_context(
                    invitation,
                    organisation=invitation.organisation,
                    contact=invitation.contact,
                    campaign=campaign,
                    sessions=sessions,
                ),
                "kind": MessageKind.CAMPAIGN,
                "campaign": campaign,
                "related": invitation,
                "dedupe_key": f"invitation:{invitation.pk}",
            }
            for invitation in created
        ]
        messaging.queue_emails(emails)
        log(
            instance=campaign,
            action="campaigns.invitations.sent",
            user=user,
            data={"count": len(created), "skipped_without_contact": len(organisation_ids) - len(wanted)},
        )
    return created


def unanswered(campaign, interval_days, now=None):
    """Invitations due a reminder: reached the recipient, no answer, not reminded within the interval.

    Nobody is due one for a finished campaign (selectors.finished_reason), nor at an organisation marked
    closed in the register.
    """
    now = now or timezone.now()
    if selectors.finished_reason(campaign, now):
        return Invitation.objects.none()
    return _unanswered(campaign, interval_days, now).exclude(organisation__status=OrganisationStatus.CLOSED)


def unanswered_at_closed_organisations(campaign, interval_days, now=None):
    """How many invitations would be due a reminder but for their organisation being closed."""
    now = now or timezone.now()
    return _unanswered(campaign, interval_days, now).filter(organisation__status=OrganisationStatus.CLOSED)


def _unanswered(campaign, interval_days, now):
    cutoff = now - timedelta(days=interval_days)
    return (
        Invitation.objects.filter(
            campaign=campaign,
            state__in=REMINDABLE,
            booked_at__isnull=True,
            declined_at__isnull=True,
            sent_at__lt=cutoff,
            contact__isnull=False,
            contact__opted_out=False,
            contact__agreed_to_emails=True,
        )
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=cutoff))
        .order_by("pk")
    )


def remind_unanswered(campaign, *, interval_days, user=None, now=None, only=None):
    """Remind everyone who has neither booked nor declined, at most once per `interval_days`.

    `only`: invitation ids to limit the reminders to (the ones staff ticked in the listing).

    The rows are locked and re-checked, so two staff pressing the button together remind once; each
    reminder's email has its own key (invitation and reminder number), so it is sent at most once. A
    finished campaign reminds nobody (see `unanswered`).
    """
    if interval_days < 1:
        raise ServiceError("Choose an interval of at least one day.")
    now = now or timezone.now()
    sessions = _sessions_summary(campaign)
    with transaction.atomic():
        candidates = unanswered(campaign, interval_days, now)
        if only is not None:
            candidates = candidates.filter(pk__in=list(only))
        due = list(candidates.select_for_update(of=("self",)).select_related("organisation", "contact"))
        if not due:
            return []
        Invitation.objects.filter(pk__in=[i.pk for i in due]).update(
            last_reminded_at=now, reminders_sent=F("reminders_sent") + 1
        )
        emails = []
        for invitation in due:
            number = invitation.reminders_sent + 1
            context = email_context(
                invitation,
                organisation=invitation.organisation,
                contact=invitation.contact,
                campaign=campaign,
                sessions=sessions,
            )
            emails.append(
                {
                    "to": invitation.contact.email,
                    "to_name": invitation.contact.name,
                    "subject": reminder_subject(campaign),
                    "template": "invitation_reminder",
                    "context": context,
                    "kind": MessageKind.CAMPAIGN,
                    "campaign": campaign,
                    "related": invitation,
                    "dedupe_key": f"invitation:{invitation.pk}:reminder:{number}",
                }
            )
        messaging.queue_emails(emails)
        log(
            instance=campaign,
            action="campaigns.invitations.reminded",
            user=user,
            data={"count": len(due), "interval_days": interval_days},
        )
    return due


def decline(invitation):
    """Record that an organisation does not want to take part. Declining twice changes nothing."""
    with transaction.atomic():
        current = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if current.state == InvitationState.DECLINED:
            return current
        if current.state == InvitationState.BOOKED:
            raise ServiceError(
                "This invitation has already been used to book places. To cancel the booking, use the "
                "link in your booking confirmation email."
            )
        now = timezone.now()
        Invitation.objects.filter(pk=current.pk).exclude(state__in=ANSWERED).update(
            state=InvitationState.DECLINED, declined_at=now
        )
        log(
            instance=current,
            action="campaigns.invitation.declined",
            user=None,
            data={"campaign": current.campaign_id, "organisation": current.organisation_id},
        )
        current.refresh_from_db()
        return current


UNFINISHED = [MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING]
SEND_ACTIONS = ["campaigns.invitations.sent", "campaigns.invitations.reminded"]


def progress(campaign):
    """The invitation emails (invitations and reminders) of the send still going out, by sending state,
    for "2,140 of 3,000 sent". None when none is going out.

    The running send is every invitation email of the campaign made after the last send (or reminder)
    logged before the oldest email not yet finished (queued, sending or waiting to retry): each send
    writes its emails and then its audit-log entry in one transaction, so a send that finished earlier is
    not counted in. Three queries whatever the number.
    """
    emails = OutboundMessage.objects.filter(campaign=campaign, dedupe_key__startswith="invitation:")
    started = emails.filter(state__in=UNFINISHED).aggregate(started=Min("created_at"))["started"]
    if started is None:
        return None
    previous = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Campaign),
        object_id=str(campaign.pk),
        action__in=SEND_ACTIONS,
        timestamp__lt=started,
    ).aggregate(at=Max("timestamp"))["at"]
    if previous is not None:
        emails = emails.filter(created_at__gt=previous)
    counts = dict(emails.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    total = sum(counts.values())
    done = sum(counts.get(s, 0) for s in (MessageState.SENT, MessageState.FAILED, MessageState.SUPPRESSED))
    return {
        "started": started,
        "total": total,
        "queued": counts.get(MessageState.QUEUED, 0),
        "sending": counts.get(MessageState.SENDING, 0),
        "retrying": counts.get(MessageState.RETRYING, 0),
        "sent": counts.get(MessageState.SENT, 0),
        "failed": counts.get(MessageState.FAILED, 0),
        "suppressed": counts.get(MessageState.SUPPRESSED, 0),
        "done": done,
        "in_progress": total - done,
        "percent": int(100 * done / total) if total else 0,
        "by_state": counts,
    }
