"""confirmShipment validated as Amazon does; packages read back; ground truth; silent drops."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Amazon


def body(order: dict[str, Any], **pkg: Any) -> dict[str, Any]:
    detail = {
        "packageReferenceId": "1",
        "carrierCode": "DHL",
        "carrierName": None,
        "shippingMethod": "Paket",
        "trackingNumber": "00340434161234567890",
        "shipDate": "2026-11-27T10:00:00Z",
        "orderItems": [
            {"orderItemId": it["orderItemId"], "quantity": it["quantityOrdered"]}
            for it in order["orderItems"]
        ],
    }
    detail.update(pkg)
    return {"marketplaceId": order["salesChannel"]["marketplaceId"], "packageDetail": detail}


def confirm(amazon: Amazon, order: dict[str, Any], payload: dict[str, Any]) -> Any:
    return amazon.post(f"/orders/v0/orders/{order['orderId']}/shipmentConfirmation", payload)


@pytest.mark.parametrize(
    "change",
    [
        {"packageReferenceId": 1},
        {"packageReferenceId": "0"},
        {"packageReferenceId": "abc"},
        {"carrierCode": "dhl"},
        {"carrierCode": "Other"},
        {"carrierCode": None},
        {"shipDate": "02/21/2022"},
        {"trackingNumber": None},
        {"orderItems": [{"orderItemId": "00000000000000", "quantity": 1}]},
    ],
)
def test_invalid_confirmations_are_rejected(amazon: Amazon, change: dict[str, Any]) -> None:
    order = amazon.unshipped_order(skip=3)
    r = confirm(amazon, order, body(order, **change))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["code"] == "InvalidInput"
    assert "x-amzn-RateLimit-Limit" in r.headers


def test_marketplace_must_match(amazon: Amazon) -> None:
    order = amazon.unshipped_order(skip=3)
    payload = body(order)
    payload["marketplaceId"] = "A13V1IB3VIYZZH"
    assert confirm(amazon, order, payload).status_code == 400


def test_other_carrier_needs_a_name(amazon: Amazon) -> None:
    order = amazon.unshipped_order(skip=4)
    r = confirm(amazon, order, body(order, carrierCode="Other", carrierName="Spedizioni Rossi"))
    assert r.status_code == 204
    pkg = amazon.get(
        f"/orders/2026-01-01/orders/{order['orderId']}", includedData="PACKAGES"
    ).json()["order"]["packages"][0]
    assert pkg["carrier"] == "Spedizioni Rossi"


def test_partial_then_full_shipment(amazon: Amazon) -> None:
    order = amazon.control(
        "POST",
        "orders",
        {"items": [{"sku": amazon.sb.catalog.by_seller["A1SBXSELLERIT1"][3].sku, "quantity": 3}]},
    )
    oid = order["order_ids"][0]
    o = amazon.get(f"/orders/2026-01-01/orders/{oid}", includedData="FULFILLMENT").json()["order"]
    item = o["orderItems"][0]["orderItemId"]
    assert (
        confirm(amazon, o, body(o, orderItems=[{"orderItemId": item, "quantity": 2}])).status_code
        == 204
    )
    v0 = amazon.get(f"/orders/v0/orders/{oid}").json()["payload"]
    assert v0["OrderStatus"] == "PartiallyShipped" and v0["NumberOfItemsUnshipped"] == 1
    too_many = body(o, packageReferenceId="2", orderItems=[{"orderItemId": item, "quantity": 2}])
    assert confirm(amazon, o, too_many).status_code == 400
    assert (
        confirm(
            amazon,
            o,
            body(
                o,
                packageReferenceId="2",
                trackingNumber="T2",
                orderItems=[{"orderItemId": item, "quantity": 1}],
            ),
        ).status_code
        == 204
    )
    o2 = amazon.get(f"/orders/2026-01-01/orders/{oid}", includedData="FULFILLMENT,PACKAGES").json()[
        "order"
    ]
    assert o2["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
    assert [p["trackingNumber"] for p in o2["packages"]] == ["00340434161234567890", "T2"]
    assert o2["orderItems"][0]["fulfillment"] == {"quantityFulfilled": 3, "quantityUnfulfilled": 0}
    # A shipped order takes no new package.
    assert confirm(amazon, o, body(o, packageReferenceId="3")).status_code == 400


def test_duplicates_are_counted_in_ground_truth(amazon: Amazon) -> None:
    order = amazon.unshipped_order(skip=5)
    payload = body(order)
    assert confirm(amazon, order, payload).status_code == 204
    assert confirm(amazon, order, payload).status_code == 204
    truth = amazon.control("GET", f"shipments?order_id={order['orderId']}")
    assert [s["outcome"] for s in truth["shipments"]] == ["accepted", "duplicate"]


def test_silent_drop_fault(amazon: Amazon) -> None:
    order = amazon.unshipped_order(skip=6)
    amazon.control(
        "POST", "faults", {"operation": "confirmShipment", "kind": "silent_drop", "value": 1}
    )
    try:
        assert confirm(amazon, order, body(order)).status_code == 204
    finally:
        amazon.control("DELETE", "faults")
    o = amazon.get(
        f"/orders/2026-01-01/orders/{order['orderId']}", includedData="PACKAGES,FULFILLMENT"
    ).json()["order"]
    assert o["packages"] == [] and o["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"
    truth = amazon.control("GET", f"shipments?order_id={order['orderId']}")
    assert truth["summary"] == {"dropped": 1}


def test_canceled_afn_and_unknown_orders(amazon: Amazon) -> None:
    order = amazon.unshipped_order(skip=7)
    amazon.control("POST", f"orders/{order['orderId']}/cancel")
    assert confirm(amazon, order, body(order)).status_code == 400
    assert (
        amazon.post(
            "/orders/v0/orders/028-1111111-2222222/shipmentConfirmation", body(order)
        ).status_code
        == 404
    )
