"""Calendar feeds and downloads: the whole programme, one event, one session."""

import hashlib

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from events.calendar import build_calendar, session_ics
from events.models import EventPage
from events.selectors import public_sessions, upcoming_public_sessions
from resources.taxonomy import Audience

FEED_MAX_AGE = 15 * 60


def _calendar_response(request, body, *, filename, download):
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_safe
def programme_feed(request):
    """/events/calendar.ics: upcoming sessions of published events; `?audience=` narrows it."""
    audience = request.GET.get("audience") or None
    if audience is not None and audience not in Audience.values:
        return HttpResponseBadRequest(
            "Unknown audience. Use one of: " + ", ".join(Audience.values), content_type="text/plain"
        )
    # Cancelled sessions stay in the feed so subscribed calendars see the cancellation.
    sessions = upcoming_public_sessions(audience=audience, include_cancelled=True)
    name = "Safe Together: what's on"
    if audience:
        name += f" ({Audience(audience).label})"
    body = build_calendar(sessions, name=name)
    filename = f"safe-together-{audience}.ics" if audience else "safe-together.ics"
    return _calendar_response(request, body, filename=filename, download=False)


@require_safe
def event_feed(request, slug):
    event = get_object_or_404(EventPage.objects.live(), slug=slug)
    sessions = public_sessions().filter(event=event).order_by("starts_at", "pk")
    body = build_calendar(sessions, name=event.title)
    return _calendar_response(request, body, filename=f"{event.slug}.ics", download=True)


@require_safe
def session_download(request, pk):
    session = public_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404("No such session")
    body = session_ics(session)
    return _calendar_response(request, body, filename=f"session-{session.pk}.ics", download=True)
