"""Faithfulness to Amazon's models: every JSON response validates against its operation's
response schema, and every static sandbox example replays byte-for-byte in meaning."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from amazon_sandbox import defaults

from .conftest import SHARED, Amazon, shared_dir

MODELS = {
    "getOrders": ("orders-api-model/ordersV0.json", "get", "/orders/v0/orders"),
    "getOrder": ("orders-api-model/ordersV0.json", "get", "/orders/v0/orders/{orderId}"),
    "getOrderItems": (
        "orders-api-model/ordersV0.json",
        "get",
        "/orders/v0/orders/{orderId}/orderItems",
    ),
    "getOrderAddress": (
        "orders-api-model/ordersV0.json",
        "get",
        "/orders/v0/orders/{orderId}/address",
    ),
    "getOrderBuyerInfo": (
        "orders-api-model/ordersV0.json",
        "get",
        "/orders/v0/orders/{orderId}/buyerInfo",
    ),
    "confirmShipment": (
        "orders-api-model/ordersV0.json",
        "post",
        "/orders/v0/orders/{orderId}/shipmentConfirmation",
    ),
    "searchOrders": ("orders-api-model/orders_2026-01-01.json", "get", "/orders/2026-01-01/orders"),
    "getOrder2026": (
        "orders-api-model/orders_2026-01-01.json",
        "get",
        "/orders/2026-01-01/orders/{orderId}",
    ),
    "createRestrictedDataToken": (
        "tokens-api-model/tokens_2021-03-01.json",
        "post",
        "/tokens/2021-03-01/restrictedDataToken",
    ),
    "getMarketplaceParticipations": (
        "sellers-api-model/sellers.json",
        "get",
        "/sellers/v1/marketplaceParticipations",
    ),
    "getCatalogItem": (
        "catalog-items-api-model/catalogItems_2022-04-01.json",
        "get",
        "/catalog/2022-04-01/items/{asin}",
    ),
    "searchCatalogItems": (
        "catalog-items-api-model/catalogItems_2022-04-01.json",
        "get",
        "/catalog/2022-04-01/items",
    ),
    "getListingsItem": (
        "listings-items-api-model/listingsItems_2021-08-01.json",
        "get",
        "/listings/2021-08-01/items/{sellerId}/{sku}",
    ),
    "createFeedDocument": (
        "feeds-api-model/feeds_2021-06-30.json",
        "post",
        "/feeds/2021-06-30/documents",
    ),
    "getFeedDocument": (
        "feeds-api-model/feeds_2021-06-30.json",
        "get",
        "/feeds/2021-06-30/documents/{feedDocumentId}",
    ),
    "createFeed": ("feeds-api-model/feeds_2021-06-30.json", "post", "/feeds/2021-06-30/feeds"),
    "getFeed": ("feeds-api-model/feeds_2021-06-30.json", "get", "/feeds/2021-06-30/feeds/{feedId}"),
}


@cache
def model(rel: str) -> dict[str, Any]:
    return json.loads((shared_dir() / "spapi-models" / "models" / rel).read_text())  # type: ignore[no-any-return]


@cache
def validator(operation: str, status: int) -> jsonschema.Draft4Validator | None:
    """The response schema of (operation, status), its #/definitions refs resolvable."""
    rel, method, path = MODELS[operation]
    m = model(rel)
    schema = m["paths"][path][method]["responses"][str(status)].get("schema")
    if schema is None:
        return None
    return jsonschema.Draft4Validator({**schema, "definitions": m["definitions"]})


def check(operation: str, status: int, body: Any) -> None:
    """Validate a response body against the model's schema for (operation, status)."""
    v = validator(operation, status)
    if v is None:
        assert body in (None, b"", {}), f"{operation} {status} has no body in the model"
        return
    v.validate(body)


@pytest.fixture(scope="module")
def models_present() -> Path:
    return shared_dir()


def test_generated_orders_validate(amazon: Amazon, models_present: Path) -> None:
    everything = "BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES,CANCELLATION"
    token: str | None = None
    seen = 0
    while True:
        params: dict[str, Any] = {
            "lastUpdatedAfter": "2000-01-01T00:00:00Z",
            "includedData": everything,
            "maxResultsPerPage": 100,
        }
        if token:
            params["paginationToken"] = token
        r = amazon.get("/orders/2026-01-01/orders", **params)
        check("searchOrders", r.status_code, r.json())
        seen += len(r.json()["orders"])
        token = r.json().get("pagination", {}).get("nextToken")
        if not token:
            break
    assert seen > 100
    rdt = amazon.post(
        "/tokens/2021-03-01/restrictedDataToken",
        {
            "restrictedResources": [
                {
                    "method": "GET",
                    "path": "/orders/v0/orders",
                    "dataElements": ["buyerInfo", "shippingAddress"],
                },
                {
                    "method": "GET",
                    "path": "/orders/v0/orders/{orderId}",
                    "dataElements": ["buyerInfo", "shippingAddress"],
                },
                {"method": "GET", "path": "/orders/v0/orders/{orderId}/address"},
                {"method": "GET", "path": "/orders/v0/orders/{orderId}/buyerInfo"},
            ]
        },
    )
    check("createRestrictedDataToken", rdt.status_code, rdt.json())
    token_rdt = rdt.json()["restrictedDataToken"]
    r = amazon.get(
        "/orders/v0/orders",
        token=token_rdt,
        MarketplaceIds="APJ6JRA9NG5V4,A1PA6795UKMFR9,A1F83G8C2ARO7P",
        LastUpdatedAfter="2000-01-01T00:00:00Z",
    )
    check("getOrders", 200, r.json())
    for order in r.json()["payload"]["Orders"][:40]:
        oid = order["AmazonOrderId"]
        for op, suffix in (
            ("getOrder", ""),
            ("getOrderItems", "/orderItems"),
            ("getOrderAddress", "/address"),
            ("getOrderBuyerInfo", "/buyerInfo"),
        ):
            for token in (None, token_rdt):
                resp = amazon.get(f"/orders/v0/orders/{oid}{suffix}", token=token)
                check(op, resp.status_code, resp.json())
        resp = amazon.get(f"/orders/2026-01-01/orders/{oid}", includedData=everything)
        check("getOrder2026", resp.status_code, resp.json())


