"""The library of materials: audiences, topics, resource pages, downloads and their counts."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Materials library"

    def ready(self):
        from resources.structure import ensure_library_after_migrate

        post_migrate.connect(ensure_library_after_migrate, dispatch_uid="resources.ensure_library")
