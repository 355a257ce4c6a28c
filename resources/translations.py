"""Translated pages (wagtail-localize): which English version each follows, whether it is out of date, and
the safeguarding review every translation for children passes before it goes live.

Editors translate a page in the admin ("Translate this page", then wagtail-localize's editor, which shows
each English string beside its translation; PO files can go out to translators and come back). A new
translation starts as a draft (`WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False`).

The review. wagtail-localize saves a translation with `TranslationSource.create_or_update_translation`
from every route: its editor's Publish button, "Sync translated pages" (with or without "publish"),
"Translate this page" and code. Left alone it would write the translated content straight into the page's
row (which is what visitors see) and publish afterwards with no user, which the publish guard
(resources/workflow.py) takes for code. `install_translation_guard()` wraps it: when the translation is
for children (or replaces a live page for children) and the user may not approve, the translation is
saved as a draft revision only (the live row is not touched) and, if publishing was asked for, submitted
to the "Safeguarding review" workflow instead; a reviewer approves it like any English page. A
reviewer's own publish goes through as before, with their name on it. The workflow is assigned to the
tree's root as well as the English home page (`ensure_editorial_workflow`), so every locale's pages go
through it.

Out of date. A translation follows the English as wagtail-localize last read it (its source's
`last_updated_at`). When the English page is published again after that, the translation is out of date
until someone syncs it ("Sync translated pages"): `translation_status()` says so, and the "Translations"
report lists every translated page with its state.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, TaskState
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.segments.ingest import ingest_segments

from resources.workflow import can_approve, is_for_children, needs_safeguarding_review

MACHINE_ASSISTED_ACTION = "resources.translation_machine_assisted"
SUBMITTED_FOR_REVIEW = (
    "“%(title)s” is for children, so it has been saved and submitted for safeguarding review. It goes live "
    "when a reviewer approves it."
)


def default_locale():
    return Locale.get_default()


# Which English version it follows, and is it out of date --------------------------------------------------


@dataclass(frozen=True)
class TranslationStatus:
    source_page: Page | None  # the page it is translated from (English), None if that was deleted
    follows_as_of: object  # when wagtail-localize last read the English (a datetime)
    out_of_date: bool

    @property
    def label(self):
        return "Out of date: the English has changed" if self.out_of_date else "Up to date"


def _source_for(page):
    return (
        TranslationSource.objects.filter(
            object_id=page.translation_key, translations__target_locale_id=page.locale_id
        )
        .exclude(locale_id=page.locale_id)
        .order_by("-last_updated_at")
        .first()
    )


def translation_status(page):
    """How this translated page stands against its English source, or None if it is not a translation."""
    source = _source_for(page)
    if source is None:
        return None
    source_page = Page.objects.filter(
        translation_key=page.translation_key, locale_id=source.locale_id
    ).first()
    changed_since = (
        source_page is not None
        and source_page.last_published_at is not None
        and source_page.last_published_at > source.last_updated_at
    )
    return TranslationStatus(
        source_page=source_page, follows_as_of=source.last_updated_at, out_of_date=changed_since
    )


def translated_pages():
    """Every page that is the target of a translation, newest first: for the Translations report."""
    targets = Translation.objects.filter(enabled=True).values_list("source__object_id", "target_locale_id")
    keys = {}
    for key, locale_id in targets:
        keys.setdefault(key, set()).add(locale_id)
    pages = (
        Page.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("-latest_revision_created_at")
    )
    return [page for page in pages if page.locale_id in keys[page.translation_key]]


# The review every translation for children passes ---------------------------------------------------------


def translation_being_edited(page):
    """The wagtail-localize translation whose target is this page, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def needs_review(source, locale):
    """Whether saving this translation live needs a reviewer: the English is for children, or the live one is."""
    return _needs_review(source, source.as_instance(), locale)


def _needs_review(source, original, locale):
    if is_for_children(original):
        return True
    try:
        existing = source.get_translated_instance(locale)
    except ObjectDoesNotExist:
        return False
    return needs_safeguarding_review(existing.specific)


def submit_for_review(page, user):
    """Put the page's latest revision into its workflow (restarting one already running on an older one)."""
    page = page.specific
    workflow = page.get_workflow()
    if workflow is None:
        return None
    state = page.current_workflow_state
    if state is not None:
        state.cancel(user=user)
    return workflow.start(page, user)


