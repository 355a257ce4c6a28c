"""The schools register import in a partnership: each school to the council covering its LA code."""

from pathlib import Path

import pytest

from campaigns.models import Organisation
from campaigns.organisations.services import import_schools
from cms.models import Authority

SAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "demo" / "fixtures" / "gias-sample.csv"

pytestmark = pytest.mark.django_db


def by_council():
    return {
        code: set(Organisation.objects.filter(authority__code=code).values_list("local_authority", flat=True))
        for code in Authority.objects.values_list("code", flat=True)
    }


def test_each_school_goes_to_the_council_covering_its_code_and_others_stay_out():
    Authority.objects.create(name="Thurrock Council", code="thurrock", la_codes=["883"])
    Authority.objects.create(name="Southend-on-Sea City Council", code="southend", la_codes=["882"])
    result = import_schools(SAMPLE)
    assert by_council() == {"thurrock": {"Thurrock"}, "southend": {"Southend-on-Sea"}}
    assert set(Organisation.objects.values_list("local_authority", flat=True)) == {
        "Thurrock",
        "Southend-on-Sea",
    }
    assert result.outside_area > 0
    assert "Outside the partner councils' areas (not imported)" in "\n".join(result.summary_lines())

    again = import_schools(SAMPLE)
    assert again.changed_nothing
    assert again.created == again.updated == 0


def test_chosen_local_authorities_outside_every_council_are_imported_outside_the_partnership():
    Authority.objects.create(name="Thurrock Council", code="thurrock", la_codes=["883"])
    import_schools(SAMPLE, local_authorities=["Thurrock", "Kent"])
    kent = Organisation.objects.filter(local_authority="Kent")
    assert kent.exists() and not kent.filter(authority__isnull=False).exists()
    assert not Organisation.objects.filter(local_authority="Thurrock", authority__isnull=True).exists()


def test_a_council_given_a_code_later_takes_its_schools_on_the_next_import():
    import_schools(SAMPLE)  # no councils yet: every school, none in a council
    assert not Organisation.objects.filter(authority__isnull=False).exists()
    thurrock = Authority.objects.create(name="Thurrock Council", code="thurrock", la_codes=["883"])
    result = import_schools(SAMPLE, local_authorities=["883", "882"])
    assert result.updated == Organisation.objects.filter(local_authority="Thurrock").count()
    assert set(Organisation.objects.filter(authority=thurrock).values_list("local_authority", flat=True)) == {
        "Thurrock"
    }
    assert import_schools(SAMPLE, local_authorities=["883", "882"]).changed_nothing
