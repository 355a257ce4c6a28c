"""Wagtail's page serving with its fixed cost taken out: the site, the route and the privacy check are
remembered until public content changes.

Wagtail finds the site for the host (one query), walks the page tree from the site's root to the page
(a query or two per level, and the page's own class), and before serving asks for the page's and its
ancestors' view restrictions (two more). Every public page pays that on every visit, though the answers
change only when pages, sites or page privacy change, and each of those replaces the public content version
(cms/page_cache.py). So `serve` keeps, under that version (`remembered`):

- the site for each host and port (Wagtail then reads it from `request._wagtail_site`, as it does itself);
- the route result for each site, language and path, a fresh copy of the page object for each request
  (it is unpickled from the cache, so no state is shared between requests); only plain page routes are
  kept (an unknown address is not, and a routable page's sub-routes are served by Wagtail as usual);
- the paths of the pages that have a view restriction. A page under none of them is served without
  Wagtail's `check_view_restrictions` step, which would only have queried to find nothing; a page under one
  (password, sign-in, groups) goes through every step as before.

Everything else is Wagtail's own `wagtail.views.serve`: the other `on_serve_page` and `before_serve_page`
hooks run, previews and the admin are untouched, and a method other than GET or HEAD is routed as usual.
"""

from django.http import Http404, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction, Site
from wagtail.wagtail_hooks import check_view_restrictions

from cms.page_cache import remembered

_NO_ROUTE = "no-route"


def restricted_paths():
    """The tree paths of every page with a view restriction, until page privacy or the tree changes."""
    return remembered(
        "privacy:restricted-paths",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True).distinct()),
    )


def is_restricted(path, paths=None):
    """True when the page at tree `path` is, or is below, a page with a view restriction."""
    return any(path.startswith(restricted) for restricted in (restricted_paths() if paths is None else paths))


def _site_for(request):
    host, port = request._get_raw_host(), request.get_port()
    site = remembered(f"routing:site:{host}:{port}", lambda: Site._find_for_request(request) or _NO_ROUTE)
    return None if site == _NO_ROUTE else site


def _route(request, site, path):
    def compute():
        # An unknown address raises Http404 here, and nothing is kept: addresses that lead nowhere (a
        # scanner's guesses) must not fill the cache.
        page, args, kwargs = site.root_page.localized.specific.route(
            request, [component for component in path.split("/") if component]
        )
        return (page, tuple(args or ()), dict(kwargs or {}))

    return remembered(f"routing:page:{site.pk}:{translation.get_language()}:{path}", compute)


def serve(request, path):
    """`wagtail.views.serve`, with the site, route and privacy answers remembered (see the module)."""
    if request.method not in ("GET", "HEAD"):
        return wagtail_views.serve(request, path)
    site = _site_for(request)
    request._wagtail_site = site
    if site is None:
        raise Http404
    page, args, kwargs = _route(request, site, path)
    if args or kwargs:  # a routable page's sub-route: Wagtail's own way, nothing kept
        return wagtail_views.serve(request, path)
    request._wagtail_route_for_request = (page, args, kwargs)
    if is_restricted(page.path):
        return wagtail_views.serve(request, path)

    on_serve_chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is not check_view_restrictions:  # no restriction applies to this page (see above)
            on_serve_chain = fn(on_serve_chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return on_serve_chain(page, request, args, kwargs)
