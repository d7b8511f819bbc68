"""/api/v1 shipping: carrier accounts (credentials never echoed), shipping methods,
parcels (one order, split, batch), labels, cancel, history; errors in the standard body."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from colis.accounts.models import User
from colis.orders.models import Order
from colis.shipping import services
from tests.shipping.conftest import make_integration, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(ready=True)


@pytest.fixture
def client(seller: User, make_api: Callable[[User], Any]) -> Any:
    assert seller.account is not None
    make_integration(seller.account)
    services.shipping_seed_demo(account=seller.account)
    return make_api(seller)


def test_carrier_accounts_never_echo_credentials(client: Any) -> None:
    body = {
        "carrier": "colissimo",
        "name": "Colissimo FR",
        "credentials": {
            "contract_number": "123456",
            "password": "s3cret-pass",
            "laposte_api_key": "okapi-123",
        },
    }
    created = client.post("/api/v1/carrier-accounts", body)
    assert created.status_code == 201, created.content
    assert "s3cret-pass" not in created.content.decode()
    assert "123456" not in created.content.decode()
    assert created.json()["credentials_set"] == ["contract_number", "laposte_api_key", "password"]
    listed = client.get("/api/v1/carrier-accounts")
    assert "s3cret-pass" not in listed.content.decode() and len(listed.json()) == 2
    bad = client.post(
        "/api/v1/carrier-accounts",
        {**body, "name": "X", "credentials": {"contract_number": "12", "password": "p"}},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "credentials.contract_number"
    patched = client.patch(
        f"/api/v1/carrier-accounts/{created.json()['id']}",
        {"test_mode": False, "credentials": {"contract_number": "654321"}},
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["test_mode"] is False
    assert patched.json()["credentials_set"] == ["contract_number", "laposte_api_key", "password"]


def test_carriers_and_codes(client: Any) -> None:
    carriers = {c["name"]: c for c in client.get("/api/v1/carriers").json()}
    assert {"local", "dhl_parcel_de", "colissimo"} <= set(carriers)
    assert any(
        f["name"] == "billing_number" for f in carriers["dhl_parcel_de"]["credential_fields"]
    )
    codes = {c["code"] for c in client.get("/api/v1/carrier-codes").json()}
    assert {"DHL", "Colissimo", "Other", "La Poste"} <= codes


def test_shipping_methods_crud(client: Any) -> None:
    [demo] = client.get("/api/v1/shipping-methods").json()
    created = client.post(
        "/api/v1/shipping-methods",
        {
            "carrier_account_id": demo["carrier_account_id"],
            "name": "Local express DE/AT",
            "service_code": "colis_local_express",
            "max_weight_grams": 5000,
            "destination_countries": ["de", "AT"],
            "amazon_mappings": [
                {
                    "marketplace_id": "A1PA6795UKMFR9",
                    "carrier_code": "Other",
                    "carrier_name": "colis local",
                    "shipping_method_name": "Express",
                }
            ],
        },
    )
    assert created.status_code == 201, created.content
    method = created.json()
    assert method["destination_countries"] == ["AT", "DE"]
    assert method["amazon_mappings"][0]["carrier_name"] == "colis local"
    bad = client.post(
        "/api/v1/shipping-methods",
        {"carrier_account_id": demo["carrier_account_id"], "name": "Y", "service_code": "nope"},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "service_code"
    bad = client.patch(
        f"/api/v1/shipping-methods/{method['id']}",
        {"amazon_mappings": [{"carrier_code": "Other"}]},
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "carrier_name"
    patched = client.patch(f"/api/v1/shipping-methods/{method['id']}", {"max_weight_grams": None})
    assert patched.status_code == 200 and patched.json()["max_weight_grams"] is None
    assert client.delete(f"/api/v1/shipping-methods/{method['id']}").status_code == 204
    assert client.get(f"/api/v1/shipping-methods/{method['id']}").status_code == 404


def test_parcel_for_one_order_label_history_cancel(client: Any, seller: User) -> None:
    order = make_order(seller.account)
    made = client.post("/api/v1/parcels", {"order_id": order.id, "weight_grams": 800})
    assert made.status_code == 201, made.content
    [parcel] = made.json()["parcels"]
    assert parcel["status"] == "ready_to_send" and parcel["weight_grams"] == 800
    assert parcel["label_formats"] == ["pdf", "a4", "zpl"]
    label = client.get(f"/api/v1/parcels/{parcel['id']}/label?format=pdf")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    assert "Jeanne Dupré" in PdfReader(io.BytesIO(label.content)).pages[0].extract_text()
    zpl = client.get(f"/api/v1/parcels/{parcel['id']}/label?format=zpl")
    assert zpl.content.startswith(b"^XA") and "Jeanne Dupré" in zpl.content.decode()
    a4 = client.get(f"/api/v1/parcels/{parcel['id']}/label?format=a4")
    assert len(PdfReader(io.BytesIO(a4.content)).pages) == 1
    assert client.get(f"/api/v1/parcels/{parcel['id']}/label?format=png").status_code == 400
    advanced = client.post(f"/api/v1/parcels/{parcel['id']}/advance", {"to": "in_transit"})
    assert advanced.json()["first_scan_at"] is not None
    detail = client.get(f"/api/v1/parcels/{parcel['id']}").json()
    assert [e["status"] for e in detail["events"]] == ["pending", "ready_to_send", "in_transit"]
    assert detail["items"][0]["quantity"] == 2
    refused = client.post(f"/api/v1/parcels/{parcel['id']}/cancel")
    assert (
        refused.status_code == 409
        and refused.json()["errors"][0]["code"] == "parcel_not_cancellable"
    )


def test_cancel_and_labels_after(client: Any, seller: User) -> None:
    order = make_order(seller.account)
    [parcel] = client.post("/api/v1/parcels", {"order_id": order.id}).json()["parcels"]
    cancelled = client.post(f"/api/v1/parcels/{parcel['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    gone = client.get(f"/api/v1/parcels/{parcel['id']}/label")
    assert gone.status_code == 409 and gone.json()["errors"][0]["code"] == "label_not_available"


def test_split_and_idempotency_key_header(client: Any, seller: User) -> None:
    order = make_order(seller.account, items=[("MUG", 2, 300), ("CUP", 1, 100)])
    mug, cup = sorted(order.items.all(), key=lambda i: i.sku, reverse=True)
    body = {
        "order_id": order.id,
        "items": [
            [{"order_item_id": mug.id, "quantity": 1}],
            [{"order_item_id": mug.id, "quantity": 1}, {"order_item_id": cup.id, "quantity": 1}],
        ],
    }
    first = client.post("/api/v1/parcels", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/parcels", body, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert [p["id"] for p in first.json()["parcels"]] == [p["id"] for p in again.json()["parcels"]]
    assert [p["weight_grams"] for p in first.json()["parcels"]] == [300, 400]
    over = client.post(
        "/api/v1/parcels",
        {"order_id": order.id, "items": [[{"order_item_id": cup.id, "quantity": 1}]]},
    )
    assert over.status_code == 400
    assert over.json()["errors"][0] == {
        "code": "quantity_exceeded",
        "message": "CUP: 1 asked, 0 left to ship.",
        "field": "items",
    }
    listed = client.get(f"/api/v1/parcels?order_id={order.id}").json()
    assert listed["count"] == 2


@pytest.mark.parametrize(
    ("fields", "code", "status"),
    [
        ({"status": Order.Status.CANCELLED}, "order_cancelled", 409),
        ({"buyer_cancel_requested": True}, "buyer_cancel_requested", 409),
        ({"fulfilled_by_marketplace": True}, "afn_order", 409),
        ({"recipient_country": "US"}, None, 201),
    ],
)
def test_refusals_in_the_standard_body(
    client: Any, seller: User, fields: dict[str, Any], code: str | None, status: int
) -> None:
    order = make_order(seller.account, **fields)
    response = client.post("/api/v1/parcels", {"order_id": order.id})
    assert response.status_code == status, response.content
    if code:
        assert response.json()["errors"][0]["code"] == code


def test_weight_refusals_name_the_field(client: Any, seller: User) -> None:
    order = make_order(seller.account, items=[("X", 1, None)])
    missing = client.post("/api/v1/parcels", {"order_id": order.id})
    assert missing.status_code == 400
    assert missing.json()["errors"][0] == {
        "code": "weight_missing",
        "message": "An item has no known weight: give the parcel's weight.",
        "field": "weight_grams",
    }
    heavy = client.post("/api/v1/parcels", {"order_id": order.id, "weight_grams": 99_000})
    assert heavy.status_code == 400 and heavy.json()["errors"][0]["field"] == "weight_grams"
    bad = client.post("/api/v1/parcels", {"order_id": order.id, "weight_grams": "heavy"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"].startswith("weight_grams")


def test_batch_with_failures_and_merged_label(client: Any, seller: User) -> None:
    good = [make_order(seller.account) for _ in range(3)]
    bad = make_order(seller.account, status=Order.Status.CANCELLED)
    response = client.post(
        "/api/v1/parcels", {"order_ids": [good[0].id, bad.id, good[1].id, good[2].id]}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["parcels"]) == 3
    assert body["failures"] == [
        {
            "order_id": bad.id,
            "code": "order_cancelled",
            "message": "This order was cancelled: it cannot be shipped.",
            "field": None,
            "parcel_ids": [],
        }
    ]
    merged = client.get(body["batch_label_url"])
    assert len(PdfReader(io.BytesIO(merged.content)).pages) == 3
    sheet = client.get(body["batch_label_url"] + "?format=a4")
    assert len(PdfReader(io.BytesIO(sheet.content)).pages) == 1
    assert client.get("/api/v1/parcels?status=ready_to_send").json()["count"] == 3
    integration_id = good[0].integration_id
    assert client.get(f"/api/v1/parcels?integration_id={integration_id}").json()["count"] == 3
    assert client.get(f"/api/v1/parcels?integration_id={integration_id + 999}").json()["count"] == 0


def test_not_yours_is_404(
    client: Any, seller: User, make_user: Callable[..., User], make_api: Any
) -> None:
    order = make_order(seller.account)
    [parcel] = client.post("/api/v1/parcels", {"order_id": order.id}).json()["parcels"]
    other = make_user(ready=True)
    assert other.account is not None
    make_integration(other.account)
    services.shipping_seed_demo(account=other.account)
    intruder = make_api(other)
    for path in (
        f"/api/v1/parcels/{parcel['id']}",
        f"/api/v1/parcels/{parcel['id']}/label",
        f"/api/v1/parcels/{parcel['id']}/label?format=zpl",
    ):
        response = intruder.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "not_found"
    assert intruder.post(f"/api/v1/parcels/{parcel['id']}/cancel").status_code == 404
    assert intruder.post("/api/v1/parcels", {"order_id": order.id}).status_code == 404
    assert intruder.get(f"/api/v1/parcels?order_id={order.id}").json()["count"] == 0
    assert intruder.get("/api/v1/parcels/batches/1/label").status_code == 404
