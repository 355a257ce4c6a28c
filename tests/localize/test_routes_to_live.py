"""Every other route that could put a translation of a page for children live, tried by a moderator (who
translates and publishes but is not a safeguarding reviewer). The editor's Publish, "Sync translated pages",
code and bulk publish are in test_translation_review.py."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision

from resources.models import ResourcePage
from resources.workflow import MODERATORS_GROUP
from tests.factories import member_of
from tests.localize.helpers import fill_strings, start_translation, translated_page, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return member_of(MODERATORS_GROUP, "moderator")


@pytest.fixture
def polish_library():
    return translated_tree("pl")


def childrens_page_in_polish():
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    translation = start_translation(english, "pl")
    fill_strings(translation, {"Trusted adults": "Zaufani dorośli"})
    translation.save_target(user=None, publish=False)  # a draft, waiting for review
    return english, translated_page(english, "pl")


def test_convert_to_alias_shows_only_the_reviewed_english_live(client, polish_library, moderator):
    english, polish = childrens_page_in_polish()
    # The English has an unreviewed draft too: it must not be what the alias shows.
    draft = ResourcePage.objects.get(pk=english.pk)
    draft.title = "Unreviewed English draft"
    draft.save_revision()

    client.force_login(moderator)
    client.post(reverse("wagtail_localize:convert_to_alias", args=[polish.pk]))
    polish = Page.objects.get(pk=polish.pk)
    assert polish.alias_of_id == english.pk
    client.logout()
    text = client.get("/pl/resources/trusted-adults/").content.decode()
    assert "Trusted adults" in text
    assert "Zaufani" not in text and "Unreviewed English draft" not in text


def test_copying_a_page_for_children_into_another_language_and_publishing_it_is_refused(
    client, polish_library, moderator
):
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:copy", args=[english.pk])
    form = {"new_title": "Zaufani dorośli", "new_slug": "zaufani", "new_parent_page": polish_library.pk}
    client.post(url, {**form, "publish_copies": "on"})
    assert not Page.objects.filter(slug="zaufani", live=True).exists()
    client.post(url, form)  # the same copy as a draft is made: it goes to review like any new page
    assert not Page.objects.get(slug="zaufani").live


def test_a_go_live_date_on_an_unreviewed_translation_does_not_publish_it(
    polish_library, moderator, monkeypatch
):
    _english, polish = childrens_page_in_polish()
    go_live = timezone.now() + datetime.timedelta(hours=1)
    Revision.objects.filter(pk=polish.latest_revision_id).update(approved_go_live_at=go_live)
    with monkeypatch.context() as patch:
        later = timezone.now() + datetime.timedelta(hours=2)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    assert not Page.objects.get(pk=polish.pk).live
    assert Revision.objects.get(pk=polish.latest_revision_id).approved_go_live_at is None


def test_locale_synchronisation_makes_aliases_that_show_only_the_reviewed_english(polish_library):
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    draft = ResourcePage.objects.get(pk=english.pk)
    draft.title = "Unreviewed English draft"
    draft.save_revision()

    romanian = Locale.objects.get(language_code="ro")
    LocaleSynchronization.objects.create(locale=romanian, sync_from=Locale.get_default())
    synced = Page.objects.get(translation_key=english.translation_key, locale=romanian)
    assert synced.alias_of_id == english.pk
    assert synced.title == "Trusted adults", "the live English, never its unreviewed draft"
