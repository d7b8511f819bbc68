"""/api/v1/integrations over the real API (Bearer key) against the Amazon sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from amazon_sandbox import defaults
from colis.integrations.models import Integration
from tests.conftest import ApiClient
from tests.marketplaces.conftest import (  # noqa: F401 - the sandbox fixtures
    DE,
    IT,
    SELLER_1,
    _rate_limiter_backend,
    configure_colis,
    control,
    sandbox_factory,
)

SELLER = SELLER_1.selling_partner_id
SECRETS = (
    SELLER_1.refresh_token,
    defaults.LWA_CLIENT_SECRET,
    SELLER_1.mws_auth_token,
    "Atzr|IwEB",  # any refresh token's body
)

SELF = {
    "channel": "amazon",
    "name": "Bottega",
    "marketplace_id": IT,
    "seller_id": SELLER,
    "refresh_token": SELLER_1.refresh_token,
    "lwa_client_id": defaults.LWA_CLIENT_ID,
    "lwa_client_secret": defaults.LWA_CLIENT_SECRET,
    "feedback_type": "eager",
    "import_weight": True,
}
MWS = {
    "channel": "amazon",
    "name": "Bottega",
    "marketplace_id": DE,
    "seller_id": SELLER,
    "mws_auth_token": SELLER_1.mws_auth_token,
    "feedback_type": "delayed",
    "import_weight": False,
}


@pytest.fixture
def sandboxed(settings: Any, sandbox_factory: Any, db: Any) -> Any:  # noqa: F811
    sb = sandbox_factory()
    configure_colis(settings, sb.url)
    return sb


@pytest.fixture
def ready_api(make_user: Any, sandboxed: Any) -> ApiClient:
    return ApiClient(make_user(ready=True))


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_create_self_authorized_then_read_list_patch_delete(ready_api: ApiClient) -> None:
    created = ready_api.post("/api/v1/integrations", SELF)
    assert created.status_code == 201, created.content
    assert_no_secret(created.content.decode())
    body = created.json()
    assert (body["name"], body["marketplace_id"], body["auth_kind"], body["state"]) == (
        "Bottega IT",
        IT,
        "spapi_self",
        "active",
    )
    assert "credentials" not in body and "refresh_token" not in body
    url = f"/api/v1/integrations/{body['id']}"
    for response in (ready_api.get(url), ready_api.get("/api/v1/integrations")):
        assert response.status_code == 200
        assert_no_secret(response.content.decode())
    patched = ready_api.patch(url, {"name": "Bottega Italia", "hold_prime": True})
    assert patched.status_code == 200 and patched.json()["name"] == "Bottega Italia"
    assert patched.json()["hold_prime"] is True
    deleted = ready_api.delete(url)
    assert deleted.status_code == 200 and deleted.json()["state"] == "disconnected"
    assert Integration.objects.get(pk=body["id"]).credentials is None


def test_create_mws(ready_api: ApiClient) -> None:
    created = ready_api.post("/api/v1/integrations", MWS)
    assert created.status_code == 201, created.content
    assert_no_secret(created.content.decode())
    assert created.json()["auth_kind"] == "mws" and created.json()["feedback_type"] == "delayed"


def test_duplicate_is_409(ready_api: ApiClient) -> None:
    assert ready_api.post("/api/v1/integrations", SELF).status_code == 201
    again = ready_api.post("/api/v1/integrations", SELF)
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "already_connected"
    assert again.json()["errors"][0]["field"] == "marketplace_id"


def test_onboarding_incomplete_is_409_naming_what_is_missing(
    api: ApiClient, sandboxed: Any
) -> None:
    response = api.post("/api/v1/integrations", SELF)
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "onboarding_incomplete"
    assert "sender address" in error["message"].lower()
    assert "sender_address" in error["missing"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seller_id": "nope"}, "seller_id"),
        ({"marketplace_id": "XX"}, "marketplace_id"),
        ({"refresh_token": "Atza|x"}, "refresh_token"),
        ({"lwa_client_id": "bad"}, "lwa_client_id"),
        ({"refresh_token": None}, "refresh_token"),
        ({"feedback_type": "often"}, "feedback_type"),
    ],
)
def test_field_errors(ready_api: ApiClient, change: dict[str, Any], field: str) -> None:
    response = ready_api.post("/api/v1/integrations", {**SELF, **change})
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert_no_secret(response.content.decode())
    assert not Integration.objects.exists()


def test_mws_and_lwa_together_is_refused(ready_api: ApiClient) -> None:
    response = ready_api.post(
        "/api/v1/integrations", {**SELF, "mws_auth_token": SELLER_1.mws_auth_token}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "mws_auth_token"


def test_wrong_secret_and_revoked_token(ready_api: ApiClient, sandboxed: Any) -> None:
    wrong = ready_api.post(
        "/api/v1/integrations", {**SELF, "lwa_client_secret": "amzn1.oa2-cs.v1.wrong"}
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["code"] == "invalid_credentials"
    assert "amzn1.oa2-cs.v1.wrong" not in wrong.content.decode()
    control(
        sandboxed,
        "POST",
        "authorizations/revoke",
        seller_id=SELLER,
        application_id=defaults.APPLICATION_ID,
    )
    revoked = ready_api.post("/api/v1/integrations", SELF)
    assert revoked.status_code == 400
    assert revoked.json()["errors"][0] == {
        "code": "authorization_revoked",
        "message": revoked.json()["errors"][0]["message"],
        "field": "refresh_token",
    }
    assert_no_secret(revoked.content.decode())


def test_amazon_unavailable_is_503(ready_api: ApiClient, sandboxed: Any) -> None:
    control(
        sandboxed, "POST", "faults", operation="getMarketplaceParticipations", kind="503", value=1
    )
    import colis.marketplaces.amazon.client as client_module

    original = client_module._jitter_backoff
    client_module._jitter_backoff = lambda *a: 0.0  # type: ignore[assignment]
    try:
        response = ready_api.post("/api/v1/integrations", SELF)
    finally:
        client_module._jitter_backoff = original  # type: ignore[assignment]
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "amazon_unavailable"


def test_other_accounts_integration_is_404(ready_api: ApiClient, make_user: Any) -> None:
    body = ready_api.post("/api/v1/integrations", SELF).json()
    stranger = ApiClient(make_user(ready=True))
    url = f"/api/v1/integrations/{body['id']}"
    assert stranger.get(url).status_code == 404
    assert stranger.patch(url, {"name": "mine"}).status_code == 404
    assert stranger.delete(url).status_code == 404
    assert stranger.get("/api/v1/integrations").json() == []
    assert Integration.objects.get(pk=body["id"]).name == "Bottega IT"
