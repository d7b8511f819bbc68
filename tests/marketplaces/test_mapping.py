"""mapping.py: Amazon documents -> port dataclasses (pure), with property tests."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from colis.integrations.errors import OrderMappingError
from colis.integrations.ports import OrderStatus
from colis.marketplaces.amazon import mapping

DE = "A1PA6795UKMFR9"

ORDER_2026: dict[str, Any] = {
    "orderId": "302-1234567-1234567",
    "createdTime": "2026-11-20T08:00:00Z",
    "lastUpdatedTime": "2026-11-20T09:00:00Z",
    "programs": ["PRIME", "AMAZON_BUSINESS"],
    "salesChannel": {"channelName": "AMAZON", "marketplaceId": DE, "marketplaceName": "Amazon.de"},
    "buyer": {"buyerName": "Erika Muster", "buyerEmail": "x@marketplace.amazon.de"},
    "recipient": {
        "deliveryAddress": {
            "name": "Erika Muster",
            "addressLine1": "Hauptstr. 1",
            "city": "Berlin",
            "postalCode": "10115",
            "countryCode": "DE",
            "phone": "+49 30 1",
        }
    },
    "proceeds": {"grandTotal": {"amount": "49.80", "currencyCode": "EUR"}},
    "fulfillment": {
        "fulfillmentStatus": "UNSHIPPED",
        "fulfilledBy": "MERCHANT",
        "fulfillmentServiceLevel": "STANDARD",
        "shipByWindow": {
            "earliestDateTime": "2026-11-20T00:00:00Z",
            "latestDateTime": "2026-11-21T23:59:59Z",
        },
        "deliverByWindow": {
            "earliestDateTime": "2026-11-22T00:00:00Z",
            "latestDateTime": "2026-11-25T23:59:59Z",
        },
    },
    "orderItems": [
        {
            "orderItemId": "11111111111111",
            "quantityOrdered": 2,
            "product": {
                "asin": "B000000001",
                "title": "Cup",
                "sellerSku": "CUP-1",
                "price": {"unitPrice": {"amount": "24.90", "currencyCode": "EUR"}},
            },
            "fulfillment": {"quantityFulfilled": 0, "quantityUnfulfilled": 2},
            "cancellation": {
                "cancellationRequest": {"requester": "BUYER", "cancelReason": "changed mind"}
            },
        }
    ],
}

ORDER_V0: dict[str, Any] = {
    "AmazonOrderId": "028-1234567-1234567",
    "PurchaseDate": "2026-11-20T08:00:00Z",
    "LastUpdateDate": "2026-11-20T09:00:00Z",
    "OrderStatus": "PartiallyShipped",
    "FulfillmentChannel": "AFN",
    "MarketplaceId": DE,
    "ShipServiceLevel": "Std DE Dom",
    "OrderTotal": {"CurrencyCode": "EUR", "Amount": "30.00"},
    "LatestShipDate": "2026-11-21T23:59:59Z",
    "EarliestShipDate": "2026-11-20T00:00:00Z",
    "IsPrime": True,
    "IsBusinessOrder": False,
    "ShippingAddress": {"City": "Köln", "PostalCode": "50667", "CountryCode": "DE"},
}
ITEMS_V0 = [
    {
        "OrderItemId": "2",
        "SellerSKU": "MUG-2",
        "ASIN": "B0002",
        "QuantityOrdered": 3,
        "QuantityShipped": 1,
        "ItemPrice": {"CurrencyCode": "EUR", "Amount": "30.00"},
        "BuyerRequestedCancel": {"IsBuyerRequestedCancel": "true", "BuyerCancelReason": "late"},
    }
]


def test_order_2026_maps_every_field() -> None:
    order = mapping.order_from_2026(ORDER_2026)
    assert order.external_id == "302-1234567-1234567"
    assert order.status is OrderStatus.UNSHIPPED and order.marketplace_status == "UNSHIPPED"
    assert order.is_prime and order.is_business and not order.fulfilled_by_marketplace
    assert order.ship_by == dt.datetime(2026, 11, 21, 23, 59, 59, tzinfo=dt.UTC)
    assert order.deliver_by == dt.datetime(2026, 11, 25, 23, 59, 59, tzinfo=dt.UTC)
    assert order.order_total == Decimal("49.80") and order.currency == "EUR"
    assert order.recipient is not None and order.recipient.city == "Berlin"
    assert order.buyer_email == "x@marketplace.amazon.de"
    item = order.items[0]
    assert (item.sku, item.quantity, item.unit_price) == ("CUP-1", 2, Decimal("24.90"))
    assert item.buyer_cancel_requested and order.buyer_cancel_requested


def test_order_v0_maps_afn_partial_and_buyer_cancel() -> None:
    order = mapping.order_from_v0(ORDER_V0, ITEMS_V0)
    assert order.status is OrderStatus.PARTIALLY_SHIPPED
    assert order.fulfilled_by_marketplace and order.is_prime and not order.is_business
    assert order.items[0].unit_price == Decimal("10.00")  # v0 ItemPrice is the line total
    assert order.items[0].quantity_shipped == 1
    assert order.buyer_cancel_requested
    assert order.recipient is not None and order.recipient.name == ""  # no RDT: no PII


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Pending", OrderStatus.PENDING),
        ("PendingAvailability", OrderStatus.PENDING),
        ("Unshipped", OrderStatus.UNSHIPPED),
        ("Shipped", OrderStatus.SHIPPED),
        ("InvoiceUnconfirmed", OrderStatus.SHIPPED),
        ("Canceled", OrderStatus.CANCELLED),
        ("Unfulfillable", OrderStatus.UNFULFILLABLE),
    ],
)
def test_v0_statuses(status: str, expected: OrderStatus) -> None:
    assert mapping.order_from_v0({**ORDER_V0, "OrderStatus": status}, ITEMS_V0).status is expected


def test_unknown_marketplace_zero_quantity_and_unknown_status_are_typed_errors() -> None:
    with pytest.raises(OrderMappingError) as exc:
        mapping.order_from_2026({**ORDER_2026, "salesChannel": {"marketplaceId": "XXXX"}})
    assert exc.value.order_id == "302-1234567-1234567" and exc.value.code == "unknown_marketplace"
    bad = copy.deepcopy(ORDER_2026)
    bad["orderItems"][0]["quantityOrdered"] = 0
    with pytest.raises(OrderMappingError) as exc:
        mapping.order_from_2026(bad)
    assert exc.value.code == "bad_quantity"
    with pytest.raises(OrderMappingError) as exc:
        mapping.order_from_v0({**ORDER_V0, "OrderStatus": "Teleported"}, ITEMS_V0)
    assert exc.value.code == "unknown_status" and exc.value.order_id == "028-1234567-1234567"


def test_cancelled_order_may_have_zero_quantity() -> None:
    items = [{**ITEMS_V0[0], "QuantityOrdered": 0, "QuantityShipped": 0}]
    order = mapping.order_from_v0({**ORDER_V0, "OrderStatus": "Canceled"}, items)
    assert order.status is OrderStatus.CANCELLED


def test_page_keeps_good_orders_and_reports_bad_ones() -> None:
    bad = {**ORDER_2026, "orderId": "302-0000000-0000000", "createdTime": "yesterday"}
    orders, errors, token, checkpoint = mapping.orders_page_2026(
        {
            "orders": [ORDER_2026, bad],
            "pagination": {"nextToken": "abc"},
            "lastUpdatedBefore": "2026-11-27T10:00:00Z",
        }
    )
    assert [o.external_id for o in orders] == ["302-1234567-1234567"]
    assert [e.order_id for e in errors] == ["302-0000000-0000000"]
    assert token == "abc" and checkpoint == dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)


def test_mws_xml_orders_and_items() -> None:
    ns = "https://mws.amazonservices.com/Orders/2013-09-01"
    xml = f"""<ListOrdersResponse xmlns="{ns}"><ListOrdersResult><NextToken>tok</NextToken>
      <LastUpdatedBefore>2026-11-27T10:00:00Z</LastUpdatedBefore><Orders><Order>
      <AmazonOrderId>028-1</AmazonOrderId><PurchaseDate>2026-11-20T08:00:00Z</PurchaseDate>
      <LastUpdateDate>2026-11-20T09:00:00Z</LastUpdateDate><OrderStatus>Unshipped</OrderStatus>
      <FulfillmentChannel>MFN</FulfillmentChannel><MarketplaceId>{DE}</MarketplaceId>
      <IsPrime>true</IsPrime><PaymentMethodDetails><PaymentMethodDetail>Standard</PaymentMethodDetail></PaymentMethodDetails>
      <ShippingAddress><Name>Erika</Name><City>Berlin</City><CountryCode>DE</CountryCode></ShippingAddress>
      </Order></Orders></ListOrdersResult></ListOrdersResponse>"""
    orders, token, checkpoint = mapping.orders_list_mws(etree.fromstring(xml.encode()))
    assert token == "tok" and checkpoint is not None
    items_xml = f"""<ListOrderItemsResponse xmlns="{ns}"><ListOrderItemsResult><OrderItems><OrderItem>
      <OrderItemId>9</OrderItemId><SellerSKU>S</SellerSKU><QuantityOrdered>2</QuantityOrdered>
      <QuantityShipped>0</QuantityShipped><ItemPrice><CurrencyCode>EUR</CurrencyCode><Amount>5.00</Amount></ItemPrice>
      </OrderItem></OrderItems></ListOrderItemsResult></ListOrderItemsResponse>"""
    items, _ = mapping.order_items_mws(etree.fromstring(items_xml.encode()))
    order = mapping.order_from_v0(orders[0], items)
    assert order.is_prime and order.recipient is not None and order.recipient.name == "Erika"
    assert order.items[0].quantity == 2 and order.items[0].unit_price == Decimal("2.50")


def test_participations_keep_known_marketplaces() -> None:
    body = {
        "payload": [
            {
                "marketplace": {
                    "id": DE,
                    "countryCode": "DE",
                    "name": "Amazon.de",
                    "defaultCurrencyCode": "EUR",
                },
                "participation": {"isParticipating": True},
            },
            {"marketplace": {"id": "A2ZV50J4W1RKNI", "name": "Non-Amazon"}, "participation": {}},
        ]
    }
    (only,) = mapping.participations_spapi(body)
    assert (only.marketplace_id, only.country_code, only.currency) == (DE, "DE", "EUR")


# --- weights ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "unit", "grams"),
    [
        (1, "pounds", Decimal("453.59237")),
        ("2", "ounces", Decimal("56.699046250")),
        (1.5, "kilograms", Decimal("1500.0")),
        ("250", "grams", Decimal("250")),
    ],
)
def test_to_grams_exact(value: Any, unit: str, grams: Decimal) -> None:
    assert mapping.to_grams(value, unit) == grams


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (0, "grams"),
        (-1, "kilograms"),
        (70.001, "kilograms"),
        ("abc", "grams"),
        (1, "stones"),
        (True, "grams"),
        (None, "grams"),
        ("NaN", "grams"),
        ("Infinity", "kilograms"),
    ],
)
def test_absurd_weights_are_rejected(value: Any, unit: str) -> None:
    with pytest.raises(mapping.WeightError):
        mapping.to_grams(value, unit)


@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("150"), places=3),
    st.sampled_from(["pounds", "ounces", "kilograms", "grams"]),
)
def test_conversion_is_exact_and_bounded(value: Decimal, unit: str) -> None:
    factor = {
        "pounds": Decimal("453.59237"),
        "ounces": Decimal("28.349523125"),
        "kilograms": Decimal(1000),
        "grams": Decimal(1),
    }[unit]
    expected = value * factor
    if 0 < expected <= 70_000:
        assert mapping.to_grams(str(value), unit) == expected
        assert mapping.to_grams(str(value), unit.upper()) == expected
    else:
        with pytest.raises(mapping.WeightError):
            mapping.to_grams(str(value), unit)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("150"), places=2))
def test_sixteen_ounces_are_a_pound(pounds: Decimal) -> None:
    try:
        assert mapping.to_grams(pounds * 16, "ounces") == mapping.to_grams(pounds, "pounds")
    except mapping.WeightError:
        with pytest.raises(mapping.WeightError):
            mapping.to_grams(pounds, "pounds")


def test_weight_sources() -> None:
    item = {
        "asin": "B1",
        "dimensions": [
            {"marketplaceId": DE, "package": {"weight": {"unit": "pounds", "value": 2}}}
        ],
    }
    assert mapping.weight_from_catalog(item, marketplace_id=DE) == (2, "pounds")
    assert (
        mapping.weight_from_catalog({"asin": "B1", "dimensions": [{"marketplaceId": DE}]}) is None
    )
    listing = {
        "attributes": {
            "item_package_weight": [{"unit": "grams", "value": 300, "marketplace_id": DE}]
        }
    }
    assert mapping.weight_from_listing(listing, marketplace_id=DE) == (300, "grams")
    assert mapping.weight_from_listing({"attributes": {}}) is None


# --- malformed documents: the typed error, never anything else -------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _mutations(doc: Any) -> st.SearchStrategy[Any]:
    """Replace one value anywhere in `doc` with an arbitrary JSON value, or drop a key."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(doc, ())

    def apply(path: tuple[Any, ...], value: Any, drop: bool) -> Any:
        if not path:
            return value
        new = copy.deepcopy(doc)
        parent = new
        for key in path[:-1]:
            parent = parent[key]
        if drop and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = value
        return new

    return st.builds(apply, st.sampled_from(paths), json_values, st.booleans())


