"""Template helpers for resource pages."""

from django import template

from resources.downloads import tracked_download_url

register = template.Library()


@register.simple_tag
def download_url(document, resource=None):
    """The counted download link for a document on a resource page."""
    return tracked_download_url(document, resource=resource)
