"""Staff sign-in cannot be guessed at, and password resets are throttled and go through the email pipeline."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from campaigns.models import OutboundMessage

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_superuser(
        username="officer", email="officer@council.example.gov.uk", password="right-password"
    )


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(client, officer):
    for _ in range(5):
        assert sign_in(client, "officer", "guess").status_code == 200
    response = sign_in(client, "officer", "right-password")
    assert "Too many attempts to sign in" in response.content.decode()
    assert not signed_in(client)


def test_the_lock_is_per_account_from_any_address_and_says_nothing_about_whether_it_exists(client, officer):
    for number in range(5):
        sign_in(client, "officer", "guess", address=f"198.51.100.{number}")
    assert "Too many attempts" in sign_in(client, "officer", "right-password", "192.0.2.1").content.decode()
    for _ in range(5):
        sign_in(client, "nobody-by-this-name", "guess", address="192.0.2.2")
    assert "Too many attempts" in sign_in(client, "nobody-by-this-name", "x", "192.0.2.3").content.decode()


def test_another_account_is_not_locked_out_by_someone_guessing_at_one(client, officer, django_user_model):
    django_user_model.objects.create_superuser(username="colleague", email="c@example.org", password="pw-2")
    for _ in range(5):
        sign_in(client, "officer", "guess", address="203.0.113.9")
    sign_in(client, "colleague", "pw-2", address="198.51.100.20")
    assert signed_in(client)


@override_settings(SIGN_IN_MAX_FAILURES_PER_ADDRESS=8)
def test_one_address_guessing_at_many_accounts_is_stopped(client, officer):
    for number in range(8):
        sign_in(client, f"user{number}", "guess")
    response = sign_in(client, "officer", "right-password")
    assert "Too many attempts" in response.content.decode()
    assert not signed_in(client)


def test_a_right_password_clears_the_count_for_the_account(client, officer):
    for _ in range(4):
        sign_in(client, "officer", "guess")
    sign_in(client, "officer", "right-password")
    assert signed_in(client)
    client.logout()
    for _ in range(4):
        sign_in(client, "officer", "guess")
    sign_in(client, "officer", "right-password")
    assert signed_in(client)


def reset(client, email, address="203.0.113.7"):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_password_reset_email_goes_through_the_pipeline(client, officer, mailoutbox):
    response = reset(client, officer.email)
    assert response.status_code == 302
    message = OutboundMessage.objects.get(template="password_reset")
    assert message.to_email == officer.email
    assert "/admin/password_reset/confirm/" in message.context["reset_url"]


def test_password_resets_are_limited_per_account_and_per_address(client, officer):
    for number in range(6):
        reset(client, officer.email, address=f"198.51.100.{number}")
    assert OutboundMessage.objects.filter(template="password_reset").count() == 3


def test_password_resets_from_one_address_are_limited_whatever_the_accounts(client, django_user_model):
    for number in range(12):
        django_user_model.objects.create_superuser(
            username=f"u{number}", email=f"u{number}@example.org", password="x"
        )
    for number in range(12):
        assert reset(client, f"u{number}@example.org", address="192.0.2.50").status_code == 302
    assert OutboundMessage.objects.filter(template="password_reset").count() == 10


@override_settings(SIGN_IN_MAX_FAILURES_PER_ADDRESS=3)
def test_right_passwords_from_one_office_never_use_up_its_address_limit(client, officer):
    for _ in range(6):
        sign_in(client, "officer", "right-password", address="203.0.113.50")
        assert signed_in(client)
        client.logout()
