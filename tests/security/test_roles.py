"""Each staff role reaches what it needs and nothing more: admin screens, exports, registers, reach, API."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from campaigns.roles import CAMPAIGN_STAFF, LICENSING_OFFICERS, PARTNER_ANALYSTS, REGISTER_TAKERS
from tests.factories import CampaignFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/admin/campaigns/organisations/"
ORGANISATIONS_EXPORT = "/admin/campaigns/organisations/?export=csv"
BOOKINGS = "/admin/bookings/"
BOOKINGS_EXPORT = "/admin/bookings/?export=xlsx"
EMAILS = "/admin/campaigns/emails/"
REGISTER = "/admin/register/"
REACH = "/admin/reach/"
NEVER_REACHED = "/admin/reach/never-reached/"
PAGES = "/admin/pages/"
SESSIONS = "/admin/events/sessions/"
LICENCE_CHECK = "/admin/training/licence-check/"


def signed_in(django_user_model, *groups):
    user = django_user_model.objects.create_user(username="-".join(groups) or "nobody", password="password")
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    client = Client()
    client.force_login(user)
    return client


def allowed(response):
    return response.status_code == 200


def refused(response):
    # Wagtail answers a missing permission with a redirect to the dashboard and a message, or 403.
    return response.status_code in (302, 403)


@pytest.fixture
def data():
    session = SessionFactory()
    CampaignFactory().events.add(session.event)
    OrganisationFactory()
    return session


def test_roles_exist_after_migrate_with_admin_access():
    for name in (CAMPAIGN_STAFF, REGISTER_TAKERS, PARTNER_ANALYSTS, LICENSING_OFFICERS):
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()


def test_campaign_staff_run_campaigns(django_user_model, data):
    client = signed_in(django_user_model, CAMPAIGN_STAFF)
    for url in (ORGANISATIONS, ORGANISATIONS_EXPORT, BOOKINGS, BOOKINGS_EXPORT, EMAILS, SESSIONS, REACH):
        assert allowed(client.get(url)), url
    assert allowed(client.get(f"{REGISTER}{data.pk}/"))


def test_register_takers_take_registers_and_see_no_personal_data_lists(django_user_model, data):
    client = signed_in(django_user_model, REGISTER_TAKERS)
    assert allowed(client.get(f"{REGISTER}{data.pk}/"))
    for url in (ORGANISATIONS, ORGANISATIONS_EXPORT, BOOKINGS, BOOKINGS_EXPORT, EMAILS, NEVER_REACHED):
        assert refused(client.get(url)), url


def test_partner_analysts_read_reach_only(django_user_model, data):
    client = signed_in(django_user_model, PARTNER_ANALYSTS)
    assert allowed(client.get(REACH))
    assert allowed(client.get(NEVER_REACHED))
    for url in (ORGANISATIONS, ORGANISATIONS_EXPORT, BOOKINGS, BOOKINGS_EXPORT, EMAILS, SESSIONS):
        assert refused(client.get(url)), url
    assert refused(client.get(f"{REGISTER}{data.pk}/"))


def test_licensing_officers_check_licences_only(django_user_model, data):
    client = signed_in(django_user_model, LICENSING_OFFICERS)
    assert allowed(client.get(LICENCE_CHECK))
    for url in (ORGANISATIONS, BOOKINGS, BOOKINGS_EXPORT, EMAILS, SESSIONS, REACH, f"{REGISTER}{data.pk}/"):
        assert refused(client.get(url)), url
    for group in (PARTNER_ANALYSTS, REGISTER_TAKERS):
        assert refused(signed_in(django_user_model, group).get(LICENCE_CHECK))


def test_editors_edit_pages_but_not_campaigns(django_user_model, data):
    client = signed_in(django_user_model, "Editors")
    assert allowed(client.get(PAGES))
    for url in (ORGANISATIONS, BOOKINGS, BOOKINGS_EXPORT, REACH, f"{REGISTER}{data.pk}/"):
        assert refused(client.get(url)), url


def test_staff_without_a_role_reach_nothing(django_user_model, data):
    client = signed_in(django_user_model)
    for url in (ORGANISATIONS, BOOKINGS, REACH, f"{REGISTER}{data.pk}/"):
        assert refused(client.get(url)), url


def test_the_partner_api_needs_a_token(client):
    assert client.get("/api/v1/campaigns").status_code == 401
    assert client.get("/api/v1/campaigns", HTTP_AUTHORIZATION="Bearer not-a-real-token").status_code == 401
