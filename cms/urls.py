"""URL map: public app routes first, then the Wagtail admin and page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from campaigns.partner_api.api import api as partner_api
from cms import routing
from cms import views as cms_views
from cms.webhooks import tracking_webhook_urls

# Addresses that machines and staff keep: one address each, in no language.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Only the configured email provider's tracking webhook (none in the embedded default).
    path("anymail/", include((tracking_webhook_urls(settings.ANYMAIL_PROVIDER), "anymail"))),
    path("healthz", cms_views.health, name="health"),
    path("healthz/background", cms_views.background_health, name="background_health"),
    path("", include("resources.urls")),  # counted downloads
    path("", include("events.urls")),  # calendar feeds and files
    path("api/v1/", partner_api.urls),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve_media,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

# Public pages in every language of settings.LANGUAGES: English at the addresses it always had, the others
# under their prefix (/pl/resources/, /ar/events/…), each Wagtail page served from its own locale's tree, so
# the same page in another language is the same path with another prefix
# (cms.templatetags.site_tags.language_links). Wagtail's page serving is replaced by the same with the site,
# route and privacy answers remembered (cms/routing.py); its password and sign-in routes stay in front of it.
urlpatterns += i18n_patterns(
    path("", include("cms.site_urls")),
    path("", include("campaigns.urls")),
    *[
        re_path(serve_pattern, routing.serve, name="wagtail_serve")
        if getattr(pattern, "name", None) == "wagtail_serve"
        else pattern
        for pattern in wagtail_urls.urlpatterns
    ],
    prefix_default_language=False,
)
