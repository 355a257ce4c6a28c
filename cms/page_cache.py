"""A shared cache of whole public pages for anonymous visitors, emptied whenever public content changes.

Listing pages (the library, search) are the same for every visitor who is not signed in, so their HTML is
cached in Django's cache (Redis in production) under a key made of a *content version*, the page's
language (from its address: /pl/… is Polish) and the full URL.
Publishing, unpublishing, moving or deleting a page, saving a site setting (the help contacts), an image,
a document, a site or page privacy, a partner council's contacts, and the library's taxonomy, all replace the version
(`invalidate_public_pages`), so no visitor is ever shown a page from before the change; entries also
expire after `PUBLIC_PAGE_CACHE_SECONDS` as a backstop. Views opt in with `cached_public_response`;
`PublicPageCacheMiddleware` then answers repeat visits to those paths before URL routing and Wagtail's
page lookup.

Nothing per-person is ever cached: a request carrying any cookie except the CSRF cookie (a session, so a
signed-in editor with the userbar, page-privacy passes, flash messages) is rendered afresh and not stored,
and a response that sets a cookie (a CSRF token on a form) or is marked private is not stored either.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
DEFAULT_SECONDS = 600

# Paths (without query strings) this process has stored pages for, so the middleware looks in the cache only
# for those and adds nothing to other requests. Only a few views cache, so it stays a handful of paths.
_cached_paths = set()


def page_cache_seconds():
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def _new_version():
    # A random token rather than a counter: if the version key is ever evicted, a restarted counter could
    # otherwise match entries written under an earlier, stale version.
    return uuid.uuid4().hex


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def _bump():
    try:
        cache.set(VERSION_KEY, _new_version(), None)
    except Exception:  # the cache being down must never stop an edit; entries still expire
        logger.exception("Could not invalidate the public page cache")


def invalidate_public_pages(**kwargs):
    """Make every cached public page stale. Usable directly as a signal receiver.

    Bumped now and again after the surrounding transaction commits, so a page rendered from the old rows
    while the change was still uncommitted cannot be stored under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


# Values `remembered(..., shared=True)` keeps in this process too, for the one content version they belong to.
_in_process = {"version": None, "values": {}}


def remembered(name, compute, *, shared=False):
    """`compute()`, kept in the cache under the public content version (so until public content changes).

    For values every public page shows that depend only on published content (pages, settings, the
    library's taxonomy): any change that would make a cached page stale makes these stale too. Computed
    afresh when caching is off or the cache cannot be reached.

    `shared`: the value is never changed by its users (frozen values), so this process also keeps the one
    it read for the current version and hands the same object to every request, instead of reading and
    unpickling it from the cache each time. The version is still read on every call, so a change shows at
    once. Without it each call gets its own copy (a page object from the route cache, say).
    """
    if page_cache_seconds() <= 0:
        return compute()
    try:
        version = current_version()
        key = f"public-content:{version}:{get_language()}:{name}"  # labels and links differ per language
        if shared:
            kept = _in_process
            if kept["version"] == version and key in kept["values"]:
                return kept["values"][key]
        value = cache.get(key)
    except Exception:  # the cache being down must not take the page with it
        logger.exception("Public content cache unavailable")
        return compute()
    if value is None:
        value = compute()
        try:
            # Stored only if nothing changed while computing, so a value read before an edit is not kept.
            if current_version() == version:
                cache.set(key, value, page_cache_seconds())
            else:
                return value
        except Exception:
            logger.exception("Could not cache %s", name)
            return value
    if shared:
        if _in_process["version"] != version:
            _in_process.update(version=version, values={})  # one version's values at a time
        _in_process["values"][key] = value
    return value


def _cacheable_request(request):
    if page_cache_seconds() <= 0 or request.method != "GET" or getattr(request, "is_preview", False):
        return False
    return not (set(request.COOKIES) - {settings.CSRF_COOKIE_NAME})


def _cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and response.get("Content-Type", "").startswith("text/html")
    )


def page_language(request):
    """The page's language as its address gives it (/pl/… Polish, unprefixed English), read from the path
    itself so the key is the same before and after LocaleMiddleware has run."""
    return get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _lookup(request):
    """(key, cached response or None); (None, None) when the cache cannot be reached."""
    try:
        url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"public-pages:{current_version()}:{page_language(request)}:{url}"
        hit = cache.get(key)
    except Exception:
        logger.exception("Public page cache unavailable")
        return None, None
    if hit is None:
        return key, None
    return key, _response(hit)


