"""The partner API: Bearer tokens issued in the admin, aggregate figures only, clear errors."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns.models import PartnerToken
from campaigns.partner_api import services as partner_tokens
from tests.campaigns.reach_fixture import build
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def token():
    _, raw = partner_tokens.issue_token("Safeguarding partnership analysts")
    return raw


def get(client, path, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1{path}", params, **headers)


def test_missing_or_wrong_token_gets_401(client, token):
    assert get(client, "/campaigns").status_code == 401
    assert get(client, "/campaigns", token="st_not-a-real-token").status_code == 401


def test_revoked_token_gets_401(client, token):
    partner_tokens.revoke_token(PartnerToken.objects.get())

    assert get(client, "/campaigns", token=token).status_code == 401


def test_only_a_hash_of_the_token_is_stored(token):
    stored = PartnerToken.objects.get()

    assert token not in (stored.token_hash, stored.prefix)
    assert stored.token_hash == partner_tokens.hash_token(token)


def test_reach_matches_the_hand_computed_figures(client, token):
    data = build()

    response = get(client, "/reach", token=token, campaign=data.wo27.pk)
    body = response.json()

    assert response.status_code == 200
    assert [(s["key"], s["value"]) for s in body["funnel"]["steps"]] == [
        ("eligible", 4),
        ("invited", 4),
        ("opened", 3),
        ("booked", 3),
        ("reached", 2),
    ]
    assert body["funnel"]["organisations_reached"] == 3
    assert body["funnel"]["invited_not_eligible"] == 1
    assert body["people"]["attendance_rate"] == 64.0
    assert body["breakdown_totals"]["ward"]["attended_pupils"] == 63
    assert body["outside_campaigns"] is None
    assert body["people"]["attended"]["pupils"] == 63
    assert body["people"]["booked"]["pupils"] == 75
    assert body["never_reached_count"] == {"series": 1, "ever": 1}
    assert [r["attended_pupils"] for r in body["year_on_year"]] == [40, 63]
    assert PartnerToken.objects.get().last_used_at is not None


def test_reach_keeps_the_names_partners_already_read(client, token):
    data = build()

    body = get(client, "/reach", token=token, campaign=data.wo27.pk).json()

    # Names from before the funnel was made a funnel: each still there, meaning its new figure.
    assert body["funnel"]["attended"] == body["funnel"]["reached"] == 2
    assert body["funnel"]["eligible_reached"] == 3
    assert body["funnel"]["coverage_rate"] == 75.0
    assert {"attended", "eligible", "invited", "booked"} <= set(body["breakdowns"]["ward"][0])


def test_reach_contains_no_personal_data(client, token):
    data = build()

    text = get(client, "/reach", token=token, campaign=data.wo27.pk).content.decode()

    assert "@" not in text
    assert "Class teacher" not in text
    assert "A Primary" not in text


def test_sessions_give_places_but_no_bookings(client, token):
    session = SessionFactory(capacity=90, places_taken=60)

    rows = get(client, "/sessions", token=token).json()

    assert rows == [
        {
            "id": session.pk,
            "event": session.event.title,
            "starts_at": rows[0]["starts_at"],
            "ends_at": rows[0]["ends_at"],
            "venue": session.venue.name,
            "status": "scheduled",
            "capacity": 90,
            "taken": 60,
            "left": 30,
        }
    ]


@pytest.mark.parametrize(
    "params, reason",
    [
        ({"date_from": "2027-13-01"}, "date"),
        ({"date_from": "2027-05-01", "date_to": "2027-04-01"}, "date_from must be on or before date_to"),
        ({"kind": "spaceship"}, "kind"),
        ({"campaign": "abc"}, "campaign"),
    ],
)
def test_bad_parameters_get_422_with_the_reason(client, token, params, reason):
    response = get(client, "/reach", token=token, **params)

    assert response.status_code == 422
    assert reason in json.dumps(response.json())


def test_unknown_campaign_is_404(client, token):
    assert get(client, "/reach", token=token, campaign=999999).status_code == 404


def test_openapi_schema_is_public_and_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/campaigns", "/api/v1/sessions", "/api/v1/reach"} <= set(paths)
    described = paths["/api/v1/reach"]["get"]["description"]
    for name in ("eligible", "invited", "opened", "booked", "reached", "held_pupils", "breakdown_totals"):
        assert f"`{name}`" in described or f".{name}`" in described, name


def test_token_is_shown_once_when_issued_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("campaigns_partnertoken:add"), {"name": "Essex Police analysts", "active": "on"}
    )

    raw = response.content.decode().split('id="partner-token">', 1)[1].split("<", 1)[0]
    assert raw.startswith("st_")
    assert PartnerToken.objects.get().token_hash == partner_tokens.hash_token(raw)
    listing = admin_client.get(reverse("campaigns_partnertoken:index")).content.decode()
    assert raw not in listing


def test_rate_limit_per_token(client, token, monkeypatch):
    from campaigns.partner_api import api

    monkeypatch.setattr(api, "RATE_LIMIT_PER_MINUTE", 3)
    statuses = [get(client, "/campaigns", token=token).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
