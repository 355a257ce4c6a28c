"""The follow-up pack a school gets (once) after its attendance is recorded, with tracked download links."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.models import Locale

from campaigns.bookings.emails import booker_language
from campaigns.mail.services import queue_email
from campaigns.models import MessageKind
from campaigns.signals import follow_up_pack_written
from cms.links import absolute_url
from resources.downloads import tracked_download_url
from resources.taxonomy import YEAR_GROUP_AGE_BAND, AdultAudience

PARENTS_GUIDE_FALLBACK = "/resources/?audience=parents-carers"


def _tracked_download_url(document, *, resource, campaign_id, organisation_id):
    """The library's tracked download link, counted per school and campaign."""
    return tracked_download_url(
        document, resource=resource, campaign_id=campaign_id, organisation_id=organisation_id
    )


def _audience_slugs(page):
    slugs = getattr(page, "audience_slugs", None)
    if callable(slugs):
        return set(slugs())
    audience = getattr(page, "audience", "")
    return {audience} if audience else set()


def _page_documents(page):
    """Documents a material page offers for download, found in its StreamFields in order."""
    document_model = get_document_model()
    found = []

    def walk(value):
        if isinstance(value, document_model):
            if value not in found:
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif hasattr(value, "value") and hasattr(value, "block_type"):
            walk(value.value)
        elif isinstance(value, list | tuple) or type(value).__name__ in {"StreamValue", "ListValue"}:
            for item in value:
                walk(item)
        elif hasattr(value, "items") and callable(value.items):
            for _key, item in value.items():
                walk(item)

    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            walk(getattr(page, field.name))
    return found


def follow_up_materials(booking):
    """(materials for the booking's age band, parents' guides) among the campaign's post-session pages."""
    campaign = booking.campaign
    band = YEAR_GROUP_AGE_BAND.get(booking.year_group) if booking.year_group else None
    materials, guides = [], []
    for page in campaign.post_session_materials.live().specific().order_by("title"):
        slugs = _audience_slugs(page)
        if AdultAudience.PARENTS_CARERS in slugs:
            guides.append(page)
        elif not slugs or band is None or band in slugs:
            materials.append(page)
    return materials, guides


def _in_language(pages, language):
    """Each page in the booker's language where it has a live translation, else the English: a page not yet
    translated is still sent, never left out."""
    locale = Locale.objects.filter(language_code=language).first() if language else None
    if locale is None:
        return list(pages)
    found = []
    for page in pages:
        translation = page.get_translation_or_none(locale)
        found.append(translation.specific if translation is not None and translation.live else page)
    return found


def _fallback_url(language):
    """The library's parents' and carers' shelf, under the booker's language prefix (English has none)."""
    if language and language != settings.LANGUAGE_CODE:
        return f"/{language}{PARENTS_GUIDE_FALLBACK}"
    return PARENTS_GUIDE_FALLBACK


def _links(pages, booking):
    links = []
    for page in _in_language(pages, booking.language):
        documents = [
            {
                "title": document.title,
                "url": absolute_url(
                    _tracked_download_url(
                        document,
                        resource=page,
                        campaign_id=booking.campaign_id,
                        organisation_id=booking.organisation_id,
                    )
                ),
            }
            for document in _page_documents(page)
        ]
        links.append({"title": page.title, "url": absolute_url(page.url or "/"), "documents": documents})
    return links


def send_follow_up_pack(booking):
    """Queue the follow-up pack for an attended school booking; a second call sends nothing."""
    if booking.campaign_id is None or booking.organisation_id is None or not booking.booker_email:
        return None
    materials, guides = follow_up_materials(booking)
    campaign = booking.campaign
    # Written in the language the school booked in: the links the receivers add point into it too.
    with booker_language(booking), transaction.atomic():
        extras = {}
        for _receiver, extra in follow_up_pack_written.send(sender=type(booking), booking=booking):
            extras.update(extra or {})
        return queue_email(
            to=booking.booker_email,
            to_name=booking.booker_name,
            subject=_("Thank you for coming to %(campaign)s: your follow-up pack")
            % {"campaign": campaign.name},
            template="follow_up_pack",
            context={
                "booker_name": booking.booker_name,
                "organisation": booking.organisation.name,
                "campaign": campaign.name,
                "reference": booking.reference,
                "materials": _links(materials, booking),
                "parents_guides": _links(guides, booking),
                "parents_guide_fallback": absolute_url(_fallback_url(booking.language)),
                "contact_email": campaign.contact_email,
                **extras,
            },
            # Sent to every school that came, like the campaign's invitations: a campaign email, so an
            # unsubscribed address gets none and it carries the one-click unsubscribe.
            kind=MessageKind.CAMPAIGN,
            campaign=campaign,
            related=booking,
            language=booking.language,
            dedupe_key=f"follow-up:{booking.pk}",
        )
