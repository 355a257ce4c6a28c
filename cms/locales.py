"""Wagtail content locales, one for each configured language (settings.WAGTAIL_CONTENT_LANGUAGES).

`ensure_locales` creates whichever are missing, after every `migrate` and from `seed_demo`, so adding a
language to the setting is all it takes to translate pages into it. Locales are never deleted here: a
language taken off the list keeps its pages until an editor removes them.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def configured_language_codes():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def ensure_locales():
    from wagtail.models import Locale

    existing = set(Locale.objects.values_list("language_code", flat=True))
    for code in configured_language_codes():
        if code not in existing:
            Locale.objects.create(language_code=code)


def ensure_locales_after_migrate(using=DEFAULT_DB_ALIAS, **kwargs):
    if (
        using != DEFAULT_DB_ALIAS
        or "wagtailcore_locale" not in connections[using].introspection.table_names()
    ):
        return
    ensure_locales()
