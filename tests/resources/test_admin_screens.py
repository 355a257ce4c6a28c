"""Staff screens render: the resource editor, topics, the help-contacts setting."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from resources.models import ResourcePage
from tests.resources.helpers import library, make_resource

pytestmark = pytest.mark.django_db


def test_resource_editor_offers_the_facets(admin_client):
    page = make_resource(
        "Friends online", audiences=["8-10"], delivery_formats=["classroom"], year_groups=["Y5"]
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    for text in (
        "Who and how",
        "Year 5",
        "Taxi and private hire",
        "Assembly",
        "Facilitator note",
        "Review by",
    ):
        assert text in html
    add = reverse("wagtailadmin_pages:add", args=["resources", "resourcepage", library().pk])
    assert admin_client.get(add).status_code == 200


def test_resource_without_alt_text_for_its_image_is_refused(admin_client):
    from django.core.exceptions import ValidationError

    from tests.resources.helpers import make_image

    page = ResourcePage(title="x", slug="x", summary="x", listing_image=make_image())
    with pytest.raises(ValidationError) as error:
        page.full_clean(exclude=["path", "depth", "url_path"])
    assert "listing_image_alt" in error.value.message_dict


def test_topics_and_help_contacts_are_editable(admin_client):
    assert admin_client.get(reverse("wagtailsnippets_resources_topic:list")).status_code == 200
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["cms", "safeguardingsettings", site.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "0808 800 5000" in response.content.decode()


def test_image_blocks_need_alt_text():
    from wagtail.blocks import StructBlockValidationError

    from resources.blocks import ImageWithAltBlock
    from tests.resources.helpers import make_image

    block = ImageWithAltBlock()
    image = make_image()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert block.clean(block.to_python({"image": image.pk, "alt_text": "Two friends", "caption": ""}))


def test_youtube_embeds_use_the_no_cookie_domain():
    from resources.templatetags.resources_tags import privacy_enhanced_embed

    html = '<iframe src="https://www.youtube.com/embed/abc123" title="Film"></iframe>'
    assert (
        privacy_enhanced_embed(html)
        == '<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Film"></iframe>'
    )
