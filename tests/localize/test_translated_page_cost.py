"""A translated page costs what its English page costs: the same SQL queries when rendered afresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.localize.helpers import fill_strings, publish_by_code, start_translation, translated_tree
from tests.resources.helpers import make_resource

pytestmark = pytest.mark.django_db


def queries_for(client, path, miss):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}?miss={miss}")  # an otherwise ignored parameter: never from the cache
    assert response.status_code == 200, path
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    ("english_path", "polish_path"),
    [("/resources/trusted-adults/", "/pl/resources/trusted-adults/"), ("/resources/", "/pl/resources/")],
)
def test_a_translated_page_makes_as_many_queries_as_the_english(client, english_path, polish_path):
    translated_tree("pl")
    english = make_resource("Trusted adults", slug="trusted-adults", audiences=("8-10",))
    english.save_revision().publish()
    untranslated = make_resource("Online gaming", slug="online-gaming", audiences=("11-13",))
    untranslated.save_revision().publish()  # listed in Polish in English, with a note
    translation = start_translation(english, "pl")
    fill_strings(translation, {"Trusted adults": "Zaufani dorośli"})
    publish_by_code(translation)

    for path in (english_path, polish_path):  # once each first: what any page does once a process
        queries_for(client, path, 0)
    english_count, english_html = queries_for(client, english_path, 1)
    polish_count, polish_html = queries_for(client, polish_path, 1)
    assert "Zaufani dorośli" in polish_html and "Zaufani dorośli" not in english_html
    assert polish_count == english_count
