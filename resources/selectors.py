"""Read-only queries for the library's pages, reports and the campaigns side's reach figures.

Every listing here runs a fixed number of queries whatever the number of resources: relations and image
renditions are prefetched for the whole page of results, never fetched per item.
"""

from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Locale

from cms.page_cache import remembered
from resources.cards import render_cards
from resources.models import AudienceTag, DownloadCount, ResourcePage, Topic, days_until_review

LISTING_RENDITION = "fill-480x270"
REVIEW_WARNING_DAYS = 30


def public_resources():
    """Resources anyone may see: published, live, not behind page privacy."""
    return ResourcePage.objects.live().public()


def listing_relations():
    """What a card shows beyond the page's own row, to prefetch for a whole page of results at once."""
    images = get_image_model().objects.prefetch_renditions(LISTING_RENDITION)
    return ["audiences", "topics", Prefetch("listing_image", queryset=images)]


def with_listing_relations(resources):
    return resources.prefetch_related(*listing_relations())


def all_topics():
    """Every topic, for filter links: kept in the cache until the taxonomy or any public content changes."""
    return remembered("library:topics", lambda: list(Topic.objects.all()))


def in_language_of(resources, parent):
    """The resources under `parent`, and in another language's library also the English resources not yet
    translated into it (offered in English with a note, never hidden). One query, whatever the size."""
    default = Locale.get_default()
    own = resources.child_of(parent)
    if parent.locale_id == default.pk:
        return own
    english_library = _english_library_place(parent, default)
    if english_library is None:
        return own
    path, depth = english_library
    # `resources` has its privacy rule already worked out: reused, a translated library costs no more
    # queries than the English one.
    translated = resources.filter(locale_id=parent.locale_id).values("translation_key")
    english = resources.filter(path__startswith=path, depth=depth + 1)
    return own | english.exclude(translation_key__in=translated)


def _english_library_place(parent, default):
    """Where the English library is in the tree (its path and depth), kept until public content changes."""

    def compute():
        english_library = parent.get_translation_or_none(default)
        return None if english_library is None else (english_library.path, english_library.depth)

    return remembered(f"library:english-of:{parent.translation_key}", compute)


def mark_language_fallbacks(resources, parent):
    """Each English resource in another language's listing links to it under that language's library
    (where it is served in English with a note) and knows it is in English."""
    if parent is None or not any(resource.locale_id != parent.locale_id for resource in resources):
        return resources
    english = get_supported_content_language_variant(settings.LANGUAGE_CODE)  # Locale.get_default's, no query
    for resource in resources:
        if resource.locale_id != parent.locale_id:
            resource.language_fallback_url = f"{parent.url}{resource.slug}/"
            resource.language_fallback_lang = english
    return resources


def resource_listing(filters, *, parent=None, page_number=None, per_page=12, request=None):
    """One page of the library for the given filters, with the filter links and the topics.

    With a `request`, `cards` holds each resource's card HTML (resources/cards.py): only the cards not
    already kept are rendered, and only they have their audiences, topics and image loaded.

    In a translated library (/pl/resources/) the list holds its own language's pages and the English pages
    not yet translated into it (`in_language_of`)."""
    resources = public_resources()
    if parent is not None:
        resources = in_language_of(resources, parent)
    topics = all_topics()
    problems = list(filters.problems)
    if filters.topic and filters.topic not in {topic.slug for topic in topics}:
        problems.append("We do not have a topic with that name.")
    # Cards need neither the body nor the facilitator note: don't load their JSON for every item.
    resources = (
        filters.apply(resources).defer("body", "facilitator_note").order_by("-first_published_at", "pk")
    )
    paginator = Paginator(resources if request is not None else with_listing_relations(resources), per_page)
    page = paginator.get_page(page_number)
    listed = mark_language_fallbacks(list(page.object_list), parent)
    return {
        "page": page,
        "resources": listed,
        "cards": render_cards(listed, request, listing_relations()) if request is not None else None,
        "topics": topics,
        "filter_groups": filters.groups(topics),
        "problems": problems,
        "mixed_audiences": filters.mixed_audiences() if not paginator.count else None,
    }


def related_resources(page):
    ids = [link.resource_id for link in page.related_links.all() if link.resource_id != page.pk]
    if not ids:
        return []
    found = {resource.pk: resource for resource in public_resources().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def audience_counts():
    """{audience slug: number of public resources}, in one query."""
    rows = (
        AudienceTag.objects.filter(resources__in=public_resources().values("pk"))
        .values("slug")
        .annotate(resources_count=Count("resources"))
    )
    return {row["slug"]: row["resources_count"] for row in rows}


def audiences():
    return list(AudienceTag.objects.all())


def pages_due_for_review(today=None, within_days=REVIEW_WARNING_DAYS):
    """Resource pages whose review date has passed or falls within `within_days`, soonest first."""
    today = today or timezone.localdate()
    return (
        ResourcePage.objects.filter(
            review_by__isnull=False, review_by__lte=today + timedelta(days=within_days)
        )
        .select_related("review_owner", "owner")
        .order_by("review_by", "title")
    )


def overdue_review_reminders(today=None):
    """What the weekly reminder needs about each overdue page with someone to tell, as plain data."""
    today = today or timezone.localdate()
    reminders = []
    for page in pages_due_for_review(today, within_days=0):
        owner = page.effective_review_owner()
        if owner is None or not owner.email or not owner.is_active:
            continue
        reminders.append(
            {
                "page": page,
                "page_id": page.pk,
                "title": page.title,
                "review_by": page.review_by,
                "days_overdue": -days_until_review(page.review_by, today),
                "owner_email": owner.email,
                "owner_name": owner.get_full_name() or owner.get_username(),
            }
        )
    return reminders


def _download_rows(*, start=None, end=None, campaign_ids=None, organisation_ids=None, resource_ids=None):
    rows = DownloadCount.objects.all()
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    if campaign_ids is not None:
        rows = rows.filter(campaign_id__in=list(campaign_ids))
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    if resource_ids is not None:
        rows = rows.filter(resource_id__in=list(resource_ids))
    return rows


def download_counts(*, group_by=("resource",), **filters):
    """Downloads summed by the given fields, e.g. group_by=("campaign_id", "organisation_id").

    Group fields: day, document, resource, campaign_id, organisation_id (0 = not attributed).
    Filters: start, end (inclusive dates), campaign_ids, organisation_ids, resource_ids.
    Returns a list of dicts holding the group fields and `downloads`, largest first. One query.
    """
    group_by = list(group_by)
    rows = _download_rows(**filters).values(*group_by).annotate(downloads=Sum("count"))
    return list(rows.order_by("-downloads", *group_by))


def download_total(**filters):
    """Total downloads matching the same filters as `download_counts`. One query."""
    return _download_rows(**filters).aggregate(total=Sum("count"))["total"] or 0


def download_rows_for_report():
    return DownloadCount.objects.select_related("document", "resource").order_by("-day", "-count", "pk")


def search_filter(filters, pages):
    """Narrow a page queryset (for search) to resources matching the filters; no-op without filters."""
    if not filters.active:
        return pages
    return pages.filter(id__in=filters.apply(ResourcePage.objects.all()).values("pk"))
