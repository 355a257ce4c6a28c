"""The library's fixed structure: the /resources/ index page and the editorial workflow, created if missing."""

from django.db import DEFAULT_DB_ALIAS, connections

REQUIRED_TABLES = {
    "resources_audiencetag",
    "resources_topic",
    "resources_resourceindexpage",
    "resources_safeguardingreviewtask",
    "wagtailcore_workflow",
}


DEFAULT_TOPICS = [
    ("online-safety", "Online safety", "Staying safe on apps, games and websites."),
    ("grooming", "Grooming", "How people build trust to harm children, and how to spot it."),
    (
        "sharing-images",
        "Sharing nudes and images",
        "What the law says, and what to do if an image is shared.",
    ),
    ("healthy-relationships", "Healthy relationships and consent", "Respect, boundaries and saying no."),
    (
        "signs-of-exploitation",
        "Signs of exploitation",
        "Changes in behaviour that may mean a child is at risk.",
    ),
    ("gaming-and-chat", "Gaming and chat", "Talking to people you meet in games and chat rooms."),
    ("getting-help", "Reporting and getting help", "Who to tell and how to report a worry."),
]


def ensure_taxonomy():
    """One AudienceTag per taxonomy.Audience, and the starting topics (existing topics are left as edited)."""
    from resources.models import AudienceTag, Topic
    from resources.taxonomy import Audience

    for order, (slug, label) in enumerate(Audience.choices):
        AudienceTag.objects.update_or_create(slug=slug, defaults={"label": label, "sort_order": order})
    if not Topic.objects.exists():
        for slug, name, description in DEFAULT_TOPICS:
            Topic.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


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
    from cms.structure import is_last_app_migrated

    if not is_last_app_migrated(sender):
        return
    tables = set(connections[using].introspection.table_names())
    if not tables >= REQUIRED_TABLES:
        return
    from cms.models import HomePage

    # Also after a test database flush, which empties the rows the data migrations wrote.
    ensure_taxonomy()
    if HomePage.objects.using(using).exists():
        ensure_library()
