"""Fixtures for registers, reach and the partner API: staff with exactly the permissions they need."""

import pytest
from django.contrib.auth.models import Permission


def _user_with(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(
        username=username, password="password", email=f"{username}@example.org"
    )
    perms = [Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")]
    for dotted in codenames:
        app_label, codename = dotted.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.user_permissions.add(*perms)
    return user


@pytest.fixture
def register_taker(django_user_model):
    return _user_with(django_user_model, "register-taker", "campaigns.take_register")


@pytest.fixture
def training_manager(django_user_model):
    """Takes registers and issues the certificates of those who came to training."""
    return _user_with(
        django_user_model, "training-manager", "campaigns.take_register", "campaigns.add_trainingrecord"
    )


@pytest.fixture
def analyst(django_user_model):
    return _user_with(django_user_model, "analyst", "campaigns.view_reach")


@pytest.fixture
def plain_staff(django_user_model):
    return _user_with(django_user_model, "plain-staff")
