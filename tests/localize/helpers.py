"""Translating library pages in tests as wagtail-localize does: a Translation, its strings from a PO file."""

from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from resources.models import ResourceIndexPage


def locale(code):
    return Locale.objects.get(language_code=code)


def start_translation(page, code, user=None):
    """'Translate this page' into one language: a draft translation with the English strings for now."""
    TranslationCreator(user, [locale(code)]).create_translations(page.specific)
    return translation_of(page, code)


def translation_of(page, code):
    source = TranslationSource.objects.get_for_instance(page.specific)
    return Translation.objects.get(source=source, target_locale=locale(code))


def fill_strings(translation, words=None, suffix=" [pl]"):
    """Translate every string through a PO file (as an outside translator's file is imported)."""
    words = words or {}
    po = translation.export_po()
    for entry in po:
        if entry.msgctxt == "slug":  # addresses stay the same in every language: /pl/resources/…
            entry.msgstr = entry.msgid
        else:
            entry.msgstr = words.get(entry.msgid, entry.msgid + suffix)
    translation.import_po(po)


def translated_page(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale=locale(code)).specific


def translated_tree(code):
    """The home page and library in `code`, translated and live (by code, as the demo does)."""
    english_library = ResourceIndexPage.objects.get(locale__language_code="en-gb")
    for page in (english_library.get_parent(), english_library):
        if Page.objects.filter(translation_key=page.translation_key, locale=locale(code), live=True).exists():
            continue
        translation = start_translation(page, code)
        fill_strings(translation, suffix=f" ({code})")
        publish_by_code(translation)
    return translated_page(english_library, code)


def publish_by_code(translation):
    """What save_target(user=None, publish=True) does once the transaction commits (tests never commit)."""
    translation.save_target(user=None, publish=False)
    translated_page(
        translation.source.get_source_instance(), translation.target_locale.language_code
    ).get_latest_revision().publish()
