"""Calendar feeds and downloads: the whole programme, one event, one session."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from cms.councils import council_by_code, public_councils
from events.calendar import build_calendar, session_ics
from events.models import EventPage
from events.selectors import public_sessions, sessions_fingerprint, upcoming_public_sessions
from resources.taxonomy import Audience

FEED_MAX_AGE = 15 * 60
CACHE_SECONDS = 24 * 60 * 60


def _calendar_response(request, sessions, build, *, key, filename, download):
    """Serve a calendar of `sessions`, built by `build(list_of_sessions)` only when something changed.

    The ETag and the cache key come from one aggregate query over the sessions, so an unchanged feed
    costs two small queries and no iCalendar building; a client that polls with If-None-Match gets a 304.
    """
    fingerprint = f"{key}|{settings.WAGTAILADMIN_BASE_URL}|{sessions_fingerprint(sessions)}"
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        patch_cache_control(not_modified, public=True, max_age=FEED_MAX_AGE)
        return not_modified
    cache_key = f"events:ics:{digest}"
    body = cache.get(cache_key)
    if body is None:
        body = build(list(sessions))
        cache.set(cache_key, body, CACHE_SECONDS)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@require_safe
def programme_feed(request):
    """/events/calendar.ics: upcoming sessions of published events; `?audience=` narrows it, and
    `?area=<council code>` to the events that council runs and those the partnership runs together."""
    audience = request.GET.get("audience") or None
    if audience is not None and audience not in Audience.values:
        return HttpResponseBadRequest(
            "Unknown audience. Use one of: " + ", ".join(Audience.values), content_type="text/plain"
        )
    area_code = request.GET.get("area") or None
    area = council_by_code(area_code) if area_code is not None else None
    if area_code is not None and area is None:
        codes = [council["code"] for council in public_councils()]
        return HttpResponseBadRequest(
            "Unknown area. Use one of: " + (", ".join(codes) or "(no partner councils)"),
            content_type="text/plain",
        )
    # Cancelled sessions stay in the feed so subscribed calendars see the cancellation.
    sessions = upcoming_public_sessions(
        audience=audience, area=area["pk"] if area else None, include_cancelled=True
    )
    name = "Safe Together: what's on"
    labels = [
        label for label in (str(Audience(audience).label) if audience else "", area and area["name"]) if label
    ]
    if labels:
        name += f" ({', '.join(labels)})"
    filename = (
        "-".join(["safe-together", *(part for part in (audience, area and area["code"]) if part)]) + ".ics"
    )
    return _calendar_response(
        request,
        sessions,
        lambda rows: build_calendar(rows, name=name),
        key=f"programme|{audience}|{area and area['code']}",
        filename=filename,
        download=False,
    )


@require_safe
def event_feed(request, slug):
    event = get_object_or_404(EventPage.objects.live(), slug=slug)
    sessions = public_sessions().filter(event=event).order_by("starts_at", "pk")
    return _calendar_response(
        request,
        sessions,
        lambda rows: build_calendar(rows, name=event.title),
        key=f"event|{event.pk}|{event.slug}",
        filename=f"{event.slug}.ics",
        download=True,
    )


@require_safe
def session_download(request, pk):
    sessions = public_sessions().filter(pk=pk)
    if not sessions.exists():
        raise Http404("No such session")
    return _calendar_response(
        request,
        sessions,
        lambda rows: session_ics(rows[0]),
        key=f"session|{pk}",
        filename=f"session-{pk}.ics",
        download=True,
    )
