"""Extension points of the site shell that higher apps fill through Wagtail hooks (see cms/wagtail_hooks.py).

cms is the lowest app: it never imports resources, events or campaigns. Instead they register hook
functions returning the small objects below, and cms renders whatever it is given.
"""

from dataclasses import dataclass, field

from wagtail import hooks

from cms.page_cache import live_fingerprint

HOME_PAGE_PANEL_HOOK = "register_home_page_panel"
PUBLIC_SEARCH_FILTER_HOOK = "register_public_search_filter"


@dataclass
class HomePagePanel:
    """One block on the home page: rendered with `template_name` and `context` (plus `request`)."""

    template_name: str
    context: dict = field(default_factory=dict)
    order: int = 100
    # What the panel shows that can change without the public content version changing (places left…), as
    # a digest (cms.page_cache.live_fingerprint); "" when it changes only with published content. None
    # (the default) means it cannot say, and the home page is then rendered afresh on every visit.
    fingerprint: str | None = None


@dataclass
class SearchFilterResult:
    """What a search filter hook returns: the narrowed pages, its filter links and any messages."""

    pages: object
    groups: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    params: dict = field(default_factory=dict)


def home_page_panels(request):
    panels = []
    for hook in hooks.get_hooks(HOME_PAGE_PANEL_HOOK):
        panel = hook(request)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)


def home_page_fingerprint(panels):
    """A digest of what `panels` show beyond published content, or None when one of them cannot say."""
    if any(panel.fingerprint is None for panel in panels):
        return None
    return live_fingerprint(*((panel.template_name, panel.order, panel.fingerprint) for panel in panels))


def apply_search_filters(request, pages, query):
    """Run every registered search filter over `pages`; returns (pages, filter groups, problems, params)."""
    groups, problems, params = [], [], {}
    for hook in hooks.get_hooks(PUBLIC_SEARCH_FILTER_HOOK):
        result = hook(request, pages, query)
        pages = result.pages
        groups += result.groups
        problems += result.problems
        params.update(result.params)
    return pages, groups, problems, params