@settings(max_examples=300, deadline=None)
@given(_mutations(ORDER_2026))
def test_malformed_2026_orders_raise_only_the_typed_error(doc: Any) -> None:
    try:
        order = mapping.order_from_2026(doc)
    except OrderMappingError:
        return
    assert order.items and all(i.quantity >= 0 for i in order.items)


@settings(max_examples=300, deadline=None)
@given(_mutations(ORDER_V0), _mutations(ITEMS_V0))
def test_malformed_v0_orders_raise_only_the_typed_error(doc: Any, items: Any) -> None:
    try:
        mapping.order_from_v0(doc, items)
    except OrderMappingError:
        return


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_pages_raise_only_the_typed_error(body: Any) -> None:
    for reader in (
        mapping.orders_page_2026,
        mapping.orders_list_v0,
        mapping.participations_spapi,
        mapping.order_items_v0,
    ):
        with contextlib.suppress(OrderMappingError):
            reader(body)


@settings(max_examples=200, deadline=None)
@given(json_values, json_values)
def test_arbitrary_weights_raise_only_weight_error(value: Any, unit: Any) -> None:
    try:
        grams = mapping.to_grams(value, unit)
    except mapping.WeightError:
        return
    assert 0 < grams <= 70_000


def test_v0_address_and_buyer_answers() -> None:
    address = mapping.address_v0(
        {
            "payload": {
                "AmazonOrderId": "028-1",
                "BuyerCompanyName": "Muster GmbH",
                "ShippingAddress": {
                    "Name": "Erika",
                    "AddressLine1": "Hauptstr. 1",
                    "City": "Berlin",
                    "PostalCode": "10115",
                    "CountryCode": "de",
                    "Phone": "+49 30 1",
                },
            }
        }
    )
    assert address is not None
    assert (address.name, address.company, address.country_code) == ("Erika", "Muster GmbH", "DE")
    assert mapping.buyer_v0(
        {
            "payload": {
                "AmazonOrderId": "028-1",
                "BuyerName": "Erika",
                "BuyerEmail": "e@marketplace.amazon.de",
            }
        }
    ) == ("Erika", "e@marketplace.amazon.de")
    with pytest.raises(OrderMappingError):
        mapping.address_v0({"payload": "nope"})
