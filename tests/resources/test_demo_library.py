"""The demo library: every band and audience populated, reviewer and editor accounts, help contacts filled."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from cms import demo as cms_demo
from cms.models import Authority, SafeguardingSettings
from resources import demo
from resources.models import ResourcePage
from resources.taxonomy import Audience

pytestmark = pytest.mark.django_db


def test_demo_library_covers_every_audience_and_is_idempotent(monkeypatch, client):
    monkeypatch.setenv("DEMO_REVIEWER_PASSWORD", "reviewer-password")
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "editor-password")
    out = StringIO()
    cms_demo.seed(out)
    demo.seed(out)
    count = ResourcePage.objects.count()
    demo.seed(StringIO())
    assert ResourcePage.objects.count() == count

    for slug in Audience.values:
        param = "audience" if slug in ("parents-carers", "faith-community", "professionals") else "age"
        live_public = ResourcePage.objects.live().public().filter(audiences=slug).count()
        assert live_public >= 3, slug
        assert client.get(f"/resources/?{param}={slug}").status_code == 200

    users = get_user_model().objects
    assert users.get(username="reviewer").groups.filter(name="Safeguarding reviewers").exists()
    assert users.get(username="editor").groups.filter(name="Editors").exists()
    assert client.login(username="reviewer", password="reviewer-password")
    contacts = SafeguardingSettings.for_site(Site.objects.get(is_default_site=True))
    assert contacts.nspcc_helpline == "0808 800 5000"
    assert Authority.objects.filter(is_demo=True).exclude(front_door_phone="").exists()
    assert ResourcePage.objects.exclude(view_restrictions=None).exists()


def test_demo_materials_never_show_a_review_date_that_has_passed(client):
    cms_demo.seed(StringIO())
    demo.seed(StringIO())
    today = timezone.localdate()
    # English pages: translations show the same date with the month in their own language.
    pages = ResourcePage.objects.live().public().filter(locale__language_code="en-gb")
    assert pages.filter(review_by__lt=today).exists()  # the review report has something overdue to show

    for page in pages:
        html = client.get(page.url).content.decode()
        shown = re.search(r"next review by (\w+ \d{4})", html)
        if page.review_by < today:
            assert shown is None, page.title
        else:
            assert shown and shown.group(1) == f"{page.review_by:%B %Y}", page.title
