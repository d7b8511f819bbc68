"""The connector against the sandbox: every orders path (2026-01-01, v0 + RDT, MWS) returns
exactly the sandbox's ground truth; weights come from the catalog, then the listing."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pytest

from colis.integrations.models import Integration
from colis.integrations.registry import connector_for
from colis.marketplaces.amazon import mapping
from colis.marketplaces.amazon.connector import AmazonConnector
from tests.marketplaces.conftest import IT, SELLER_1, configure_colis, control

SELLER = SELLER_1.selling_partner_id
SINCE = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)


@pytest.fixture
def big(settings: Any, sandbox_factory: Any, db: Any) -> Any:
    sb = sandbox_factory(orders=1200, time_scale=1000)
    # MWS sends no x-amzn-RateLimit-Limit: tell colis the sandbox runs 1000x faster.
    configure_colis(settings, sb.url, COLIS_AMAZON_RATE_SCALE=1000)
    return sb


def truth(sb: Any, *, afn: bool = False, marketplace: str = IT) -> set[str]:
    out: set[str] = set()
    offset = 0
    while True:
        page = control(sb, "GET", f"orders?seller_id={SELLER}&limit=1000&offset={offset}")
        for order in page["orders"]:
            if order["salesChannel"]["marketplaceId"] != marketplace:
                continue
            if not afn and order["_sandbox"]["fulfillment_channel"] != "MFN":
                continue
            out.add(order["orderId"])
        if len(page["orders"]) < 1000:
            return out
        offset += 1000


def fetch_all(connector: AmazonConnector) -> tuple[list[Any], int]:
    orders: list[Any] = []
    token: str | None = None
    pages = 0
    while True:
        page = connector.fetch_orders_page(updated_after=SINCE, page_token=token)
        pages += 1
        assert not page.errors
        orders.extend(page.orders)
        token = page.next_token
        if not token:
            assert page.checkpoint is not None
            return orders, pages


def spapi(**kw: Any) -> AmazonConnector:
    return AmazonConnector(
        seller_id=SELLER,
        marketplace_id=IT,
        credentials={"refresh_token": SELLER_1.refresh_token},
        **kw,
    )


def ops(sb: Any) -> dict[str, Any]:
    return control(sb, "GET", "calls?limit=0")["operations"]


def test_orders_2026_pages_through_exactly_the_mfn_orders(big: Any) -> None:
    orders, pages = fetch_all(spapi())
    assert pages >= 2
    ids = [o.external_id for o in orders]
    assert len(ids) == len(set(ids))
    assert set(ids) == truth(big)
    assert all(not o.fulfilled_by_marketplace for o in orders)
    shippable = [o for o in orders if o.status == "unshipped"]
    assert shippable and all(o.recipient and o.recipient.name for o in shippable)  # PII roles
    assert ops(big)["searchOrders"]["statuses"] == {"200": pages}


def test_orders_2026_with_afn(big: Any) -> None:
    orders, _ = fetch_all(spapi(import_afn=True))
    assert {o.external_id for o in orders} == truth(big, afn=True)
    assert any(o.fulfilled_by_marketplace for o in orders)


def test_orders_v0_with_restricted_data_token(big: Any, settings: Any) -> None:
    settings.COLIS_AMAZON_ORDERS_API = "v0"
    orders, _ = fetch_all(spapi())
    assert {o.external_id for o in orders} == truth(big)
    calls = ops(big)
    assert calls["getOrderItems"]["count"] == len(orders)
    assert calls["createRestrictedDataToken"]["count"] == 1  # one token for every page
    unshipped = [o for o in orders if o.status == "unshipped"]
    assert unshipped and all(
        o.recipient and o.recipient.name and o.recipient.line1 for o in unshipped
    )


def test_orders_v0_without_pii_roles_asks_no_token(big: Any, settings: Any) -> None:
    settings.COLIS_AMAZON_ORDERS_API = "v0"
    settings.COLIS_AMAZON_PII_ROLES = False
    orders, _ = fetch_all(spapi())
    assert "createRestrictedDataToken" not in ops(big)
    assert all(not (o.recipient and o.recipient.name) for o in orders)


def test_orders_mws(big: Any) -> None:
    connector = AmazonConnector(
        seller_id=SELLER, marketplace_id=IT, credentials={"mws_auth_token": SELLER_1.mws_auth_token}
    )
    orders, pages = fetch_all(connector)
    assert pages >= 2
    assert {o.external_id for o in orders} == truth(big)


def test_weights_from_catalog_then_listing(amazon: Any) -> None:
    skus = control(amazon, "GET", f"skus?seller_id={SELLER}")["skus"]
    found = spapi().fetch_weights(skus={s["sku"]: s["asin"] for s in skus})
    for s in skus:
        weight = found.get(s["sku"])
        if s["catalog_weight"]:
            raw = s["catalog_weight"]
            assert weight is not None and weight.source == "amazon_catalog"
            assert weight.grams == mapping.to_grams(raw["value"], raw["unit"])
        elif s["listing_weight"]:
            raw = s["listing_weight"]
            assert weight is not None and weight.source == "amazon_listing"
            assert weight.grams == mapping.to_grams(raw["value"], raw["unit"])
        else:
            assert weight is None
    calls = ops(amazon)
    assert calls["searchCatalogItems"]["count"] == math.ceil(len({s["asin"] for s in skus}) / 20)
    assert "getCatalogItem" not in calls
    assert all(isinstance(w.grams, Decimal) for w in found.values())


def test_connector_for_goes_through_the_entry_point(amazon: Any, user: Any) -> None:
    integration = Integration.objects.create(
        account=user.account,
        name="Bottega IT",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER,
        marketplace_id=IT,
        region="EU",
        credentials={"refresh_token": SELLER_1.refresh_token},  # type: ignore[misc]
    )
    connector = connector_for(integration)
    assert isinstance(connector, AmazonConnector)
    page = connector.fetch_orders_page(updated_after=SINCE, page_token=None)
    assert page.orders


def test_v0_restricted_data_token_is_renewed_when_amazon_lets_it_lapse(
    settings: Any, sandbox_factory: Any, db: Any
) -> None:
    amazon = sandbox_factory(time_scale=1000)
    configure_colis(settings, amazon.url, COLIS_AMAZON_ORDERS_API="v0")
    connector = spapi()
    first = connector.fetch_orders_page(updated_after=SINCE, page_token=None)
    control(amazon, "POST", "clock", advance_seconds=3700)  # the RDT (and access token) lapse
    again = connector.fetch_orders_page(updated_after=SINCE, page_token=None)
    assert {o.external_id for o in again.orders} >= {o.external_id for o in first.orders}
    # The lapsed access token is refused once (403) and renewed; two tokens were minted.
    assert ops(amazon)["createRestrictedDataToken"]["statuses"]["200"] == 2


def test_orders_2026_without_pii_roles_ask_no_recipient(big: Any, settings: Any) -> None:
    settings.COLIS_AMAZON_PII_ROLES = False
    page = spapi().fetch_orders_page(updated_after=SINCE, page_token=None)
    assert page.orders and all(o.recipient is None and not o.buyer_name for o in page.orders)
