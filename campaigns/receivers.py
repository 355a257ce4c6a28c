"""Signal receivers: the campaigns side reacting to the events side. Connected in CampaignsConfig.ready()."""

from django.dispatch import receiver

from events.signals import session_changed


@receiver(session_changed, dispatch_uid="campaigns.session_changed")
def email_bookers_about_session_change(sender, session, changed_fields=(), cancelled=False, **kwargs):
    from campaigns.services.session_changes import notify_session_changed

    notify_session_changed(session, changed_fields=changed_fields, cancelled=cancelled)
