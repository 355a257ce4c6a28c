"""Staff sign-in that cannot be guessed at: failed attempts are counted per account and per client address
in Django's cache (Redis in production), and past a limit sign-in is refused for a while, whatever the
password, without saying whether the account exists. A successful sign-in clears the account's count.

Used as Wagtail's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM).
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from wagtail.admin.forms.auth import LoginForm

from cms.ratelimit import client_ip

TOO_MANY = (
    "Too many attempts to sign in. For your account's safety, please wait {minutes} minutes and try again."
)


def _key(scope, kind, value):
    digest = hashlib.sha256(str(value).strip().lower().encode()).hexdigest()
    return f"throttle:{scope}:{kind}:{digest}"


def window_seconds():
    return int(getattr(settings, "SIGN_IN_LOCKOUT_SECONDS", 15 * 60))


def count(scope, kind, value):
    return cache.get(_key(scope, kind, value), 0)


def add_one(scope, kind, value, window=None):
    """Count one more for `value` in this window (the window starts at the first count)."""
    key = _key(scope, kind, value)
    cache.add(key, 0, timeout=window or window_seconds())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window or window_seconds())
        return 1


def clear(scope, kind, value):
    cache.delete(_key(scope, kind, value))


def limits():
    return {
        "account": int(getattr(settings, "SIGN_IN_MAX_FAILURES_PER_ACCOUNT", 5)),
        "address": int(getattr(settings, "SIGN_IN_MAX_FAILURES_PER_ADDRESS", 20)),
    }


class ThrottledLoginForm(LoginForm):
    def clean(self):
        username = self.data.get("username") or ""
        address = client_ip(self.request) if self.request is not None else "unknown"
        subjects = {"account": username, "address": address}
        refused = ValidationError(TOO_MANY.format(minutes=max(window_seconds() // 60, 1)), code="throttled")
        if any(count("sign-in", kind, value) >= limits()[kind] for kind, value in subjects.items()):
            raise refused
        # Each attempt is counted before the password is checked, so simultaneous guesses cannot pass the limit.
        if any(add_one("sign-in", kind, value) > limits()[kind] for kind, value in subjects.items()):
            raise refused
        cleaned = super().clean()  # a wrong password raises, and its attempt stays counted
        clear("sign-in", "account", username)
        # A right password gives its attempt back, so a shared office does not use up its address limit.
        give_back("sign-in", "address", address)
        return cleaned


def give_back(scope, kind, value):
    with contextlib.suppress(ValueError):  # the count expired meanwhile
        cache.decr(_key(scope, kind, value))
