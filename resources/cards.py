"""The library's cards, each kept as HTML in the cache so a listing renders only the cards that changed.

A card's key holds everything the card shows that can change: the page (its published revision and time,
title, summary, image, address), the visitor's language, whether it is offered in English with a note, the
site it is linked from, and a version replaced whenever topic or audience names, images or sites change.
Publishing a page gives it a new key, so the next listing shows the change; an unpublished page is no
longer in the listing at all. Cards missing from the cache get their relations loaded and are rendered in
one go; the listing's own query count stays the same whatever the library's size.
"""

import hashlib
import logging
import uuid

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.translation import get_language

from cms.page_cache import page_cache_seconds

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "resources/includes/resource_card.html"
VERSION_KEY = "library-cards:version"
CARD_SECONDS = 24 * 60 * 60  # a card's key changes with its content, so it may be kept well past a page


def cards_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def forget_cards(**kwargs):
    """Make every kept card stale (topic or audience names, an image or a site changed). A signal receiver."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # the cache being down must never stop an edit; cards still expire
        logger.exception("Could not forget the library's cards")


def card_key(resource, version, host):
    shown = "\x1f".join(
        str(value)
        for value in (
            resource.pk,
            resource.live_revision_id,
            resource.last_published_at and resource.last_published_at.isoformat(),
            resource.url_path,
            resource.title,
            resource.summary,
            resource.listing_image_id,
            resource.listing_image_alt,
            getattr(resource, "language_fallback_url", ""),
            getattr(resource, "language_fallback_lang", ""),
            host,
        )
    )
    digest = hashlib.sha256(shown.encode()).hexdigest()[:32]
    return f"library-card:{version}:{get_language()}:{digest}"


def render_cards(resources, request, relations):
    """The HTML of each resource's card, in order. `relations`: the prefetch lookups a card needs, loaded
    only for the cards not in the cache."""
    template = get_template(CARD_TEMPLATE)

    def render(batch):
        if batch:
            prefetch_related_objects(batch, *relations)
        # Rendered with autoescaping, so each card is already a SafeString (and stays one through pickling).
        return [template.render({"resource": resource, "request": request}) for resource in batch]

    if page_cache_seconds() <= 0 or not resources:
        return render(resources)
    try:
        version = cards_version()
        keys = [card_key(resource, version, request.get_host() if request else "") for resource in resources]
        kept = cache.get_many(keys)
    except Exception:  # the cache being down must not take the page with it
        logger.exception("Library cards cache unavailable")
        return render(resources)
    missing = [(key, resource) for key, resource in zip(keys, resources, strict=True) if key not in kept]
    fresh = dict(zip([key for key, _ in missing], render([resource for _, resource in missing]), strict=True))
    if fresh:
        try:
            if cards_version() == version:  # nothing changed while rendering
                cache.set_many(fresh, CARD_SECONDS)
        except Exception:
            logger.exception("Could not keep the library's cards")
    return [kept[key] if key in kept else fresh[key] for key in keys]
