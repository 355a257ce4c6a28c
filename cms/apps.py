from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate

from cms.checks import base_url_check, webhook_secret_check


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"

    def ready(self):
        from cms import exports
        from cms.locales import ensure_locales_after_migrate
        from cms.page_cache import connect_signals
        from cms.structure import ensure_site_tree_after_migrate

        connect_signals()
        exports.install()
        checks.register(webhook_secret_check, checks.Tags.security, deploy=True)
        checks.register(base_url_check, checks.Tags.security, deploy=True)

        post_migrate.connect(ensure_site_tree_after_migrate, dispatch_uid="cms.ensure_site_tree")
        post_migrate.connect(ensure_locales_after_migrate, dispatch_uid="cms.ensure_locales")
