from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Connects the email provider's tracking webhooks (anymail signal) to the pipeline, and the
        # events side's session changes to the booking emails.
        from campaigns import receivers  # noqa: F401  (connects signal receivers)
        from campaigns.roles import ensure_roles_after_migrate
        from campaigns.services import webhooks  # noqa: F401

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="campaigns.ensure_roles")
