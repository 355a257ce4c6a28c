"""The campaigns app: its signal receivers and roles are connected when Django starts."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Signal receivers: the email provider's tracking webhooks (anymail) into the pipeline, emails'
        # outcomes onto invitations, the events side's session changes and freed places into bookings,
        # and changed registers and training into reach's cache.
        from campaigns.bookings import receivers as bookings_receivers  # noqa: F401
        from campaigns.evaluation import receivers as evaluation_receivers  # noqa: F401
        from campaigns.invitations import receivers as invitations_receivers  # noqa: F401
        from campaigns.mail import webhooks  # noqa: F401
        from campaigns.reach import receivers as reach_receivers  # noqa: F401
        from campaigns.roles import ensure_roles_after_migrate, grant_event_pages_on_create
        from events.models import EventIndexPage

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="campaigns.ensure_roles")
        # A new What's on page is open to Campaign staff for events, like the existing ones.
        post_save.connect(
            grant_event_pages_on_create, sender=EventIndexPage, dispatch_uid="campaigns.grant_event_pages"
        )
