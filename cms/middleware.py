"""Security headers for every response, a Content Security Policy for public pages, a plain 400 for
requests carrying characters no page can use, and a clean 503 while the database is unreachable."""

import logging

from anymail.exceptions import AnymailWebhookValidationFailure
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"


class UrlLanguageMiddleware(LocaleMiddleware):
    """The language of a page is its URL prefix (/pl/, /ar/…), and English has none.

    Django's LocaleMiddleware already chooses only by the prefix when the default language is unprefixed
    (no cookie, no session, no Accept-Language), but still marks unprefixed responses `Vary: Accept-Language`;
    they do not vary, so that is left off and shared caches keep one copy of each page.
    """

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = ("/admin/", "/django-admin/")

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith(self.admin_prefixes) and not getattr(response, "csp_exempt", False):
            response.headers.setdefault(
                "Content-Security-Policy", getattr(settings, "PUBLIC_CSP", PUBLIC_CSP)
            )
        return response


NUL = "\x00"


def _holds_nul(querydict):
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())


class UnreadableInputMiddleware:
    """A NUL character in the address, its query string or a submitted form: a plain 400, and no view runs.

    No page, filter, form or API parameter has a use for one, and PostgreSQL cannot store or even compare
    text holding one (the query fails, which would be a 500), so it is refused here, once, for every route:
    public pages and their filters, token links, the admin and the partner API (which answers in JSON).
    Uploaded files are not looked at: Django already drops unprintable characters from their names.
    """

    address_message = _("This address contains characters we cannot read.")
    form_message = _("This form contains characters we cannot read.")
    json_prefixes = ("/api/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or NUL in request.META.get("QUERY_STRING", "") or _holds_nul(request.GET):
            return self.refuse(request, self.address_message)
        if request.method == "POST" and self._form_holds_nul(request):
            return self.refuse(request, self.form_message)
        return self.get_response(request)

    @staticmethod
    def _form_holds_nul(request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return False
        return _holds_nul(request.POST)

    def refuse(self, request, message):
        logger.info(
            "Refused a request with a NUL character: %s %s", request.method, request.path.replace(NUL, "%00")
        )
        if request.path_info.startswith(self.json_prefixes):
            return JsonResponse({"detail": str(message)}, status=400)
        return HttpResponse(render_to_string("400_unreadable.html", {"message": message}), status=400)


class DatabaseUnavailableMiddleware:
    """While the database is restarting or unreachable, answer 503 with a plain page instead of a 500.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the site recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response


class MalformedWebhookMiddleware:
    """Provider webhooks whose body cannot be parsed get a 400, not a 500, and change nothing; calls
    without the webhook secret's credentials (or the provider's signature) get a 401 basic-auth challenge.

    anymail parses the body before any of our code runs, so a body that is not JSON surfaces here.
    """

    prefix = "/anymail/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith(self.prefix):
            return None
        if isinstance(exception, AnymailWebhookValidationFailure):
            logger.warning("Refused an unauthenticated webhook call at %s: %s", request.path, exception)
            response = HttpResponse("Credentials required.", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Basic realm="webhooks"'
            return response
        if isinstance(exception, (ValueError, KeyError, TypeError)):
            logger.warning("Refused a malformed webhook at %s: %s", request.path, exception)
            return HttpResponse("Malformed webhook payload.", status=400, content_type="text/plain")
        return None


class MethodNotAllowedPageMiddleware:
    """A public link opened with the wrong method (a Cancel button's address typed or followed directly)
    gets the product's own 405 page with a way on, not the browser's blank one. Nothing is changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith(("/admin/", "/api/")):
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response.get("Allow", "")
        return page


class PrivateLinkNoStoreMiddleware:
    """Pages reached through someone's private link (any URL with a `token`: a booking, a waiting-list place,
    an invitation, a certificate, unsubscribing) are never kept by a browser's or a proxy's cache, so the
    next person at a shared computer, or a cache in between, cannot show them again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and "token" in match.kwargs:
            response["Cache-Control"] = "private, no-store"
        return response
