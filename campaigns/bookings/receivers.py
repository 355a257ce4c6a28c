"""Signal receivers of bookings: the events side's session changes, and places freed by the booking services.
Connected in CampaignsConfig.ready()."""

from django.dispatch import receiver

from campaigns.bookings import rules, waiting_list
from campaigns.bookings.session_changes import notify_session_changed
from campaigns.bookings.signals import places_freed
from events.signals import events_listed, session_changed, sessions_listed


@receiver(session_changed, dispatch_uid="campaigns.session_changed")
def email_bookers_about_session_change(
    sender, session, changed_fields=(), cancelled=False, user=None, **kwargs
):
    notify_session_changed(session, changed_fields=changed_fields, cancelled=cancelled, user=user)


@receiver(places_freed, dispatch_uid="campaigns.bookings.offer_freed_places")
def offer_freed_places(sender, session_id, now=None, **kwargs):
    waiting_list.offer_freed_places(session_id, now=now)


@receiver(sessions_listed, dispatch_uid="campaigns.bookings.sessions_by_invitation")
def sessions_by_invitation(sender, sessions, **kwargs):
    return rules.sessions_by_invitation_only(sessions)


@receiver(events_listed, dispatch_uid="campaigns.bookings.events_by_invitation")
def events_by_invitation(sender, events, **kwargs):
    return rules.events_by_invitation_only(events)
