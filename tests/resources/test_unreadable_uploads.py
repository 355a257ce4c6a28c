"""An image that is truncated, not an image, empty or a decompression bomb is refused with a message on every
admin route that takes one (add, add multiple, replacing the file, the chooser's upload), and nothing is saved.
An empty document is refused the same way."""

import io
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.resources.helpers import ensure_site, make_image

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()


def _image_bytes(fmt):
    buffer = io.BytesIO()
    # Noise, so the compressed data is long enough to cut in half.
    PILImage.effect_noise((200, 200), 64).convert("RGB").save(buffer, format=fmt)
    return buffer.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb():
    """A PNG of 30,000 × 30,000 one-bit pixels (900 megapixels) that is a few kilobytes long."""
    width = height = 30_000
    row = b"\x00" + b"\x00" * (width // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row * 1000) for _ in range(height // 1000)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


BAD_IMAGES = {
    "truncated jpeg": ("photo.jpg", lambda: _image_bytes("JPEG")[: len(_image_bytes("JPEG")) // 2]),
    "truncated png": ("photo.png", lambda: _image_bytes("PNG")[: len(_image_bytes("PNG")) // 2]),
    "not an image": ("photo.png", lambda: b"This is a letter to parents, not a picture.\n" * 20),
    "empty": ("photo.jpg", lambda: b""),
    "decompression bomb": ("photo.png", _bomb),
}


def bad_file(kind):
    name, make = BAD_IMAGES[kind]
    return SimpleUploadedFile(name, make(), content_type="image/png")


@pytest.fixture
def site():
    ensure_site()


def assert_nothing_saved(before):
    assert Image.objects.count() == before


@pytest.mark.parametrize("kind", BAD_IMAGES)
def test_adding_an_unreadable_image_is_refused_with_a_message(admin_client, site, kind):
    response = admin_client.post(reverse("wagtailimages:add"), {"title": "Poster", "file": bad_file(kind)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    if kind.startswith("truncated"):
        assert "This image cannot be read" in response.content.decode()
    assert_nothing_saved(0)


@pytest.mark.parametrize("kind", BAD_IMAGES)
def test_adding_an_unreadable_image_among_several_is_refused_with_a_message(admin_client, site, kind):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": bad_file(kind)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )

    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert answer["error_message"]
    assert_nothing_saved(0)


@pytest.mark.parametrize("kind", BAD_IMAGES)
def test_replacing_an_image_with_an_unreadable_file_is_refused_and_keeps_the_old_one(
    admin_client, site, kind
):
    image = make_image("Poster")
    original = image.file.name

    response = admin_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Poster", "file": bad_file(kind), "tags": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    image.refresh_from_db()
    assert image.file.name == original
    assert image.title == "Poster"


@pytest.mark.parametrize("kind", BAD_IMAGES)
def test_uploading_an_unreadable_image_in_the_chooser_is_refused_with_a_message(admin_client, site, kind):
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {"image-chooser-upload-title": "Poster", "image-chooser-upload-file": bad_file(kind)},
    )

    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["step"] == "reshow_creation_form"
    assert "error" in answer["htmlFragment"]
    assert_nothing_saved(0)


def test_a_good_image_is_still_accepted(admin_client, site):
    upload = SimpleUploadedFile("photo.jpg", _image_bytes("JPEG"), content_type="image/jpeg")

    response = admin_client.post(reverse("wagtailimages:add"), {"title": "Poster", "file": upload})

    assert response.status_code == 302
    assert Image.objects.count() == 1


def test_an_empty_document_is_refused_with_a_message(admin_client, site):
    upload = SimpleUploadedFile("guide.pdf", b"", content_type="application/pdf")

    response = admin_client.post(reverse("wagtaildocs:add"), {"title": "Guide", "file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Document.objects.count() == 0


def test_an_empty_document_among_several_is_refused_with_a_message(admin_client, site):
    upload = SimpleUploadedFile("guide.pdf", b"", content_type="application/pdf")

    response = admin_client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )

    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["success"] is False
    assert answer["error_message"]
    assert Document.objects.count() == 0
