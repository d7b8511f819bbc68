"""Orders 2026-01-01 and v0: cursors, pagination, filters, PII, status over time."""

from __future__ import annotations

import re
from typing import Any

from amazon_sandbox import defaults

from .conftest import Amazon

EPOCH = "2000-01-01T00:00:00Z"
DE = "A1PA6795UKMFR9"


def all_pages(
    amazon: Amazon,
    path: str,
    token_param: str,
    seller: defaults.SandboxSeller = defaults.SELLER_1,
    **params: Any,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    r = amazon.get(path, seller=seller, **params).json()
    while True:
        page = r.get("payload", r)
        out.extend(page.get("orders") or page.get("Orders") or [])
        token = (
            page.get("pagination", {}).get("nextToken")
            if "orders" in page
            else page.get("NextToken")
        )
        if not token:
            return out
        # Amazon wants the other parameters repeated with the token.
        r = amazon.get(path, seller=seller, **{**params, token_param: token}).json()


def truth_ids(amazon: Amazon, seller: str) -> set[str]:
    rows = amazon.control("GET", f"orders?seller_id={seller}&limit=1000")["orders"]
    return {o["orderId"] for o in rows}


def test_search_orders_pages_return_every_order_once(amazon: Amazon) -> None:
    orders = all_pages(
        amazon,
        "/orders/2026-01-01/orders",
        "paginationToken",
        createdAfter=EPOCH,
        maxResultsPerPage=7,
    )
    ids = [o["orderId"] for o in orders]
    assert len(ids) == len(set(ids))
    assert set(ids) == truth_ids(amazon, defaults.SELLER_1.selling_partner_id)
    assert all(re.fullmatch(r"\d{3}-\d{7}-\d{7}", i) for i in ids)
    created = [o["createdTime"] for o in orders]
    assert created == sorted(created)


def test_last_updated_cursor_sees_every_order_once(amazon: Amazon) -> None:
    orders = all_pages(
        amazon, "/orders/2026-01-01/orders", "paginationToken", lastUpdatedAfter=EPOCH
    )
    ids = [o["orderId"] for o in orders]
    assert len(ids) == len(set(ids)) == len(truth_ids(amazon, defaults.SELLER_1.selling_partner_id))
    updated = [o["lastUpdatedTime"] for o in orders]
    assert updated == sorted(updated)


def test_v0_get_orders_pages_with_next_token(amazon: Amazon) -> None:
    mkts = ",".join(["APJ6JRA9NG5V4", DE, "A1F83G8C2ARO7P"])
    orders = all_pages(
        amazon,
        "/orders/v0/orders",
        "NextToken",
        MarketplaceIds=mkts,
        CreatedAfter=EPOCH,
        MaxResultsPerPage=50,
    )
    assert {o["AmazonOrderId"] for o in orders} == truth_ids(
        amazon, defaults.SELLER_1.selling_partner_id
    )


def test_search_orders_validation(amazon: Amazon) -> None:
    path = "/orders/2026-01-01/orders"
    cases: tuple[dict[str, Any], ...] = (
        {},
        {"createdAfter": EPOCH, "lastUpdatedAfter": EPOCH},
        {"createdAfter": "yesterday"},
        {"createdAfter": EPOCH, "maxResultsPerPage": "101"},
        {"createdAfter": EPOCH, "includedData": "SECRETS"},
        {"createdAfter": EPOCH, "fulfilledBy": "NOBODY"},
        {"paginationToken": "garbage"},
    )
    for params in cases:
        r = amazon.get(path, **params)
        assert r.status_code == 400, params
        assert r.json()["errors"][0]["code"] == "InvalidInput"
        assert "x-amzn-RateLimit-Limit" in r.headers and "x-amzn-RequestId" in r.headers


def test_v0_before_must_be_two_minutes_in_the_past(amazon: Amazon) -> None:
    now = amazon.control("GET", "clock")["now"]
    r = amazon.get("/orders/v0/orders", MarketplaceIds=DE, CreatedAfter=EPOCH, CreatedBefore=now)
    assert r.status_code == 400
    r = amazon.get("/orders/v0/orders", CreatedAfter=EPOCH)
    assert r.status_code == 400  # MarketplaceIds is required


def test_filters(amazon: Amazon) -> None:
    merchant = all_pages(
        amazon,
        "/orders/2026-01-01/orders",
        "paginationToken",
        createdAfter=EPOCH,
        fulfilledBy="MERCHANT",
        includedData="FULFILLMENT",
    )
    assert merchant and all(o["fulfillment"]["fulfilledBy"] == "MERCHANT" for o in merchant)
    unshipped = all_pages(
        amazon,
        "/orders/2026-01-01/orders",
        "paginationToken",
        createdAfter=EPOCH,
        fulfillmentStatuses="UNSHIPPED",
        includedData="FULFILLMENT",
    )
    assert unshipped and all(
        o["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED" for o in unshipped
    )
    de = all_pages(
        amazon,
        "/orders/2026-01-01/orders",
        "paginationToken",
        createdAfter=EPOCH,
        marketplaceIds=DE,
    )
    assert de and all(o["salesChannel"]["marketplaceId"] == DE for o in de)
    r = amazon.get("/orders/2026-01-01/orders", createdAfter=EPOCH, marketplaceIds="ATVPDKIKX0DER")
    assert r.status_code == 400  # seller 1 does not sell in the US


def test_pii_needs_the_restricted_role(amazon: Amazon) -> None:
    order = amazon.unshipped_order()
    full = amazon.get(
        f"/orders/2026-01-01/orders/{order['orderId']}", includedData="BUYER,RECIPIENT"
    ).json()["order"]
    assert full["buyer"]["buyerName"] and full["recipient"]["deliveryAddress"]["addressLine1"]
    r = amazon.lwa(
        grant_type="refresh_token",
        refresh_token=defaults.SELLER_1.refresh_token,
        client_id=defaults.NOPII_LWA_CLIENT_ID,
        client_secret=defaults.NOPII_LWA_CLIENT_SECRET,
    )
    assert r.status_code == 400  # the no-PII app holds no authorization from seller 1 yet
    amazon.sb.grant_spapi(defaults.NOPII_APPLICATION_ID, defaults.SELLER_1.selling_partner_id)
    auth = amazon.sb.find_authorization(
        "spapi", defaults.SELLER_1.selling_partner_id, defaults.NOPII_APPLICATION_ID
    )
    assert auth is not None
    token = amazon.lwa(
        grant_type="refresh_token",
        refresh_token=auth.refresh_token,
        client_id=defaults.NOPII_LWA_CLIENT_ID,
        client_secret=defaults.NOPII_LWA_CLIENT_SECRET,
    ).json()["access_token"]
    bare = amazon.get(
        f"/orders/2026-01-01/orders/{order['orderId']}", token=token, includedData="BUYER,RECIPIENT"
    ).json()["order"]
    assert "buyer" not in bare
    assert "addressLine1" not in bare["recipient"]["deliveryAddress"]
    assert bare["recipient"]["deliveryAddress"]["postalCode"]


def test_v0_pii_needs_a_matching_restricted_data_token(amazon: Amazon) -> None:
    oid = amazon.unshipped_order()["orderId"]
    plain = amazon.get(f"/orders/v0/orders/{oid}/address").json()["payload"]["ShippingAddress"]
    assert "AddressLine1" not in plain and "Name" not in plain
    assert amazon.get(f"/orders/v0/orders/{oid}/buyerInfo").json()["payload"] == {
        "AmazonOrderId": oid
    }
    r = amazon.post(
        "/tokens/2021-03-01/restrictedDataToken",
        {
            "restrictedResources": [
                {"method": "GET", "path": "/orders/v0/orders/{orderId}/address"},
                {"method": "GET", "path": f"/orders/v0/orders/{oid}/buyerInfo"},
                {
                    "method": "GET",
                    "path": "/orders/v0/orders",
                    "dataElements": ["shippingAddress", "buyerInfo"],
                },
            ]
        },
    )
    assert r.status_code == 200, r.text
    rdt = r.json()["restrictedDataToken"]
    assert rdt.startswith("Atz.sprdt|") and r.json()["expiresIn"] == 3600
    address = amazon.get(f"/orders/v0/orders/{oid}/address", token=rdt).json()["payload"][
        "ShippingAddress"
    ]
    assert address["Name"] and address["AddressLine1"] and address["Phone"]
    buyer = amazon.get(f"/orders/v0/orders/{oid}/buyerInfo", token=rdt).json()["payload"]
    assert buyer["BuyerEmail"].endswith(
        tuple(f"@marketplace.amazon.{t}" for t in ("de", "it", "co.uk", "fr", "es", "com"))
    )
    listed = amazon.get(
        "/orders/v0/orders", token=rdt, MarketplaceIds=DE, CreatedAfter=EPOCH, MaxResultsPerPage=5
    ).json()
    assert any("AddressLine1" in o.get("ShippingAddress", {}) for o in listed["payload"]["Orders"])
    # An RDT for one order's buyerInfo does not open another order.
    other = amazon.unshipped_order(skip=1)["orderId"]
    assert (
        "BuyerName"
        not in amazon.get(f"/orders/v0/orders/{other}/buyerInfo", token=rdt).json()["payload"]
    )


def test_unknown_and_foreign_orders_are_not_found(amazon: Amazon) -> None:
    assert amazon.get("/orders/v0/orders/028-1111111-2222222").status_code == 404
    us_order = amazon.unshipped_order(defaults.SELLERS[3])["orderId"]
    r = amazon.get(f"/orders/2026-01-01/orders/{us_order}")
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == "NotFound"


def test_missing_or_bad_token_is_unauthorized(amazon: Amazon) -> None:
    r = amazon.http.get("/orders/v0/orders/028-1111111-2222222")
    assert r.status_code == 403
    assert r.json()["errors"][0]["message"] == "Access to requested resource is denied."
    assert "x-amzn-RateLimit-Limit" not in r.headers and r.headers["x-amzn-RequestId"]


def test_orders_arrive_and_change_on_the_sandbox_clock(fresh: Amazon) -> None:
    seller = defaults.SELLER_1.selling_partner_id
    before = len(
        all_pages(fresh, "/orders/2026-01-01/orders", "paginationToken", createdAfter=EPOCH)
    )
    fresh.advance(7 * 86400)
    after = all_pages(
        fresh,
        "/orders/2026-01-01/orders",
        "paginationToken",
        createdAfter=EPOCH,
        includedData="FULFILLMENT",
    )
    assert len(after) > before
    statuses = {o["fulfillment"]["fulfillmentStatus"] for o in after}
    assert {"SHIPPED", "UNSHIPPED", "CANCELLED"} <= statuses
    added = fresh.control(
        "POST", "orders", {"seller_id": seller, "count": 2, "pending_seconds": 600}
    )["order_ids"]
    order = fresh.get(f"/orders/2026-01-01/orders/{added[0]}", includedData="FULFILLMENT").json()[
        "order"
    ]
    assert order["fulfillment"]["fulfillmentStatus"] == "PENDING"
    fresh.advance(601)
    order = fresh.get(f"/orders/2026-01-01/orders/{added[0]}", includedData="FULFILLMENT").json()[
        "order"
    ]
    assert order["fulfillment"]["fulfillmentStatus"] == "UNSHIPPED"


def test_cancellations(amazon: Amazon) -> None:
    oid = amazon.unshipped_order(skip=2)["orderId"]
    amazon.control("POST", f"orders/{oid}/buyer-cancel")
    items = amazon.get(f"/orders/v0/orders/{oid}/orderItems").json()["payload"]["OrderItems"]
    assert items[0]["BuyerRequestedCancel"]["IsBuyerRequestedCancel"] == "true"
    order = amazon.get(f"/orders/2026-01-01/orders/{oid}", includedData="CANCELLATION").json()[
        "order"
    ]
    assert order["orderItems"][0]["cancellation"]["cancellationRequest"]["requester"] == "BUYER"
    amazon.control("POST", f"orders/{oid}/cancel")
    assert amazon.get(f"/orders/v0/orders/{oid}").json()["payload"]["OrderStatus"] == "Canceled"
    recent = all_pages(
        amazon,
        "/orders/2026-01-01/orders",
        "paginationToken",
        lastUpdatedAfter=amazon.control("GET", "clock")["now"][:17] + "00Z",
    )
    assert oid in {o["orderId"] for o in recent}


def test_same_seed_same_orders() -> None:
    from amazon_sandbox.state import Sandbox

    a, b = Sandbox(seed=11, orders=300, start=1.8e9), Sandbox(seed=11, orders=300, start=1.8e9)
    assert [a.orders.order_id(i) for i in range(300)] == [b.orders.order_id(i) for i in range(300)]
    assert a.orders.facts(5).buyer == b.orders.facts(5).buyer
    c = Sandbox(seed=12, orders=300, start=1.8e9)
    assert c.orders.order_id(0) != a.orders.order_id(0)
    assert all(a.orders.index_of(a.orders.order_id(i)) == i for i in range(300))
