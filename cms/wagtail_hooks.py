"""Hooks of the site shell, and the extension points it offers to higher apps.

cms is the lowest app and never imports resources, events or campaigns. Higher apps add to the public
site through two hooks (objects in cms/extensions.py):

``register_home_page_panel``
    ``fn(request) -> HomePagePanel | None``. Each panel is rendered on the home page, in ``order``
    (lower first), with ``template_name`` and ``context`` (the request is added). Return None to show
    nothing (e.g. no upcoming sessions). Keep each hook to a bounded number of queries. Example, in
    events/wagtail_hooks.py::

        @hooks.register("register_home_page_panel")
        def upcoming_sessions_panel(request):
            sessions = list(upcoming_public_sessions()[:3])  # a selector: one query
            if not sessions:
                return None
            return HomePagePanel("events/panels/upcoming.html", {"sessions": sessions}, order=30)

    The library registers the audience routes ("Find material for you", order 10). Suggested orders:
    campaigns 20, events 30.

``register_public_search_filter``
    ``fn(request, pages, query) -> SearchFilterResult``: narrows the page queryset searched by
    ``/search/`` and returns the filter links to show. The library registers ``age``/``audience``/``topic``.

Its own admin pages: two-factor sign-in (cms/two_factor.py).
"""

from wagtail import hooks

from cms import two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return two_factor.admin_urls()
