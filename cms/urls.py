"""URL map: public app routes first, then the Wagtail admin and page tree."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from campaigns.partner_api.api import api as partner_api
from cms import routing
from cms.webhooks import tracking_webhook_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Only the configured email provider's tracking webhook (none in the embedded default).
    path("anymail/", include((tracking_webhook_urls(settings.ANYMAIL_PROVIDER), "anymail"))),
    path("", include("cms.site_urls")),
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

# Wagtail's own routes, its page serving replaced by the same with the site, route and privacy answers
# remembered (cms/routing.py); its password and sign-in routes stay in front of it.
urlpatterns += [
    re_path(serve_pattern, routing.serve, name="wagtail_serve")
    if getattr(pattern, "name", None) == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]
