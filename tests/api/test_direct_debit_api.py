"""/api/v1/direct-debit: sign, read masked, revoke; never the IBAN."""

from __future__ import annotations

from typing import Any

import pytest

from colis.accounts.models import DirectDebitMandate

IBAN = "DE89370400440532013000"
GOOD = {"account_holder": "Beispiel GmbH", "iban": "DE89 3704 0044 0532 0130 00", "accept": True}


def error_fields(response: Any) -> set[str | None]:
    return {item["field"] for item in response.json()["errors"]}


def assert_no_iban(response: Any) -> None:
    text = response.content.decode()
    assert IBAN not in text
    assert "DE89 3704 0044 0532 0130 00" not in text
    assert "0532013000" not in text


def test_get_without_mandate_shows_the_text(api: Any) -> None:
    body = api.get("/api/v1/direct-debit?language=fr").json()
    assert body["mandate"] is None
    assert body["mandate_text"]["language"] == "fr"
    assert "colis" in body["mandate_text"]["text"]


def test_sign_read_revoke(api: Any) -> None:
    created = api.post("/api/v1/direct-debit", GOOD)
    assert created.status_code == 201, created.content
    assert_no_iban(created)
    body = created.json()
    assert body["iban_last4"] == "3000"
    assert body["bic"] == "COBADEFFXXX"
    assert body["reference"].startswith("COLIS-")
    assert "iban" not in body

    read = api.get("/api/v1/direct-debit")
    assert_no_iban(read)
    assert read.json()["mandate"]["id"] == body["id"]
    assert api.get("/api/v1/onboarding").json()["direct_debit"] is True

    conflict = api.post("/api/v1/direct-debit", GOOD)
    assert conflict.status_code == 409
    assert conflict.json()["errors"][0]["code"] == "mandate_exists"

    revoked = api.delete("/api/v1/direct-debit")
    assert revoked.status_code == 200
    assert_no_iban(revoked)
    assert revoked.json()["state"] == "revoked"
    assert revoked.json()["revoked_at"]
    assert api.get("/api/v1/direct-debit").json()["mandate"] is None
    onboarding = api.get("/api/v1/onboarding").json()
    assert onboarding["direct_debit"] is False
    assert "direct_debit" in onboarding["missing"]
    assert api.delete("/api/v1/direct-debit").status_code == 404


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("malformed IBAN", {"iban": "DE89 XXXX"}, "iban"),
    ("bad checksum", {"iban": "DE89370400440532013009"}, "iban"),
    ("IBAN/BIC country mismatch", {"bic": "BNPAFRPP"}, "bic"),
    ("IBAN/BIC bank mismatch", {"bic": "DEUTDEFF"}, "bic"),
    ("malformed BIC", {"bic": "12"}, "bic"),
    ("missing acceptance", {"accept": False}, "accept"),
    ("oversized holder", {"account_holder": "x" * 71}, "account_holder"),
    ("markup in holder", {"account_holder": "<x>"}, "account_holder"),
]


@pytest.mark.parametrize(("label", "change", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field_and_saves_nothing(
    api: Any, label: str, change: dict[str, Any], field: str
) -> None:
    response = api.post("/api/v1/direct-debit", {**GOOD, **change})
    assert response.status_code == 400, response.content
    assert field in error_fields(response)
    assert DirectDebitMandate.objects.count() == 0


def test_acceptance_omitted_is_refused(api: Any) -> None:
    response = api.post("/api/v1/direct-debit", {"account_holder": "A", "iban": IBAN})
    assert response.status_code == 400
    assert error_fields(response) == {"accept"}


def test_openapi_lists_the_onboarding_routes(api: Any) -> None:
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/addresses", "/api/v1/addresses/{address_id}", "/api/v1/direct-debit"} <= set(
        paths
    )
