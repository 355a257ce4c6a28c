"""Template helpers for resource pages."""

from django import template

from resources.downloads import tracked_download_url

register = template.Library()


@register.simple_tag
def download_url(document, resource=None):
    """The counted download link for a document on a resource page."""
    return tracked_download_url(document, resource=resource)


@register.filter
def privacy_enhanced_embed(html):
    """Serve YouTube embeds from youtube-nocookie.com: no tracking cookies, and allowed by the site's CSP."""
    from django.utils.safestring import mark_safe

    text = str(html or "")
    for host in ("https://www.youtube.com/embed/", "https://youtube.com/embed/"):
        text = text.replace(host, "https://www.youtube-nocookie.com/embed/")
    return mark_safe(text)  # noqa: S308 (embed HTML comes from the oEmbed provider via Wagtail's embed finder)
