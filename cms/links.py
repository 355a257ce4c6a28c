"""Links: absolute ones for emails and calendar files (from the configured public base URL), and the page
number a listing's `?page=` asks for."""

from django.conf import settings


def absolute_url(path):
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{path}"


def page_number(raw):
    """The page a `?page=` asks for, from 1: anything that is not a whole number is the first page. A number
    past the end is kept as asked (a paginator's `get_page` then shows the last page)."""
    try:
        return max(int(str(raw or "")[:9]), 1)
    except ValueError:
        return 1
