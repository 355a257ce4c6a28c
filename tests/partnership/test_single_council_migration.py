"""Moving a single-council install into one council: its schools, campaigns, events and staff join it."""

import importlib

import pytest
from django.apps import apps

from campaigns.models import Campaign, Organisation
from cms.models import Authority
from events.models import EventPage
from tests.factories import CampaignFactory, EventPageFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

migration = importlib.import_module("campaigns.migrations.0014_partner_councils")


def test_an_install_with_work_and_one_council_gives_it_everything():
    council = Authority.objects.create(name="Thurrock Council", code="thurrock")
    OrganisationFactory.create_batch(3)
    CampaignFactory()
    EventPageFactory()
    officer = member_of("Campaign staff", "officer")

    migration.everything_to_the_one_council(apps, None)

    assert not Organisation.objects.filter(authority__isnull=True).exists()
    assert not Campaign.objects.filter(authority__isnull=True).exists()
    assert not EventPage.objects.filter(authority__isnull=True).exists()
    assert officer in council.members.all()


def test_an_install_with_work_and_no_council_gets_one_to_rename():
    OrganisationFactory()
    migration.everything_to_the_one_council(apps, None)
    council = Authority.objects.get()
    assert council.name == "Our council"
    assert Organisation.objects.get().authority == council


def test_a_partnership_is_left_as_it_is():
    Authority.objects.create(name="Thurrock Council", code="thurrock")
    Authority.objects.create(name="Southend-on-Sea City Council", code="southend")
    OrganisationFactory()
    migration.everything_to_the_one_council(apps, None)
    assert Organisation.objects.get().authority is None