def _save_draft_only(source, original, locale, user, fallback):
    """wagtail-localize's steps for an existing page, except that the live row is never written."""
    translation = source.get_translated_instance(locale).specific
    copy_synchronised_fields(original, translation)
    segments = source._get_segments_for_translation(locale, fallback=fallback)
    with transaction.atomic():
        ingest_segments(original, translation, source.locale, locale, segments)
        if translation.alias_of_id:
            # An alias stays on the English content until its reviewed translation is published.
            translation.alias_of_id = None
            translation.save(update_fields=["alias_of_id"], clean=False)
        translation.slug = find_available_slug(
            translation.get_parent(), translation.slug, ignore_page_id=translation.id
        )
        revision = translation.save_revision(user=user)
        source.sync_view_restrictions(original, translation)
        TranslationLog.objects.create(source=source, locale=locale, revision=revision)
    return translation


def _guard_translation(create_or_update):
    @functools.wraps(create_or_update)
    def guarded(source, locale, user=None, publish=True, copy_parent_pages=False, fallback=False):
        original = source.as_instance()
        if not isinstance(original, Page) or can_approve(user) or not _needs_review(source, original, locale):
            if publish and user is not None and isinstance(original, Page):
                # Publish as the user, not anonymously: the guard and the audit log see who it was.
                translation, created = create_or_update(
                    source,
                    locale,
                    user=user,
                    publish=False,
                    copy_parent_pages=copy_parent_pages,
                    fallback=fallback,
                )
                revision = translation.get_latest_revision()
                transaction.on_commit(lambda: revision.publish(user=user))
                return translation, created
            return create_or_update(
                source,
                locale,
                user=user,
                publish=publish,
                copy_parent_pages=copy_parent_pages,
                fallback=fallback,
            )
        if user is None and publish:
            # Code (migrations, demo data) with no one to review it: as for English pages.
            return create_or_update(
                source,
                locale,
                user=None,
                publish=True,
                copy_parent_pages=copy_parent_pages,
                fallback=fallback,
            )
        try:
            existing = source.get_translated_instance(locale)
        except ObjectDoesNotExist:
            existing = None
        if existing is not None and (existing.live or existing.alias_of_id):
            translation, created = _save_draft_only(source, original, locale, user, fallback), False
        else:
            translation, created = create_or_update(
                source,
                locale,
                user=user,
                publish=False,
                copy_parent_pages=copy_parent_pages,
                fallback=fallback,
            )
        if publish:
            submit_for_review(translation, user)
        return translation, created

    guarded.safeguarding_guard = True
    return guarded


def install_translation_guard():
    """Make wagtail-localize's one way of saving a translation keep translations for children in review."""
    if not getattr(TranslationSource.create_or_update_translation, "safeguarding_guard", False):
        TranslationSource.create_or_update_translation = _guard_translation(
            TranslationSource.create_or_update_translation
        )


install_translation_guard()


def content_language_codes():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


# The review screen: each English string beside its translation ------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    where: str  # which field of the page the string is in
    english: str
    translated: str | None  # None: not translated yet


@dataclass(frozen=True)
class TranslationReview:
    translation: Translation
    status: TranslationStatus
    english_revision: object  # the English page's revision the translation follows (None if unknown)
    rows: list

    @property
    def untranslated(self):
        return [row for row in self.rows if row.translated is None]


def translation_review(page):
    """The English strings of a translated page beside its translated ones, or None for a page that is not a
    translation (an English page, or a page made some other way)."""
    translation = translation_being_edited(page)
    status = translation_status(page)
    if translation is None or status is None:
        return None
    source = translation.source
    segments = list(
        StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
    )
    done = {
        (row.translation_of_id, row.context_id): row.data
        for row in StringTranslation.objects.filter(
            locale_id=translation.target_locale_id,
            translation_of_id__in={segment.string_id for segment in segments},
            context_id__in={segment.context_id for segment in segments},
        )
    }
    rows = [
        ReviewRow(
            where=segment.context.path,
            english=segment.string.data,
            translated=done.get((segment.string_id, segment.context_id)),
        )
        for segment in segments
    ]
    english_revision = None
    if status.source_page is not None:
        english_revision = (
            status.source_page.revisions.filter(created_at__lte=status.follows_as_of)
            .order_by("-created_at", "-pk")
            .first()
        )
    return TranslationReview(
        translation=translation, status=status, english_revision=english_revision, rows=rows
    )


def translations_awaiting_review(user):
    """The translated pages whose workflow task `user` may act on now (the dashboard's review list)."""
    page_ids = {
        int(object_id)
        for object_id in TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type__model="page")
        .values_list("workflow_state__object_id", flat=True)
    }
    pages = list(
        Page.objects.filter(pk__in=page_ids)
        .exclude(locale__language_code=settings.LANGUAGE_CODE)
        .select_related("locale")
    )
    if not pages:
        return []
    translated = set(
        Translation.objects.filter(
            enabled=True, source__object_id__in={page.translation_key for page in pages}
        ).values_list("source__object_id", "target_locale_id")
    )
    return [page for page in pages if (page.translation_key, page.locale_id) in translated]
