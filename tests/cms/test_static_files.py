"""Static files in the demo configuration are fingerprinted, compressed (gzip and Brotli) and cached for a
year, as in production; a file not collected yet still loads instead of breaking the page."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings

from cms.settings import dev

pytestmark = pytest.mark.django_db

# The product's own files are enough to show how they are served; the admin's thousands would only add time.
NOT_OURS = ["wagtail*", "admin", "rest_framework", "ninja", "otp*", "modelsearch", "django_*"]


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STORAGES=dev.STORAGES, STATIC_ROOT=str(root), WHITENOISE_USE_FINDERS=True):
        call_command("collectstatic", "--noinput", *(f"--ignore={p}" for p in NOT_OURS), verbosity=0)
        yield root


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_sites_stylesheet_is_served_compressed_and_cached_for_a_year(collected, encoding):
    url = staticfiles_storage.url("css/booking.css")
    assert url != "/static/css/booking.css"  # fingerprinted

    response = Client().get(url, HTTP_ACCEPT_ENCODING=f"{encoding}, identity")

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]


def test_before_the_first_collectstatic_pages_still_load_with_plain_names(tmp_path):
    with override_settings(STORAGES=dev.STORAGES, STATIC_ROOT=str(tmp_path), WHITENOISE_USE_FINDERS=True):
        assert staticfiles_storage.url("css/booking.css") == "/static/css/booking.css"
        client = Client()
        assert client.get("/").status_code == 200
        assert client.get("/static/css/booking.css").status_code == 200
