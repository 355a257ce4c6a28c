"""The site's fixed structure: the root collection, a page tree root, the HomePage and the default Site,
and every site's help contacts, created if missing.

The first `migrate` makes the pages and the site in cms's data migration and this post_migrate handler
adds the help contacts; after every migrate it puts back whatever is missing (a flushed test database, a
database restored without pages, a site added since).
"""

from django.db import DEFAULT_DB_ALIAS, connections

REQUIRED_TABLES = {
    "wagtailcore_page",
    "wagtailcore_site",
    "wagtailcore_locale",
    "cms_homepage",
    "cms_safeguardingsettings",
}


def ensure_site_tree():
    from wagtail.models import Collection

    from cms.models import HomePage

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not HomePage.objects.exists():
        _add_home_page_and_site()
    ensure_help_contacts()


def ensure_help_contacts():
    """Every site's help contacts (the banner on every page) exist from the start, with their defaults.

    Otherwise the first visitor's request would create them, and so change the public pages' content
    version on a read.
    """
    from wagtail.models import Site

    from cms.models import SafeguardingSettings

    for site in Site.objects.filter(safeguardingsettings__isnull=True):
        SafeguardingSettings.objects.get_or_create(site=site)


def _add_home_page_and_site():
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    # After a flush the cached content types point at rows that no longer exist.
    ContentType.objects.clear_cache()
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage(
        title="Safe Together",
        slug="home",
        intro="Helping children, families and communities stay safe from sexual exploitation, online and offline.",
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def is_last_app_migrated(sender):
    """post_migrate is sent once per app; structure that needs every app's content types and permissions
    (pages, workflows, groups) is made after the last one."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    return bool(with_models) and sender is with_models[-1]


def ensure_site_tree_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if not is_last_app_migrated(sender):
        return
    if not set(connections[using].introspection.table_names()) >= REQUIRED_TABLES:
        return
    ensure_site_tree()
