from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Campaigns"

    def ready(self):
        # Connects the email provider's tracking webhooks (anymail signal) to the pipeline.
        from campaigns.services import webhooks  # noqa: F401
