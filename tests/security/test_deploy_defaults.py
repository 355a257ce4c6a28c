"""Deployment defaults that must not let strangers in: the email provider's tracking webhook (only the
configured provider's, only with its secret), rate limits behind the TLS proxy (one per client, not one
for everyone), and the embedded default's secret key."""

import base64
import json
import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.mail.services import queue_email
from campaigns.models import (
    Booking,
    DeliveryState,
    EmailEvent,
    InvitationState,
    MessageKind,
    MessageState,
    OutboundMessage,
    SuppressedAddress,
)
from cms.checks import base_url_check, webhook_secret_check
from cms.settings.base import secret_key_in
from cms.webhooks import tracking_webhook_urls
from tests.campaigns.factories_bookings import campaign_with_session, invitation_for
from tests.campaigns.test_booking_pages import book_url, form_data
from tests.cms.test_foundation import PRODUCTION_ENV, ROOT, run_manage
from tests.factories import InvitationFactory

PROXY = "10.0.0.2"  # the TLS proxy in front of the web processes: every request connects from here

WEBHOOK = "/anymail/postmark/tracking/"

RESOLVE = """
import json
from django.urls import Resolver404, resolve
mounted = {}
for path in ("/anymail/postmark/tracking/", "/anymail/mailgun/tracking/", "/anymail/postmark/inbound/"):
    try:
        mounted[path] = resolve(path).namespace == "anymail"
    except Resolver404:
        mounted[path] = False
print(json.dumps(mounted))
"""


def mounted_webhooks(env):
    result = run_manage(["shell", "-c", RESOLVE], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def invitation_message():
    invitation = InvitationFactory(state=InvitationState.SENT, sent_at=timezone.now())
    message = queue_email(
        to=invitation.contact.email,
        subject="You are invited",
        template="notice",
        context={"message": "Hello"},
        kind=MessageKind.CAMPAIGN,
        campaign=invitation.campaign,
        related=invitation,
        dedupe_key=f"invitation:{invitation.pk}",
    )
    OutboundMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENT, provider_message_id="pm-0001", sent_at=timezone.now()
    )
    message.refresh_from_db()
    return invitation, message


def tracking_events(message):
    """A bounce (which would suppress the school's address) and a click (which would mark it clicked)."""
    return [
        {
            "RecordType": "Bounce",
            "ID": 1,
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": message.provider_message_id,
            "Email": message.to_email,
            "BouncedAt": "2027-01-10T09:01:00Z",
            "Metadata": {"message_id": str(message.pk)},
        },
        {
            "RecordType": "Click",
            "MessageID": message.provider_message_id,
            "Recipient": message.to_email,
            "ReceivedAt": "2027-01-10T09:02:00Z",
            "OriginalLink": "https://example.org/",
            "Metadata": {"message_id": str(message.pk)},
        },
    ]


def assert_nothing_changed(invitation, message):
    assert EmailEvent.objects.count() == 0
    assert not SuppressedAddress.objects.exists()
    message.refresh_from_db()
    invitation.refresh_from_db()
    assert message.delivery == DeliveryState.UNKNOWN
    assert invitation.state == InvitationState.SENT


# The tracking webhook


@pytest.mark.django_db
def test_a_forged_webhook_post_without_credentials_is_refused_and_changes_nothing(client, invitation_message):
    invitation, message = invitation_message

    for payload in tracking_events(message):
        response = client.post(WEBHOOK, data=json.dumps(payload), content_type="application/json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Basic")

    assert_nothing_changed(invitation, message)


