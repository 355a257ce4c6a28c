"""The library's fixed structure: the /resources/ index page and the editorial workflow, created if missing."""

from django.db import DEFAULT_DB_ALIAS, connections

REQUIRED_TABLES = {"resources_resourceindexpage", "resources_safeguardingreviewtask", "wagtailcore_workflow"}


def ensure_resource_index(home=None):
    """The ResourceIndexPage at /resources/ under the home page, published. Returns it (or None)."""
    from wagtail.models import Site

    from resources.models import ResourceIndexPage

    existing = ResourceIndexPage.objects.first()
    if existing is not None:
        return existing
    if home is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return None
        home = site.root_page
    index = ResourceIndexPage(
        title="Materials",
        slug="resources",
        intro="Guidance and activities about staying safe online and offline, for children and young "
        "people, parents and carers, faith and community groups, and professionals.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def ensure_library(home=None):
    from resources.workflow import ensure_editorial_workflow

    ensure_editorial_workflow(home)
    return ensure_resource_index(home)


def ensure_library_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, **kwargs):
    tables = set(connections[using].introspection.table_names())
    if not tables >= REQUIRED_TABLES:
        return
    from cms.models import HomePage

    if not HomePage.objects.using(using).exists():
        return
    ensure_library()
