"""Settings → Partner councils: administrators and coordinators set each council's area, contacts and staff."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.models import Organisation, OrganisationKind
from cms.models import Authority
from tests.factories import member_of

pytestmark = pytest.mark.django_db

ADD = reverse("partner_councils:add")


def form(**overrides):
    data = {
        "name": "Thurrock Council",
        "code": "thurrock",
        "la_codes": "883",
        "postcode_districts": "RM16, rm17 SS17",
        "front_door_phone": "0113 496 0101",
        "front_door_hours": "Monday to Friday, 9am to 5pm",
        "out_of_hours_phone": "",
        "referral_email": "",
        "lado_phone": "",
        "lado_email": "",
        "team_email": "campaigns@thurrock.example.gov.uk",
        "website": "",
    }
    data.update(overrides)
    return data


def test_an_administrator_adds_a_council_with_its_area_and_members(admin_client):
    officer = member_of("Campaign staff", "officer")
    response = admin_client.post(ADD, form(members=[officer.pk]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    council = Authority.objects.get(code="thurrock")
    assert council.la_codes == ["883"]
    assert council.postcode_districts == ["RM16", "RM17", "SS17"]
    assert list(council.members.all()) == [officer]
    edit = admin_client.get(reverse("partner_councils:edit", args=[council.pk])).content.decode()
    assert "RM16, RM17, SS17" in edit


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("la_codes", "88, 8830", "A local-authority code is three digits"),
        ("la_codes", "Thurrock", "Not a code: Thurrock"),
        ("postcode_districts", "RM17 6SL", "A postcode district is the part of a postcode before the space"),
        ("postcode_districts", "RM", "Not a district: RM"),
    ],
)
def test_wrong_codes_get_a_clear_message_and_change_nothing(admin_client, field, value, message):
    response = admin_client.post(ADD, form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Authority.objects.exists()


def test_a_local_authority_code_belongs_to_one_council(admin_client):
    Authority.objects.create(name="Essex County Council", code="essex", la_codes=["881", "883"])
    response = admin_client.post(ADD, form())
    assert "Already covered by another: 883 (Essex County Council)" in response.content.decode()
    assert Authority.objects.count() == 1


def test_campaign_staff_cannot_change_councils_and_coordinators_can(client, django_user_model):
    officer = member_of("Campaign staff", "officer")
    client.force_login(officer)
    assert client.get(ADD).status_code in (302, 403)

    coordinator = member_of("Campaign staff", "coordinator")
    coordinator.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cms",
            codename__in=["add_authority", "change_authority", "view_authority"],
        )
    )
    client.force_login(django_user_model.objects.get(pk=coordinator.pk))
    assert client.get(ADD).status_code == 200
    assert client.post(ADD, form()).status_code == 302
    assert Authority.objects.filter(code="thurrock").exists()


def test_a_churchs_council_is_chosen_in_its_form(admin_client):
    council = Authority.objects.create(name="Thurrock Council", code="thurrock", la_codes=["883"])
    response = admin_client.get(reverse("campaigns_organisation:add"))
    assert 'name="authority"' in response.content.decode()
    response = admin_client.post(
        reverse("campaigns_organisation:add"),
        {
            "kind": OrganisationKind.FAITH,
            "status": "open",
            "name": "St Clement's Parish Church",
            "postcode": "RM17 6AA",
            "authority": council.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Organisation.objects.get(name="St Clement's Parish Church").authority == council
