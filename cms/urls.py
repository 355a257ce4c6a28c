"""URL map: public app routes first, then the Wagtail admin and page tree."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from campaigns.partner_api.api import api as partner_api
from cms.webhooks import tracking_webhook_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Only the configured email provider's tracking webhook (none in the embedded default).
    path("anymail/", include((tracking_webhook_urls(settings.ANYMAIL_PROVIDER), "anymail"))),
    path("", include("resources.urls")),
    path("", include("events.urls")),
    path("", include("campaigns.urls")),
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

# Search and Wagtail's pages in every content language: English unprefixed, the others under /pl/, /ar/…
# (LANGUAGES), each served from its own locale's tree (the health checks come along, harmlessly).
urlpatterns += i18n_patterns(
    path("", include("cms.site_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
