"""A translation says which English version it follows and is flagged out of date when the English changes."""

import pytest
from django.urls import reverse

from resources.models import ResourcePage
from resources.translations import translation_status
from resources.workflow import MODERATORS_GROUP, REVIEWERS_GROUP
from tests.factories import member_of
from tests.localize.helpers import (
    fill_strings,
    publish_by_code,
    start_translation,
    translated_page,
    translated_tree,
)
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide_in_polish():
    translated_tree("pl")
    english = make_resource("Online friends", slug="online-friends", audiences=("parents-carers",))
    english.save_revision().publish()
    translation = start_translation(english, "pl")
    fill_strings(translation, {"Online friends": "Przyjaciele w sieci"})
    publish_by_code(translation)
    return english, translation


def test_a_translation_follows_a_version_of_the_english_and_goes_out_of_date(guide_in_polish):
    english, translation = guide_in_polish
    polish = translated_page(english, "pl")
    status = translation_status(polish)
    assert status.source_page.pk == english.pk
    assert not status.out_of_date and status.label == "Up to date"
    assert translation_status(english) is None, "the English is not a translation"

    # An unpublished English draft changes nothing a visitor sees: still up to date.
    english = ResourcePage.objects.get(pk=english.pk)
    english.title = "Friends you meet online"
    english.save_revision()
    assert not translation_status(polish).out_of_date

    english.save_revision().publish()
    assert translation_status(polish).out_of_date

    # Syncing brings the new English in: up to date again, following the newer English.
    before = translation_status(polish).follows_as_of
    translation.source.update_from_db()
    assert not translation_status(polish).out_of_date
    assert translation_status(polish).follows_as_of > before


def test_the_translations_report_flags_out_of_date_translations(client, guide_in_polish):
    english, _translation = guide_in_polish
    english = ResourcePage.objects.get(pk=english.pk)
    english.save_revision().publish()
    client.force_login(member_of(MODERATORS_GROUP, "moderator"))
    html = client.get(reverse("resources_translations")).content.decode()
    assert "Przyjaciele w sieci" in html
    assert "Polski" in html  # the language, named in itself
    assert "Online friends" in html, "the English page it follows"
    assert "Out of date: the English has changed" in html
    export = client.get(reverse("resources_translations") + "?export=csv")
    assert export.status_code == 200
    assert "Out of date" in b"".join(export.streaming_content).decode()


def test_a_reviewer_sees_the_english_beside_the_translation(client, guide_in_polish):
    english, _translation = guide_in_polish
    polish = translated_page(english, "pl")
    client.force_login(member_of(REVIEWERS_GROUP, "reviewer"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[polish.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # wagtail-localize's editor: each English string with its translation.
    assert "Online friends" in html and "Przyjaciele w sieci" in html
