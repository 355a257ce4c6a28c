"""The library's filter links and one page of its results, as HTML kept until public content changes.

A listing is the same for everyone who asks for the same filters and page of the same library in the same
language on the same site, signed in or not: it holds only published, public pages. So it is rendered once
per public content version (`cms.page_cache.remembered`, which any publish, unpublish, move, privacy
change, image or taxonomy edit replaces) and every other view of it, an editor's included, pays only for
the page around it. Its links are built from the filters alone (never from the rest of the query string),
so one kept listing is right for every address that asks for it.
"""

import hashlib

from django.template.loader import render_to_string
from django.utils.http import urlencode

from cms.links import page_number
from cms.page_cache import remembered
from resources.selectors import resource_listing

LISTING_TEMPLATE = "resources/includes/listing.html"


def listing_html(parent, filters, request, *, per_page):
    number = page_number(request.GET.get("page"))

    def render():
        listing = resource_listing(
            filters, parent=parent, page_number=number, per_page=per_page, request=request
        )
        query = urlencode(filters.params())
        context = {
            "page": parent,
            "listing": listing,
            "pagination_query": f"{query}&" if query else "",
            "request": request,  # for links relative to this site, which is part of the key
        }
        return render_to_string(LISTING_TEMPLATE, context)

    asked = (parent.pk, request.get_host(), filters.age, filters.audience, filters.topic, filters.problems)
    digest = hashlib.sha256(repr((asked, number)).encode()).hexdigest()[:32]
    return remembered(f"library-listing:{digest}", render)