@pytest.mark.django_db
def test_the_provider_with_the_secret_still_gets_through(invitation_message):
    invitation, message = invitation_message
    provider = Client(enforce_csrf_checks=True)  # it has no CSRF token, only the credentials
    credentials = "Basic " + base64.b64encode(b"test-webhook-user:test-webhook-password").decode()

    response = provider.post(
        WEBHOOK,
        data=json.dumps(tracking_events(message)[1]),
        content_type="application/json",
        HTTP_AUTHORIZATION=credentials,
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.delivery == DeliveryState.CLICKED


@pytest.mark.django_db
def test_without_a_webhook_secret_the_webhook_refuses_every_call(client, invitation_message, settings):
    settings.ANYMAIL = {}
    invitation, message = invitation_message

    for payload in tracking_events(message):
        response = client.post(WEBHOOK, data=json.dumps(payload), content_type="application/json")
        assert response.status_code == 403

    assert_nothing_changed(invitation, message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/anymail/mailgun/tracking/",
        "/anymail/sendgrid/tracking/",
        "/anymail/amazon_ses/tracking/",
        "/anymail/mandrill/",
        "/anymail/postmark/inbound/",
    ],
)
def test_only_the_configured_providers_tracking_webhook_is_served(client, path):
    # The test settings name Postmark; every other provider's webhook, and every inbound one, is not there.
    response = client.post(path, data="{}", content_type="application/json")

    assert response.status_code == 404


def test_no_provider_means_no_webhook_and_each_provider_gets_only_its_own():
    assert tracking_webhook_urls("") == []
    assert tracking_webhook_urls("mandrill") == []
    assert [str(pattern.pattern) for pattern in tracking_webhook_urls("mailgun")] == ["mailgun/tracking/"]


def test_the_embedded_default_serves_no_webhook():
    env = {"DJANGO_SETTINGS_MODULE": "cms.settings.dev", "SECRET_KEY": "a-key-so-no-file-is-written"}
    assert mounted_webhooks(env) == {
        "/anymail/postmark/tracking/": False,
        "/anymail/mailgun/tracking/": False,
        "/anymail/postmark/inbound/": False,
    }


def test_production_serves_the_configured_providers_webhook_only():
    assert mounted_webhooks({**PRODUCTION_ENV, "ANYMAIL_PROVIDER": "mailgun"}) == {
        "/anymail/postmark/tracking/": False,
        "/anymail/mailgun/tracking/": True,
        "/anymail/postmark/inbound/": False,
    }


def test_production_will_not_start_without_the_webhook_secret():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ANYMAIL_WEBHOOK_SECRET"}

    result = run_manage(["check"], env)

    assert result.returncode != 0
    assert "ANYMAIL_WEBHOOK_SECRET" in result.stderr


def test_check_deploy_reports_a_missing_webhook_secret_as_an_error(settings):
    settings.ANYMAIL = {}

    with pytest.raises(SystemCheckError, match="ANYMAIL_WEBHOOK_SECRET"):
        call_command("check", deploy=True)
    # Not a development nuisance: only `check --deploy` reports it.
    call_command("check")


def test_the_webhook_secret_check(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "hook-user:hook-password"}
    assert webhook_secret_check() == []

    settings.ANYMAIL = {"WEBHOOK_SECRET": "no-colon-so-no-password"}
    assert [error.id for error in webhook_secret_check()] == ["cms.E002"]

    settings.ANYMAIL = {}
    assert [error.id for error in webhook_secret_check()] == ["cms.E001"]

    settings.ANYMAIL_PROVIDER = ""  # the embedded default mounts no webhook, so needs no secret
    assert webhook_secret_check() == []