def test_errors_validate(amazon: Amazon, models_present: Path) -> None:
    r = amazon.get("/orders/2026-01-01/orders")
    check("searchOrders", 400, r.json())
    r = amazon.get("/orders/v0/orders/028-1111111-2222222")
    check("getOrder", 404, r.json())
    r = amazon.http.get("/orders/v0/orders/028-1111111-2222222")
    check("getOrder", 403, r.json())
    r = amazon.post("/orders/v0/orders/028-1111111-2222222/shipmentConfirmation", {})
    check("confirmShipment", 404, r.json())
    oid = amazon.unshipped_order(skip=12)["orderId"]
    r = amazon.post(
        f"/orders/v0/orders/{oid}/shipmentConfirmation", {"marketplaceId": "APJ6JRA9NG5V4"}
    )
    assert r.status_code == 400
    check("confirmShipment", 400, r.json())
    r = amazon.get("/orders/v0/orders", MarketplaceIds="APJ6JRA9NG5V4")
    check("getOrders", 400, r.json())
    r = amazon.get("/catalog/2022-04-01/items", marketplaceIds="APJ6JRA9NG5V4")
    check("searchCatalogItems", 400, r.json())
    r = amazon.post("/tokens/2021-03-01/restrictedDataToken", {"restrictedResources": []})
    check("createRestrictedDataToken", 400, r.json())


def test_sellers_catalog_listings_validate(amazon: Amazon, models_present: Path) -> None:
    r = amazon.get("/sellers/v1/marketplaceParticipations")
    check("getMarketplaceParticipations", 200, r.json())
    seller = defaults.SELLER_1.selling_partner_id
    for sku in amazon.sb.catalog.by_seller[seller][:20]:
        r = amazon.get(
            f"/catalog/2022-04-01/items/{sku.asin}",
            marketplaceIds="APJ6JRA9NG5V4",
            includedData="dimensions,summaries,identifiers,productTypes",
        )
        check("getCatalogItem", r.status_code, r.json())
        r = amazon.get(
            f"/listings/2021-08-01/items/{seller}/{sku.sku}",
            marketplaceIds="APJ6JRA9NG5V4",
            includedData="summaries,attributes,issues",
        )
        check("getListingsItem", r.status_code, r.json())
    r = amazon.get(
        "/catalog/2022-04-01/items",
        marketplaceIds="APJ6JRA9NG5V4",
        keywords="scarf,lamp",
        includedData="dimensions",
    )
    check("searchCatalogItems", r.status_code, r.json())
    assert r.json()["numberOfResults"] >= 2
    check(
        "getCatalogItem",
        404,
        amazon.get("/catalog/2022-04-01/items/B000000000", marketplaceIds="APJ6JRA9NG5V4").json(),
    )


# --- Amazon's static sandbox examples ------------------------------------------------------------
def examples() -> list[tuple[str, str, int, dict[str, Any], Any]]:
    path = SHARED / "spapi-models" / "sandbox_examples.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text())
    out = []
    for key, entry in data.items():
        method, template = key.split(" ", 1)
        if template not in {p for _, _, p in MODELS.values()} or (method.lower(), template) not in {
            (m, p) for _, m, p in MODELS.values()
        }:
            continue
        for n, ex in enumerate(entry["examples"]):
            params = {
                k: v["value"]
                for k, v in ex["request"]["parameters"].items()
                if isinstance(v, dict) and "value" in v
            }
            out.append(
                (
                    f"{entry['operationId']}-{ex['status']}-{n}",
                    key,
                    ex["status"],
                    params,
                    ex["response"],
                )
            )
    return out


PATH_PARAMS = ("orderId", "asin", "feedId", "feedDocumentId", "sellerId", "sku")


@pytest.mark.parametrize(
    ("case", "key", "status", "params", "response"),
    examples() or [pytest.param(None, None, None, None, None)],  # type: ignore[list-item]
    ids=[e[0] for e in examples()] or ["absent"],
)
def test_static_example_replays(
    amazon: Amazon,
    models_present: Path,
    case: str,
    key: str,
    status: int,
    params: dict[str, Any],
    response: Any,
) -> None:
    method, template = key.split(" ", 1)
    path = template
    for name in PATH_PARAMS:
        default = {"sellerId": defaults.STATIC_SELLER.selling_partner_id, "sku": "ANY-SKU"}.get(
            name, ""
        )
        path = path.replace("{" + name + "}", str(params.get(name, default)))
    query = {
        k: ",".join(map(str, v)) if isinstance(v, list) else str(v)
        for k, v in params.items()
        if k not in PATH_PARAMS and k != "body"
    }
    token = amazon.token(defaults.STATIC_SELLER)
    headers = {"x-amz-access-token": token}
    if method == "GET":
        r = amazon.http.get(path, params=query, headers=headers)
    else:
        r = amazon.http.request(
            method,
            path,
            params=query,
            headers={**headers, "content-type": "application/json"},
            content=json.dumps(params.get("body", {})),
        )
    assert r.status_code == status, r.text
    if status == 204:
        assert r.content == b""
    else:
        assert r.json() == response
