"""The library of materials: audiences, topics, resource pages, downloads and their counts."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Materials library"

    def ready(self):
        from wagtail.images import get_image_model
        from wagtail.models import Site

        from cms.page_cache import invalidate_public_pages
        from resources.cards import forget_cards
        from resources.models import AudienceTag, Topic
        from resources.structure import ensure_library_after_migrate
        from resources.translations import install_translation_guard

        install_translation_guard()

        post_migrate.connect(ensure_library_after_migrate, dispatch_uid="resources.ensure_library")
        # Topic and audience names appear in every listing's filter links and cards.
        for model in (AudienceTag, Topic):
            for signal in (post_save, post_delete):
                signal.connect(
                    invalidate_public_pages, sender=model, dispatch_uid=f"resources.cache.{model.__name__}"
                )
        # A card shows topic and audience names, an image and a link relative to the site.
        for model in (AudienceTag, Topic, get_image_model(), Site):
            for signal in (post_save, post_delete):
                signal.connect(forget_cards, sender=model, dispatch_uid=f"resources.cards.{model.__name__}")
