"""Staff whose role sees personal data must give a code from an authenticator app after their password."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from campaigns.roles import CAMPAIGN_STAFF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]

HOME = "/admin/"


@pytest.fixture
def required():
    with override_settings(STAFF_TWO_FACTOR_REQUIRED=True):
        yield


def staff_member(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(
        username=username, password="pw", email=f"{username}@example.org"
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_campaign_staff_without_an_authenticator_are_sent_to_set_one_up(client, django_user_model):
    client.force_login(staff_member(django_user_model, "officer", CAMPAIGN_STAFF))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cms_two_factor_setup"))
    assert client.get(reverse("campaigns_campaign:index")).status_code == 302


def test_setting_up_confirms_with_a_code_and_then_opens_the_admin(client, django_user_model):
    user = staff_member(django_user_model, "officer", CAMPAIGN_STAFF)
    client.force_login(user)
    page = client.get(reverse("cms_two_factor_setup"))
    assert "<svg" in page.content.decode() and "Key:" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(
        reverse("cms_two_factor_setup"), {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert "does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    # A wrong code makes the next try wait a moment (django-otp's throttling); let that moment pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )

    right = client.post(reverse("cms_two_factor_setup"), {"code": code_for(device), "next": HOME})
    assert right.status_code == 302 and right["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_with_an_authenticator_a_fresh_sign_in_must_give_the_current_code(client, django_user_model):
    user = staff_member(django_user_model, "officer", CAMPAIGN_STAFF)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.post("/admin/login/", {"username": "officer", "password": "pw"})
    response = client.get(HOME)
    assert response["Location"].startswith(reverse("cms_two_factor_verify"))

    refused = client.post(reverse("cms_two_factor_verify"), {"code": "12x456"})
    assert refused.status_code == 200 and client.get(HOME).status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )
    client.post(reverse("cms_two_factor_verify"), {"code": code_for(device), "next": HOME})
    assert client.get(HOME).status_code == 200


def test_the_next_address_never_leads_off_the_site(client, django_user_model):
    user = staff_member(django_user_model, "officer", CAMPAIGN_STAFF)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    response = client.post(
        reverse("cms_two_factor_verify"), {"code": code_for(device), "next": "https://attacker.example/"}
    )
    assert response["Location"] == reverse("wagtailadmin_home")


def test_superusers_need_it_too(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    assert client.get(HOME)["Location"].startswith(reverse("cms_two_factor_setup"))


def test_an_editor_without_an_authenticator_signs_in_when_their_role_does_not_require_it(
    client, django_user_model
):
    client.force_login(staff_member(django_user_model, "editor", "Editors"))
    assert client.get(HOME).status_code == 200


@override_settings(STAFF_TWO_FACTOR_REQUIRED=False)
def test_when_not_required_nobody_is_asked(client, django_user_model):
    client.force_login(staff_member(django_user_model, "officer", CAMPAIGN_STAFF))
    assert client.get(HOME).status_code == 200


def test_production_requires_it_unless_turned_off():
    import subprocess
    import sys

    env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/db",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
        "ANYMAIL_PROVIDER": "postmark",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "t",
        "ANYMAIL_WEBHOOK_SECRET": "user:password",
        "DEFAULT_FROM_EMAIL": "a@example.org",
        "WAGTAILADMIN_BASE_URL": "https://example.org",
        "PATH": "/usr/bin:/bin",
    }
    script = "import django; from django.conf import settings; django.setup(); print(settings.STAFF_TWO_FACTOR_REQUIRED)"
    on = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    off = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "STAFF_TWO_FACTOR_REQUIRED": "0"},
        capture_output=True,
        text=True,
    )
    assert on.stdout.strip() == "True" and off.stdout.strip() == "False"
