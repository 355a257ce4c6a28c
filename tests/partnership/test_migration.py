"""An install that served one council before partnership mode keeps all its work, in that one council."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("cms", "0003_safeguardingsettings"),
    ("events", "0004_session_constraint_messages"),
    ("campaigns", "0013_unsubscribe_links"),
]
AFTER = [
    ("cms", "0004_partner_councils"),
    ("events", "0005_event_run_by"),
    ("campaigns", "0014_partner_councils"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_help_contacts_council_takes_every_organisation_campaign_and_account(old_apps):
    Site = old_apps.get_model("wagtailcore", "Site")
    Settings = old_apps.get_model("cms", "SafeguardingSettings")
    Organisation = old_apps.get_model("campaigns", "Organisation")
    Campaign = old_apps.get_model("campaigns", "Campaign")
    User = old_apps.get_model("auth", "User")
    site = Site.objects.get(is_default_site=True)
    Settings.objects.update_or_create(
        site=site,
        defaults={
            "local_authority_name": "Thurrock Council",
            "mash_phone": "01375 652802",
            "out_of_hours_phone": "01375 372468",
        },
    )
    school = Organisation.objects.create(name="Grays Primary", kind="school", local_authority_code="883")
    campaign = Campaign.objects.create(
        name="Walk Online 2026",
        slug="wo26",
        code="WO26",
        audience="8-10",
        starts_on="2026-01-05",
        ends_on="2026-07-20",
    )
    officer = User.objects.create(username="officer", is_staff=True)

    new_apps = _migrate(AFTER)

    Authority = new_apps.get_model("cms", "Authority")
    council = Authority.objects.get()
    assert (council.name, council.front_door_phone, council.out_of_hours_phone) == (
        "Thurrock Council",
        "01375 652802",
        "01375 372468",
    )
    assert (
        new_apps.get_model("campaigns", "Organisation").objects.get(pk=school.pk).authority_id == council.pk
    )
    assert new_apps.get_model("campaigns", "Campaign").objects.get(pk=campaign.pk).authority_id == council.pk
    assert list(council.members.values_list("pk", flat=True)) == [officer.pk]


def test_work_without_named_contacts_goes_to_a_council_to_be_named(old_apps):
    Organisation = old_apps.get_model("campaigns", "Organisation")
    church = Organisation.objects.create(name="St Mary's", kind="church")

    new_apps = _migrate(AFTER)

    council = new_apps.get_model("cms", "Authority").objects.get()
    assert council.name == "Our council"
    assert (
        new_apps.get_model("campaigns", "Organisation").objects.get(pk=church.pk).authority_id == council.pk
    )


def test_a_new_install_has_no_council_until_one_is_set_up(old_apps):
    new_apps = _migrate(AFTER)
    assert not new_apps.get_model("cms", "Authority").objects.exists()
