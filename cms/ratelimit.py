"""A small per-client rate limit for public form posts, kept in Django's cache (Redis in production)."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

WINDOW_SECONDS = 60


def client_ip(request):
    # Behind a proxy, name the header it sets (e.g. "HTTP_X_REAL_IP") in RATE_LIMIT_CLIENT_IP_HEADER.
    header = getattr(settings, "RATE_LIMIT_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(scope, request, limit):
    """Count one hit for this client in the current minute; False once it is over `limit`."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        hits = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: start again.
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        hits = 1
    return hits <= limit


def rate_limited_post(scope):
    """Refuse a client's POSTs beyond BOOKING_RATE_LIMIT_PER_MINUTE with a friendly 429 page."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            limit = getattr(settings, "BOOKING_RATE_LIMIT_PER_MINUTE", 20)
            if request.method == "POST" and limit and not allow(scope, request, limit):
                response = render(request, "campaigns/bookings/too_many_requests.html", status=429)
                response["Retry-After"] = str(WINDOW_SECONDS)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
