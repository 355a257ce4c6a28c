"""Building library pages for tests: resources under the /resources/ index, with audiences and topics."""

import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from resources.models import AudienceTag, ResourceIndexPage, ResourcePage, Topic

_numbers = itertools.count(1)


def ensure_site():
    """The home page, its site, the library and the root collection, as migrations leave them."""
    from cms.models import HomePage
    from cms.structure import ensure_site_tree
    from resources.structure import ensure_library, ensure_taxonomy

    ensure_taxonomy()
    ensure_site_tree()
    home = HomePage.objects.get()
    ensure_library(home)
    return home


def library():
    """The English library (translations of it are in other locales)."""
    return ResourceIndexPage.objects.get(locale__language_code="en-gb")


def topic(slug):
    return Topic.objects.get(slug=slug)


def make_image(title="Test image"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), "#1d3f72").save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ContentFile(buffer.getvalue(), name="test.png"))


def make_document(title="Guide", content=b"A short guide."):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name="guide.txt"))


def make_resource(
    title=None,
    *,
    audiences=("8-10",),
    topics=(),
    live=True,
    restricted=False,
    parent=None,
    image=None,
    **fields,
):
    number = next(_numbers)
    title = title or f"Resource {number}"
    page = ResourcePage(
        title=title,
        slug=fields.pop("slug", f"resource-{number}"),
        summary=fields.pop("summary", f"Summary of {title}."),
        live=live,
        listing_image=image,
        listing_image_alt="A test picture" if image else "",
        **fields,
    )
    page.audiences = list(AudienceTag.objects.filter(slug__in=audiences))
    page.topics = [topic(slug) for slug in topics]
    (parent or library()).add_child(instance=page)
    if restricted:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page
