"""/api/v1/addresses: CRUD, field-level errors in the standard body, nothing saved on error."""

from __future__ import annotations

from typing import Any

import pytest

from colis.accounts.models import Address

GOOD = {
    "name": "Lager Berlin",
    "street": "Hauptstr. 1",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "030 1234567",
    "email": "lager@example.test",
}


def create(api: Any, kind: str = "sender", **change: Any) -> Any:
    return api.post("/api/v1/addresses", {"kind": kind, **GOOD, **change})


def error_fields(response: Any) -> set[str | None]:
    body = response.json()
    for item in body["errors"]:
        assert set(item) == {"code", "message", "field"}
    return {item["field"] for item in body["errors"]}


def test_crud(api: Any) -> None:
    created = create(api)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["is_default"] is True
    assert body["phone"] == "+49301234567"
    assert body["country"] == "DE"
    address_id = body["id"]

    assert api.get(f"/api/v1/addresses/{address_id}").json()["name"] == "Lager Berlin"
    listed = api.get("/api/v1/addresses").json()
    assert [a["id"] for a in listed] == [address_id]
    assert api.get("/api/v1/addresses?kind=billing").json() == []

    put = api.put(
        f"/api/v1/addresses/{address_id}", {**GOOD, "city": "Potsdam", "postal_code": "14467"}
    )
    assert put.status_code == 200, put.content
    assert put.json()["city"] == "Potsdam"

    patch = api.patch(f"/api/v1/addresses/{address_id}", {"company": "Beispiel GmbH"})
    assert patch.status_code == 200
    assert patch.json()["company"] == "Beispiel GmbH"
    assert patch.json()["city"] == "Potsdam"

    assert api.delete(f"/api/v1/addresses/{address_id}").status_code == 204
    assert api.get(f"/api/v1/addresses/{address_id}").status_code == 404


def test_put_needs_every_required_field(api: Any) -> None:
    address_id = create(api).json()["id"]
    response = api.put(f"/api/v1/addresses/{address_id}", {"name": "Only a name"})
    assert response.status_code == 400
    assert {"street", "postal_code", "city", "country"} <= error_fields(response)


def test_default_switching_through_the_api(api: Any) -> None:
    first = create(api).json()["id"]
    second = create(api, name="Lager 2").json()["id"]
    response = api.post(f"/api/v1/addresses/{second}/default")
    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert api.get(f"/api/v1/addresses/{first}").json()["is_default"] is False
    third = api.patch(f"/api/v1/addresses/{first}", {"is_default": True})
    assert third.json()["is_default"] is True
    assert api.get(f"/api/v1/addresses/{second}").json()["is_default"] is False
    refused = api.patch(f"/api/v1/addresses/{first}", {"is_default": False})
    assert refused.status_code == 400
    assert error_fields(refused) == {"is_default"}


def test_second_billing_is_a_conflict(api: Any) -> None:
    assert create(api, kind="billing").status_code == 201
    response = create(api, kind="billing")
    assert response.status_code == 409
    assert error_fields(response) == {"kind"}
    assert Address.objects.filter(kind="billing").count() == 1


def test_return_same_as_sender(api: Any) -> None:
    create(api)
    create(api, kind="return")
    response = api.put("/api/v1/addresses/return-same-as-sender", {"enabled": True})
    assert response.json() == {"enabled": True}
    assert api.get("/api/v1/addresses/return-same-as-sender").json() == {"enabled": True}
    assert api.get("/api/v1/addresses?kind=return").json() == []
    assert api.get("/api/v1/onboarding").json()["return_address"] is True


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("unknown country", {"country": "XX"}, "country"),
    ("invalid postal code", {"postal_code": "1234"}, "postal_code"),
    ("invalid phone", {"phone": "+49 1"}, "phone"),
    ("invalid e-mail", {"email": "nope@"}, "email"),
    ("oversized name", {"name": "x" * 101}, "name"),
    ("oversized city", {"city": "x" * 101}, "city"),
    ("markup in name", {"name": "<b>x</b>"}, "name"),
    ("markup in street", {"street": "<script>"}, "street"),
    ("bad VAT", {"vat_number": "DE12"}, "vat_number"),
    ("wrong type", {"name": 12}, "name"),
    ("unknown kind", {"kind": "warehouse"}, "kind"),
]


@pytest.mark.parametrize(("label", "change", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_names_the_field_and_saves_nothing(
    api: Any, label: str, change: dict[str, Any], field: str
) -> None:
    kind = change.pop("kind", "billing")
    response = create(api, kind=kind, **change)
    assert response.status_code == 400, response.content
    assert field in error_fields(response)
    assert Address.objects.count() == 0


@pytest.mark.parametrize(("label", "change", "field"), BAD[:-2], ids=[b[0] for b in BAD[:-2]])
def test_bad_patch_names_the_field_and_changes_nothing(
    api: Any, label: str, change: dict[str, Any], field: str
) -> None:
    address_id = create(api).json()["id"]
    before = api.get(f"/api/v1/addresses/{address_id}").json()
    response = api.patch(f"/api/v1/addresses/{address_id}", {"company": "Neu GmbH", **change})
    assert response.status_code == 400
    assert field in error_fields(response)
    assert api.get(f"/api/v1/addresses/{address_id}").json() == before


def test_malformed_json_is_400(api: Any) -> None:
    response = api.client.post("/api/v1/addresses", "{nope", content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()


def test_another_accounts_address_is_404(api: Any, make_user: Any, make_api: Any) -> None:
    other = make_api(make_user())
    theirs = create(other).json()["id"]
    missing = 999_999
    for address_id in (theirs, missing):
        for response in (
            api.get(f"/api/v1/addresses/{address_id}"),
            api.put(f"/api/v1/addresses/{address_id}", GOOD),
            api.patch(f"/api/v1/addresses/{address_id}", {"city": "X"}),
            api.delete(f"/api/v1/addresses/{address_id}"),
            api.post(f"/api/v1/addresses/{address_id}/default"),
        ):
            assert response.status_code == 404
            assert response.json() == {
                "errors": [{"code": "not_found", "message": "Not found.", "field": None}]
            }
    assert other.get(f"/api/v1/addresses/{theirs}").json()["name"] == GOOD["name"]
    assert api.get("/api/v1/addresses").json() == []