def _response(hit):
    content_type, content = hit
    response = HttpResponse(content, content_type=content_type)
    patch_vary_headers(response, ("Cookie",))  # as the rendered page, which looks at the session
    return response


def cached_public_response(request, render):
    """`render()`'s response, served from and stored in the cache when the visitor is anonymous."""
    if not _cacheable_request(request):
        return render()
    if hasattr(request, "_public_page_cache_key"):  # PublicPageCacheMiddleware already looked: a miss
        key = request._public_page_cache_key
    else:
        key, hit = _lookup(request)
        if hit is not None:
            return hit
    if key is None:
        return render()
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if _cacheable_response(response):
        try:
            cache.set(key, (response["Content-Type"], response.content), page_cache_seconds())
            _cached_paths.add(request.path)
        except Exception:
            logger.exception("Could not store a page in the public page cache")
    return response


def live_fingerprint(*parts):
    """A short, exact digest of `parts` (plain values: numbers, text, dates, tuples of them) for
    `cached_live_response`: equal digests mean equal values."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def cached_live_response(request, fingerprint, render, *, confirm=False):
    """`render()`'s response for a page that shows live figures (places left), from the cache when it can be.

    For anonymous, cookie-less GETs only (as `cached_public_response`). `fingerprint()` reads everything
    the page shows that can change without the public content version changing (the sessions' places
    taken, times, venues, booking windows as seen now…) and returns a digest of it (`live_fingerprint`),
    or None when the page cannot be cached. The key holds the content version, the language, the full URL
    and that digest, so a booking, a session starting or a window opening gives another key: an entry is
    never out of date and nothing has to be removed. On a hit the page is neither built nor rendered.
    `render` may use what `fingerprint` read (the caller keeps it), so the page shown and its key agree.
    The middleware never serves these pages: their key needs the fingerprint, which needs the view.

    `confirm`: the page is not built from what `fingerprint` read but read again (the fingerprint being a
    cheap summary of it), so `fingerprint()` is called once more after rendering and the page is stored
    only if it gives the same digest: a change made while the page was built is never stored under the
    key of the state before it.
    """
    if not _cacheable_request(request):
        return render()
    try:
        version = current_version()  # read first: what `fingerprint` reads is at least this new
    except Exception:
        logger.exception("Public page cache unavailable")
        return render()
    digest = fingerprint()
    if digest is None:
        return render()
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"public-pages:live:{version}:{page_language(request)}:{url}:{digest}"
    try:
        hit = cache.get(key)
    except Exception:
        logger.exception("Public page cache unavailable")
        return render()
    if hit is not None:
        return _response(hit)
    response = render()
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if _cacheable_response(response):
        try:
            # Stored only if no edit came while rendering, so a page built from older content is not kept.
            if current_version() == version and (not confirm or fingerprint() == digest):
                cache.set(key, (response["Content-Type"], response.content), page_cache_seconds())
        except Exception:
            logger.exception("Could not store a page in the public page cache")
    return response


class PublicPageCacheMiddleware:
    """Serve a page stored by `cached_public_response` before URL routing, Wagtail's page lookup and the view.

    Only for the same anonymous, cookie-less GETs the page could have been stored for; anything else, and
    every miss, goes on to the view as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in _cached_paths and _cacheable_request(request):
            key, hit = _lookup(request)
            if hit is not None:
                return hit
            request._public_page_cache_key = key
        return self.get_response(request)


def _on_any_save_or_delete(sender, **kwargs):
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.models import Page

    if issubclass(sender, Page | BaseSiteSetting | BaseGenericSetting):
        invalidate_public_pages()


def connect_signals():
    """Called from CmsConfig.ready(): everything in the site shell that changes what public pages show."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from cms.models import Authority

    uid = "cms.page_cache"
    page_published.connect(invalidate_public_pages, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(invalidate_public_pages, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(invalidate_public_pages, dispatch_uid=f"{uid}.moved")
    page_slug_changed.connect(invalidate_public_pages, dispatch_uid=f"{uid}.slug")
    # Page deletions and settings saves, for every Page/setting subclass (signals are sent per concrete class).
    post_delete.connect(_on_any_save_or_delete, dispatch_uid=f"{uid}.any_delete")
    post_save.connect(_on_any_save_or_delete, dispatch_uid=f"{uid}.any_save")
    for model in (Site, PageViewRestriction, Authority, get_image_model(), get_document_model()):
        post_save.connect(
            invalidate_public_pages, sender=model, dispatch_uid=f"{uid}.save.{model._meta.label}"
        )
        post_delete.connect(
            invalidate_public_pages, sender=model, dispatch_uid=f"{uid}.del.{model._meta.label}"
        )
