"""A small per-client rate limit for public form posts, kept in Django's cache (Redis in production), and
the client address every per-client limit keys on."""

import functools
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

WINDOW_SECONDS = 60


def _address(value):
    """An IP address in its normal form, from an X-Forwarded-For entry (which some proxies give with a
    port: `203.0.113.7:5123`, `[2001:db8::1]:443`); None if it is not one."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The address of the client, as the nearest party we trust saw it.

    With no proxy declared (TRUSTED_PROXY_HOPS = 0) that is the connecting address, REMOTE_ADDR. Behind
    N proxies, each appends the address it was connected from to X-Forwarded-For, so the client's is the
    Nth entry from the right: what the outermost trusted proxy saw. Entries further left are whatever the
    client chose to send and are never used. A request with fewer entries (it passed fewer proxies) uses
    the leftmost, which a trusted proxy still wrote; one with none, or with an entry that is not an
    address, falls back to REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _address(forwarded[-min(hops, len(forwarded))]) or remote


def allow(scope, request, limit):
    """Count one hit for this client in the current minute; False once it is over `limit`."""
    return allow_key(scope, client_ip(request), limit)


def allow_key(scope, key, limit):
    """Count one hit for `key` (a client, a code) in the current minute; False once it is over `limit`."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{key}:{window}"
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
