"""The reach dashboard's figures, cached per filter until the data they come from changes.

Registers, training and cohorts announce each change with `campaigns.signals.reach_inputs_changed` once
their transaction commits, and the receiver in campaigns/reach/receivers.py starts a new cache
generation, so the next view computes afresh; so does a cancelled session's bookings. Other bookings and
invitations show within CACHE_SECONDS.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.utils import timezone

from campaigns.reach.selectors import dashboard, never_reached_counts

CACHE_SECONDS = 60
GENERATION_KEY = "reach-generation"


def cache_generation():
    return cache.get_or_set(GENERATION_KEY, lambda: secrets.token_hex(8), None)


def start_new_generation():
    cache.delete(GENERATION_KEY)


def _cached(kind, filters, today, compute):
    key_source = f"{filters!r}|{today}|{cache_generation()}"
    key = f"reach-{kind}:" + hashlib.sha256(key_source.encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def cached_dashboard(filters, today=None):
    """`dashboard()` for the admin and the API, cached per filter (see CACHE_SECONDS above)."""
    today = today or timezone.localdate()
    return _cached("dashboard", filters, today, lambda: dashboard(filters, today))


def cached_never_reached_counts(filters):
    """`never_reached_counts()` for the API, cached per filter as the dashboard is (`filters` resolved)."""
    return _cached("never-reached", filters, timezone.localdate(), lambda: never_reached_counts(filters))