def test_check_deploy_wants_https_links_in_emails(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://safe-together.example.gov.uk"
    assert [error.id for error in base_url_check()] == ["cms.E003"]
    settings.WAGTAILADMIN_BASE_URL = ""
    assert [error.id for error in base_url_check()] == ["cms.E003"]
    settings.WAGTAILADMIN_BASE_URL = "https://safe-together.example.gov.uk"
    assert base_url_check() == []


# Rate limits behind the TLS proxy


def behind_the_proxy(address):
    """A browser at `address`, reaching the site through the proxy (which appends what it saw)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


@pytest.mark.django_db
def test_junk_posts_from_one_client_do_not_block_another_schools_booking(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    campaign, session = campaign_with_session(capacity=90)
    url = book_url(invitation_for(campaign), session)
    flooder = behind_the_proxy("198.51.100.66")

    junk = [flooder.post(url, form_data(pupils="x")).status_code for _ in range(21)]
    real = behind_the_proxy("198.51.100.7").post(url, form_data())

    assert junk[-1] == 429
    assert real.status_code == 302
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_one_client_guessing_certificate_codes_does_not_block_licensing_officers(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    url = reverse("campaigns:verify_certificate")
    guesser = behind_the_proxy("198.51.100.66")

    guesses = [guesser.get(url, {"code": "ABCD-EFGH-JKLM"}).status_code for _ in range(21)]
    officer = behind_the_proxy("198.51.100.7").get(url, {"code": "ABCD-EFGH-JKLM"})
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.66")

    assert guesses[-1] == 429
    assert officer.status_code == 200
    assert forged.get(url, {"code": "ABCD-EFGH-JKLM"}).status_code == 429


PROXY_SETTINGS = """
import json
from django.conf import settings
print(json.dumps([settings.SECURE_PROXY_SSL_HEADER, settings.USE_X_FORWARDED_HOST]))
"""


@pytest.mark.parametrize(
    ("hops", "ssl_header"),
    [(None, None), ("0", None), ("1", ["HTTP_X_FORWARDED_PROTO", "https"])],
)
def test_production_trusts_forwarded_headers_only_behind_a_declared_proxy(hops, ssl_header):
    env = dict(PRODUCTION_ENV)
    if hops is not None:
        env["TRUSTED_PROXY_HOPS"] = hops

    result = run_manage(["shell", "-c", PROXY_SETTINGS], env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [ssl_header, False]


def test_production_names_a_bad_proxy_count():
    result = run_manage(["check"], {**PRODUCTION_ENV, "TRUSTED_PROXY_HOPS": "one"})

    assert result.returncode != 0
    assert "TRUSTED_PROXY_HOPS" in result.stderr


# The embedded default's secret key

DEV_SECRET_KEY = """
import sys
from pathlib import Path
import cms.settings.base as base
base.VAR_DIR = Path(sys.argv[1])  # a var/ of the test's own, not the checkout's
import cms.settings.dev as dev
print(dev.SECRET_KEY)
"""


def dev_secret_key(var_dir, **env):
    """SECRET_KEY as the dev settings (`make run`) make it, with `var_dir` as their var/ folder."""
    clean = {
        k: v for k, v in os.environ.items() if k != "SECRET_KEY" and not k.startswith(("DATABASE_", "TEST_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", DEV_SECRET_KEY, str(var_dir)],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_fresh_demo_makes_its_own_secret_key_and_keeps_it(tmp_path):
    first = dev_secret_key(tmp_path / "one" / "var")
    kept = tmp_path / "one" / "var" / "secret_key"

    assert first != "dev-only-insecure-key-change-me" and len(first) >= 50
    assert kept.read_text().strip() == first
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert dev_secret_key(tmp_path / "one" / "var") == first  # the next start reuses it
    assert dev_secret_key(tmp_path / "two" / "var") != first  # another installation has another


def test_a_secret_key_from_the_environment_wins_over_the_file(tmp_path):
    assert dev_secret_key(tmp_path, SECRET_KEY="from-the-environment") == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_the_key_file_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "secret_key"

    key = secret_key_in(path)

    assert secret_key_in(path) == key
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no draft left behind
    path.chmod(0o644)
    assert secret_key_in(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_empty_key_file_is_named_not_used(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")

    with pytest.raises(ImproperlyConfigured, match="secret_key is empty"):
        secret_key_in(path)


def test_the_tests_sign_with_their_own_fixed_key(settings):
    assert settings.SECRET_KEY.startswith("test-only-secret-key")
