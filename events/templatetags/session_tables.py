"""The sessions tables of What's on and the event pages, and What's on's event sections, rendered once
for each distinct content.

A table is made only from plain values (`events.selectors.SessionRow`: dates as text, places left, links),
so the same values always give the same HTML. Each process keeps the most recent tables, keyed by every
value they show, places left included: a booking changes the key, so a table is never out of date, and
What's on renders only the tables that changed since the last visit. An event's section on What's on
(`event_summary`: its title, labels, table and "see all" link) is kept the same way, keyed by the event's
listed values (`events.selectors.ListedEvent`), its rows and its number of sessions.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

register = template.Library()

TABLES_KEPT = 1024


@register.simple_tag
def session_table(rows, caption, of_total=None, show_venue_link=False, sessions_page=None):
    """The table of `rows`: `of_total` for "the next 6 of 20", `sessions_page` for "page 2 of 3"."""
    number, num_pages = (sessions_page.number, sessions_page.paginator.num_pages) if sessions_page else (1, 1)
    render = _table.__wrapped__ if settings.DEBUG else _table  # templates edited in development show at once
    language = translation.get_language()  # its headings and words are in the page's language
    return render(tuple(rows), str(caption), of_total, bool(show_venue_link), number, num_pages, language)


@lru_cache(maxsize=TABLES_KEPT)
def _table(rows, caption, of_total, show_venue_link, number, num_pages, language):
    return render_to_string(
        "events/includes/session_table.html",
        {
            "rows": rows,
            "caption": caption,
            "of_total": of_total,
            "show_venue_link": show_venue_link,
            "number": number,
            "num_pages": num_pages,
        },
    )


@register.simple_tag
def event_summary(listing, show_run_by=False):
    """The section of What's on for one `events.selectors.EventSessions`; `show_run_by` names the council
    that runs it (in a partnership of several)."""
    render = _summary.__wrapped__ if settings.DEBUG else _summary
    language = translation.get_language()
    return render(listing.event, tuple(listing.rows), listing.total, bool(show_run_by), language)


@lru_cache(maxsize=TABLES_KEPT)
def _summary(event, rows, total, show_run_by, language):
    return render_to_string(
        "events/includes/event_summary.html",
        {"event": event, "rows": rows, "total": total, "more": total > len(rows), "show_run_by": show_run_by},
    )
