from __future__ import annotations

from typing import Any

import pytest
from django.test import Client


def test_me_with_bearer_key(api: Any) -> None:
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == api.user.email


@pytest.mark.parametrize(
    "header", [None, "Bearer nope", "Bearer ", "Basic abc", "Bearer " + "x" * 500]
)
def test_missing_or_wrong_key_is_401_json(db: Any, header: str | None) -> None:
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    body = response.json()
    assert body["errors"][0]["code"] == "unauthorized"
    assert set(body["errors"][0]) == {"code", "message", "field"}


def test_revoked_key_is_401(api: Any) -> None:
    from colis.accounts.models import ApiKey
    from colis.accounts.services import apikey_revoke

    key = ApiKey.objects.get(user=api.user)
    apikey_revoke(account=api.user.account, key_id=key.pk)
    assert api.get("/api/v1/me").status_code == 401


def test_key_is_stored_hashed(api: Any) -> None:
    from colis.accounts.models import ApiKey

    key = ApiKey.objects.get(user=api.user)
    assert api.key not in {key.key_hash, key.prefix}
    assert key.last4 == api.key[-4:]


def test_onboarding_shape_for_new_account(api: Any) -> None:
    body = api.get("/api/v1/onboarding").json()
    assert body == {
        "email_verified": True,
        "sender_address": False,
        "return_address": False,
        "billing_address": False,
        "direct_debit": False,
        "ready": False,
        "missing": ["sender_address", "return_address", "billing_address", "direct_debit"],
    }


def test_openapi_is_served(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "colis API"


def test_unknown_api_url_is_json_404(api: Any) -> None:
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404


def test_non_numeric_id_and_wrong_method_answer_json(api: Any) -> None:
    not_found = api.get("/api/v1/addresses/abc")
    assert not_found.status_code == 404
    assert not_found.json()["errors"][0]["code"] == "not_found"
    wrong_method = api.client.put("/api/v1/me", {}, content_type="application/json")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["errors"][0]["code"] == "method_not_allowed"
