"""The demo library: every band and audience populated, reviewer and editor accounts, help contacts filled."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from cms import demo as cms_demo
from cms.models import SafeguardingSettings
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
    assert contacts.mash_phone and contacts.nspcc_helpline == "0808 800 5000"
    assert ResourcePage.objects.exclude(view_restrictions=None).exists()
