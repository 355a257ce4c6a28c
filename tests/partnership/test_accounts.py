"""The staff accounts screen chooses each person's partner councils: a coordinator any, a council's manager
only their own, leaving the person's other councils as they were."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from campaigns.roles import CAMPAIGN_STAFF
from cms.models import Authority
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return (
        Authority.objects.create(name="Thurrock Council", code="thurrock"),
        Authority.objects.create(name="Southend Council", code="southend"),
    )


@pytest.fixture
def manager(client, councils):
    """Thurrock's own manager of staff accounts."""
    user = member_of(CAMPAIGN_STAFF, "thurrock-manager")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_user", "change_user"]))
    councils[0].members.add(user)
    client.force_login(user)
    return user


def _edit_data(person, councils):
    return {
        "username": person.username,
        "email": person.email,
        "first_name": "Sam",
        "last_name": "Officer",
        "is_active": "on",
        "groups": [str(g.pk) for g in person.groups.all()],
        "councils": [str(c.pk) for c in councils],
    }


def test_a_coordinator_chooses_any_council(client, admin_user, councils):
    thurrock, southend = councils
    person = member_of(CAMPAIGN_STAFF, "officer")
    client.force_login(admin_user)
    page = client.get(reverse("wagtailusers_users:edit", args=[person.pk])).content.decode()
    assert "Thurrock Council" in page and "Southend Council" in page
    response = client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {**_edit_data(person, [southend]), "is_superuser": ""},
    )
    assert response.status_code == 302
    assert list(person.authorities.all()) == [southend]


def test_a_councils_manager_chooses_only_their_own(client, manager, councils):
    thurrock, southend = councils
    person = member_of(CAMPAIGN_STAFF, "officer")
    southend.members.add(person)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    page = client.get(url).content.decode()
    assert "Thurrock Council" in page and "Southend Council" not in page

    refused = client.post(url, _edit_data(person, [southend]))
    assert refused.status_code == 200  # the form again: Southend is not a choice
    assert list(person.authorities.all()) == [southend]

    response = client.post(url, _edit_data(person, [thurrock]))
    assert response.status_code == 302
    # Thurrock added; Southend, which this manager may not give or take away, kept.
    assert set(person.authorities.all()) == {thurrock, southend}


def test_a_new_account_joins_the_managers_council(client, manager, councils):
    thurrock, _ = councils
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newstarter",
            "email": "newstarter@example.org",
            "first_name": "New",
            "last_name": "Starter",
            "password1": "a-long-password-4-tests",
            "password2": "a-long-password-4-tests",
            "is_active": "on",
            "councils": [str(thurrock.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Authority.objects.filter(members__username="newstarter")) == [thurrock]
