"""Template context for every page: the help contacts shown in the banner and behind the quick-exit button."""

import logging

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from cms.page_cache import current_version, page_cache_seconds

logger = logging.getLogger(__name__)


def help_contacts(request):
    """`help_contacts`: the site's SafeguardingSettings, read from the shared cache when it is there.

    Every public page and form shows them, so they are kept in Django's cache under the public-page content
    version, which saving the setting or a site replaces (cms.page_cache): an edit shows at once.
    """
    return {
        "help_contacts": SimpleLazyObject(lambda: _help_contacts_for(request)),
        "help_councils": SimpleLazyObject(_councils),
        "page_council": getattr(request, "page_council", None),
    }


def _councils():
    """Each partner council with a front door, as plain values (the banner lists them where no single
    council's page is shown). Kept under the public content version with the pages that show it."""
    from cms.councils import public_councils

    return [council for council in public_councils() if council["front_door_phone"]]


def _help_contacts_for(request):
    from cms.models import SafeguardingSettings

    try:
        version = current_version()
        key = f"help-contacts:{version}:{request.get_host()}"
        contacts = cache.get(key)
    except Exception:  # the cache being down must not take the help banner with it
        logger.exception("Help contacts cache unavailable")
        return SafeguardingSettings.for_request(request)
    if contacts is None:
        contacts = SafeguardingSettings.for_request(request)
        try:
            # Stored only if nothing changed while reading (the first read of a site added since the last
            # migrate creates its row, which changes the version).
            if current_version() == version:
                cache.set(key, contacts, page_cache_seconds())
        except Exception:
            logger.exception("Could not cache the help contacts")
    return contacts
