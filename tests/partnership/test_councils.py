"""Partner councils: the area each covers, and whose work a member of staff sees."""

import pytest
from django.contrib.auth.models import Permission

from cms.models import Authority, postcode_district, sees_whole_partnership
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("RM17 6SL", "RM17"),
        ("rm176sl", "RM17"),
        ("SS1 2AB", "SS1"),
        (" CM2  0XY ", "CM2"),
        ("RM17", "RM17"),
        ("", ""),
        ("not a postcode!", ""),
        ("12345", ""),
    ],
)
def test_postcode_district_is_the_outward_code(postcode, district):
    assert postcode_district(postcode) == district


def test_a_school_code_finds_the_council_that_covers_it():
    thurrock = Authority.objects.create(name="Thurrock", code="thurrock", la_codes=["883"])
    Authority.objects.create(name="Southend", code="southend", la_codes=["882"])
    assert Authority.objects.covering("883") == thurrock
    assert Authority.objects.covering(" 883 ") == thurrock
    assert Authority.objects.covering("999") is None
    assert Authority.objects.covering("") is None


def test_staff_see_their_own_councils_and_coordinators_see_all(django_user_model):
    thurrock = Authority.objects.create(name="Thurrock", code="thurrock")
    southend = Authority.objects.create(name="Southend", code="southend")
    officer = member_of("Campaign staff", "officer")
    thurrock.members.add(officer)
    assert list(Authority.objects.visible_to(officer)) == [thurrock]
    assert not sees_whole_partnership(officer)

    coordinator = member_of("Campaign staff", "coordinator")
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_partnership"))
    coordinator = django_user_model.objects.get(pk=coordinator.pk)  # fresh permission cache
    assert set(Authority.objects.visible_to(coordinator)) == {thurrock, southend}

    stranger = member_of("Campaign staff", "stranger")
    assert not Authority.objects.visible_to(stranger).exists()


def test_a_council_covers_the_postcodes_of_its_districts():
    council = Authority.objects.create(name="Thurrock", code="thurrock", postcode_districts=["RM16", "rm17"])
    assert council.covers_postcode("RM17 6SL")
    assert not council.covers_postcode("SS1 2AB")
    assert not council.covers_postcode("")
