"""Reading settings from the environment, failing loudly and by name when one is missing."""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()


def env(name, default=_REQUIRED):
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(
                f"The environment variable {name} is required in production but is not set."
            )
        return default
    return value


def env_list(name, default=_REQUIRED):
    value = env(name, default)
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return list(value)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"The environment variable {name} must be a whole number.") from exc
