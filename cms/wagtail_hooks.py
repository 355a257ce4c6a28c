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

Its own admin pages: two-factor sign-in (cms/two_factor.py); Settings → Partner councils (cms/viewsets.py,
for administrators and partnership coordinators: cms.add/change_authority); on the admin home, a warning when background
work (the worker and the scheduler) has fallen silent.
"""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms import two_factor
from cms.tasks import background_silence
from cms.viewsets import authority_viewset


class BackgroundSilentPanel(Component):
    name = "background_silent"
    order = 10
    template_name = "cms/admin/background_silent.html"

    def __init__(self, silence):
        self.silence = silence

    def get_context_data(self, parent_context):
        never = self.silence == "never"
        return {"never": never, "minutes": None if never else int(self.silence.total_seconds() // 60)}


@hooks.register("construct_homepage_panels")
def warn_when_background_work_is_silent(request, panels):
    silence = background_silence()
    if silence is not None:
        panels.insert(0, BackgroundSilentPanel(silence))


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return two_factor.admin_urls()


@hooks.register("register_admin_viewset")
def register_partner_councils():
    return authority_viewset
