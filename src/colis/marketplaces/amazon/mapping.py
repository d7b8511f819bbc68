"""Amazon documents -> colis' port dataclasses. Pure: no I/O, no database, no clock.

Orders 2026-01-01 (searchOrders / getOrder), Orders v0 (getOrders, getOrderItems,
getOrderAddress, getOrderBuyerInfo), MWS ListOrders / ListOrderItems XML, Sellers
participations (SP-API JSON and MWS XML), Catalog Items `dimensions` and Listings Items
`item_package_weight`.

Every malformed document raises `OrderMappingError` (or `WeightError`), carrying the order
id where there is one, so the import records a visible error for that order and goes on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from colis.integrations.errors import OrderMappingError
from colis.integrations.ports import (
    MarketplaceParticipation,
    OrderData,
    OrderItemData,
    OrderStatus,
    PostalAddress,
)
from colis.marketplaces.amazon.config import MARKETPLACES

# --- weights ----------------------------------------------------------------------------------
GRAMS_PER_UNIT: dict[str, Decimal] = {
    "grams": Decimal(1),
    "gram": Decimal(1),
    "g": Decimal(1),
    "kilograms": Decimal(1000),
    "kilogram": Decimal(1000),
    "kg": Decimal(1000),
    "milligrams": Decimal("0.001"),
    "mg": Decimal("0.001"),
    "pounds": Decimal("453.59237"),
    "pound": Decimal("453.59237"),
    "lb": Decimal("453.59237"),
    "lbs": Decimal("453.59237"),
    "ounces": Decimal("28.349523125"),
    "ounce": Decimal("28.349523125"),
    "oz": Decimal("28.349523125"),
}
MAX_GRAMS = Decimal(70_000)  # a parcel over 70 kg is a data error, not a parcel


class WeightError(OrderMappingError):
    """A weight that cannot be used: unknown unit, unparsable, <= 0 or over 70 kg."""

    def __init__(self, message: str, *, sku: str = "", order_id: str = "") -> None:
        super().__init__(message, order_id=order_id, code="bad_weight")
        self.sku = sku


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return number if number.is_finite() else None


def to_grams(value: Any, unit: Any, *, sku: str = "") -> Decimal:
    """Convert exactly (Decimal) to grams; reject what cannot be a parcel's weight."""
    if not isinstance(unit, str) or unit.strip().lower() not in GRAMS_PER_UNIT:
        raise WeightError(f"Unknown weight unit {str(unit)[:20]!r}.", sku=sku)
    number = _decimal(value)
    if number is None:
        raise WeightError(f"Unreadable weight value {str(value)[:20]!r}.", sku=sku)
    grams = number * GRAMS_PER_UNIT[unit.strip().lower()]
    if grams <= 0:
        raise WeightError("A weight must be above zero.", sku=sku)
    if grams > MAX_GRAMS:
        raise WeightError("A weight above 70 kg cannot be right.", sku=sku)
    return grams


def weight_from_catalog(item: Any, *, marketplace_id: str = "") -> tuple[Any, Any] | None:
    """(value, unit) from a Catalog Items 2022-04-01 item's `dimensions`: the package weight,
    else the item weight, preferring the given marketplace. None when there is none."""
    if not isinstance(item, Mapping):
        return None
    dims = item.get("dimensions")
    if not isinstance(dims, list):
        return None
    ordered = sorted(
        (d for d in dims if isinstance(d, Mapping)),
        key=lambda d: d.get("marketplaceId") != marketplace_id,
    )
    for part in ("package", "item"):
        for entry in ordered:
            weight = (
                (entry.get(part) or {}).get("weight")
                if isinstance(entry.get(part), Mapping)
                else None
            )
            if isinstance(weight, Mapping) and "value" in weight:
                return weight.get("value"), weight.get("unit")
    return None


def weight_from_listing(body: Any, *, marketplace_id: str = "") -> tuple[Any, Any] | None:
    """(value, unit) from a Listings Items getListingsItem answer's `item_package_weight`."""
    if not isinstance(body, Mapping):
        return None
    attributes = body.get("attributes")
    if not isinstance(attributes, Mapping):
        return None
    values = attributes.get("item_package_weight")
    if not isinstance(values, list):
        return None
    entries = sorted(
        (v for v in values if isinstance(v, Mapping)),
        key=lambda v: v.get("marketplace_id") not in (marketplace_id, None),
    )
    for entry in entries:
        if "value" in entry:
            return entry.get("value"), entry.get("unit")
    return None


# --- statuses ---------------------------------------------------------------------------------
V0_STATUS = {
    "PendingAvailability": OrderStatus.PENDING,
    "Pending": OrderStatus.PENDING,
    "Unshipped": OrderStatus.UNSHIPPED,
    "PartiallyShipped": OrderStatus.PARTIALLY_SHIPPED,
    "Shipped": OrderStatus.SHIPPED,
    "InvoiceUnconfirmed": OrderStatus.SHIPPED,
    "Canceled": OrderStatus.CANCELLED,
    "Unfulfillable": OrderStatus.UNFULFILLABLE,
}
V2026_STATUS = {
    "PENDING_AVAILABILITY": OrderStatus.PENDING,
    "PENDING": OrderStatus.PENDING,
    "UNSHIPPED": OrderStatus.UNSHIPPED,
    "PARTIALLY_SHIPPED": OrderStatus.PARTIALLY_SHIPPED,
    "SHIPPED": OrderStatus.SHIPPED,
    "CANCELLED": OrderStatus.CANCELLED,
    "UNFULFILLABLE": OrderStatus.UNFULFILLABLE,
}


# --- small readers ----------------------------------------------------------------------------
class _Reader:
    """Typed access to one order's document; every failure names the order."""

    def __init__(self, order_id: str) -> None:
        self.order_id = order_id

    def fail(self, message: str, code: str = "malformed_order") -> OrderMappingError:
        return OrderMappingError(message, order_id=self.order_id, code=code)

    def obj(self, value: Any, what: str, *, required: bool = False) -> Mapping[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(f"Amazon's order document has no readable {what}.")
        return value

    def text(self, value: Any, what: str = "", *, required: bool = False, limit: int = 500) -> str:
        if value is None or value == "":
            if required:
                raise self.fail(f"Amazon's order document lacks {what}.")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(f"Amazon's order document has an unreadable {what}.")
        return str(value)[:limit]

    def when(self, value: Any, what: str, *, required: bool = False) -> dt.datetime | None:
        if value is None or value == "":
            if required:
                raise self.fail(f"Amazon's order document lacks {what}.")
            return None
        if not isinstance(value, str):
            raise self.fail(f"Amazon's order document has an unreadable {what}.")
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(f"Amazon's order document has an unreadable {what}.") from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed

    def flag(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value.strip().lower() == "true"
        return False

    def quantity(self, value: Any, what: str, *, allow_zero: bool) -> int:
        if isinstance(value, bool):
            raise self.fail(f"Unreadable {what}.", "bad_quantity")
        try:
            number = int(str(value).strip()) if isinstance(value, str | int) else None
        except ValueError:
            number = None
        if number is None or isinstance(value, float):
            raise self.fail(f"Unreadable {what}.", "bad_quantity")
        if number < 0 or (number == 0 and not allow_zero):
            raise self.fail(f"The {what} of an order item must be above zero.", "bad_quantity")
        return number

    def money(self, value: Any, what: str) -> Decimal | None:
        if value is None or value == "":
            return None
        number = _decimal(value)
        if number is None:
            raise self.fail(f"Amazon's order document has an unreadable {what}.")
        # Order amounts are stored with 12 digits (10 before the point): anything larger is
        # not a real order amount, and would overflow the column or the unit-price division.
        if abs(number) >= MAX_AMOUNT:
            raise self.fail(f"Amazon's order document has an implausible {what}.")
        return number

    def marketplace(self, value: Any) -> str:
        mid = self.text(value, "marketplace", required=True)
        if mid not in MARKETPLACES:
            raise self.fail(f"Unknown Amazon marketplace {mid[:20]!r}.", "unknown_marketplace")
        return mid


MAX_AMOUNT = Decimal(10) ** 10


def _order_id(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()[:64]
    raise OrderMappingError("An Amazon order without an order id.", code="malformed_order")


# --- Orders 2026-01-01 ------------------------------------------------------------------------
def _address(r: _Reader, value: Any, *, what: str, capitalised: bool) -> PostalAddress | None:
    """A recipient address: 2026-01-01 spells its keys camelCase, v0 and MWS PascalCase."""
    if value is None:
        return None
    a = r.obj(value, what)

    def get(key: str) -> Any:
        return a.get(key[0].upper() + key[1:] if capitalised else key)

    return PostalAddress(
        name=r.text(get("name"), "recipient name"),
        company=r.text(get("companyName"), "company"),
        line1=r.text(get("addressLine1"), "address line"),
        line2=r.text(get("addressLine2"), "address line"),
        line3=r.text(get("addressLine3"), "address line"),
        city=r.text(get("city"), "city", limit=100),
        postal_code=r.text(get("postalCode"), "postal code", limit=20),
        region=r.text(get("stateOrRegion"), "region", limit=100),
        country_code=r.text(get("countryCode"), "country", limit=2).upper(),
        phone=r.text(get("phone"), "phone", limit=40),
    )


def _address_2026(r: _Reader, value: Any) -> PostalAddress | None:
    return _address(r, value, what="delivery address", capitalised=False)


def order_from_2026(doc: Any) -> OrderData:
    """One Orders 2026-01-01 `Order` (needs includedData FULFILLMENT for status and dates)."""
    if not isinstance(doc, Mapping):
        raise OrderMappingError("An Amazon order that is not an object.", code="malformed_order")
    r = _Reader(_order_id(doc.get("orderId")))
    channel = r.obj(doc.get("salesChannel"), "sales channel", required=True)
    marketplace_id = r.marketplace(channel.get("marketplaceId"))
    fulfillment = r.obj(doc.get("fulfillment"), "fulfillment", required=True)
    raw_status = r.text(fulfillment.get("fulfillmentStatus"), "status", required=True)
    if raw_status not in V2026_STATUS:
        raise r.fail(f"Unknown Amazon order status {raw_status[:30]!r}.", "unknown_status")
    status = V2026_STATUS[raw_status]
    programs = doc.get("programs") or []
    if not isinstance(programs, list):
        raise r.fail("Amazon's order document has unreadable programs.")
    ship = r.obj(fulfillment.get("shipByWindow"), "ship-by window")
    deliver = r.obj(fulfillment.get("deliverByWindow"), "delivery window")
    raw_items = doc.get("orderItems")
    if not isinstance(raw_items, list):
        raise r.fail("Amazon's order document has no items list.")
    items = []
    for raw in raw_items:
        it = r.obj(raw, "order item", required=True)
        product = r.obj(it.get("product"), "product")
        price = r.obj(r.obj(product.get("price"), "price").get("unitPrice"), "unit price")
        item_fulfillment = r.obj(it.get("fulfillment"), "item fulfillment")
        cancel = r.obj(
            r.obj(it.get("cancellation"), "cancellation").get("cancellationRequest"),
            "cancellation request",
        )
        items.append(
            OrderItemData(
                external_id=r.text(it.get("orderItemId"), "order item id", required=True, limit=64),
                sku=r.text(product.get("sellerSku"), "SKU", required=True, limit=100),
                quantity=r.quantity(
                    it.get("quantityOrdered"),
                    "quantity",
                    allow_zero=status == OrderStatus.CANCELLED,
                ),
                quantity_shipped=r.quantity(
                    item_fulfillment.get("quantityFulfilled", 0),
                    "shipped quantity",
                    allow_zero=True,
                ),
                asin=r.text(product.get("asin"), "ASIN", limit=20),
                title=r.text(product.get("title"), "title"),
                unit_price=r.money(price.get("amount"), "price"),
                currency=r.text(price.get("currencyCode"), "currency", limit=3),
                buyer_cancel_requested=bool(cancel) and cancel.get("requester", "BUYER") == "BUYER",
                buyer_cancel_reason=r.text(cancel.get("cancelReason"), "cancel reason", limit=200),
            )
        )
    if not items:
        raise r.fail("An Amazon order without items.")
    buyer = r.obj(doc.get("buyer"), "buyer")
    recipient = r.obj(doc.get("recipient"), "recipient")
    total = r.obj(r.obj(doc.get("proceeds"), "proceeds").get("grandTotal"), "total")
    purchased = r.when(doc.get("createdTime"), "purchase date", required=True)
    updated = r.when(doc.get("lastUpdatedTime"), "last update", required=True)
    assert purchased is not None and updated is not None
    return OrderData(
        external_id=r.order_id,
        marketplace_id=marketplace_id,
        status=status,
        marketplace_status=raw_status,
        purchased_at=purchased,
        last_updated_at=updated,
        items=tuple(items),
        fulfilled_by_marketplace=fulfillment.get("fulfilledBy") == "AMAZON",
        is_prime="PRIME" in programs,
        is_business="AMAZON_BUSINESS" in programs,
        ship_by=r.when(ship.get("latestDateTime"), "ship-by date"),
        ship_from=r.when(ship.get("earliestDateTime"), "ship date"),
        deliver_from=r.when(deliver.get("earliestDateTime"), "delivery date"),
        deliver_by=r.when(deliver.get("latestDateTime"), "delivery date"),
        ship_service_level=r.text(
            fulfillment.get("fulfillmentServiceLevel"), "service level", limit=100
        ),
        buyer_name=r.text(buyer.get("buyerName"), "buyer name"),
        buyer_email=r.text(buyer.get("buyerEmail"), "buyer e-mail"),
        recipient=_address_2026(r, recipient.get("deliveryAddress")),
        order_total=r.money(total.get("amount"), "order total"),
        currency=r.text(total.get("currencyCode"), "currency", limit=3),
    )


def _page_token(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _checkpoint(value: Any) -> dt.datetime | None:
    try:
        return _Reader("").when(value, "checkpoint")
    except OrderMappingError:
        return None


def orders_page_2026(
    body: Any,
) -> tuple[list[OrderData], list[OrderMappingError], str | None, dt.datetime | None]:
    """searchOrders -> (orders, per-order errors, next token, checkpoint)."""
    if not isinstance(body, Mapping) or not isinstance(body.get("orders"), list):
        raise OrderMappingError("Amazon's order list is unreadable.", code="malformed_page")
    orders, errors = _map_each(body["orders"], order_from_2026)
    pagination = body.get("pagination")
    token = _page_token(pagination.get("nextToken")) if isinstance(pagination, Mapping) else None
    return (
        orders,
        errors,
        token,
        _checkpoint(body.get("lastUpdatedBefore") or body.get("createdBefore")),
    )


def _map_each(docs: Iterable[Any], mapper: Any) -> tuple[list[OrderData], list[OrderMappingError]]:
    orders: list[OrderData] = []
    errors: list[OrderMappingError] = []
    for doc in docs:
        try:
            orders.append(mapper(doc))
        except OrderMappingError as exc:
            errors.append(exc)
    return orders, errors


# --- Orders v0 (and MWS, whose XML has the same names) ------------------------------------------
def _address_v0(r: _Reader, value: Any) -> PostalAddress | None:
    return _address(r, value, what="shipping address", capitalised=True)


def order_items_v0(body: Any) -> list[Mapping[str, Any]]:
    """getOrderItems -> the raw items (joined to their order by `order_from_v0`)."""
    payload = body.get("payload") if isinstance(body, Mapping) else None
    items = payload.get("OrderItems") if isinstance(payload, Mapping) else None
    if not isinstance(items, list):
        order_id = payload.get("AmazonOrderId", "") if isinstance(payload, Mapping) else ""
        raise OrderMappingError(
            "Amazon's order item list is unreadable.",
            order_id=str(order_id),
            code="malformed_order",
        )
    return items


def address_v0(body: Any) -> PostalAddress | None:
    """getOrderAddress -> the shipping address (full only with a Restricted Data Token)."""
    payload = body.get("payload") if isinstance(body, Mapping) else None
    r = _Reader(str(payload.get("AmazonOrderId", "")) if isinstance(payload, Mapping) else "")
    data = r.obj(payload, "address answer", required=True)
    address = _address_v0(r, data.get("ShippingAddress"))
    if address is not None and data.get("BuyerCompanyName") and not address.company:
        address = dataclasses.replace(address, company=r.text(data.get("BuyerCompanyName")))
    return address


def buyer_v0(body: Any) -> tuple[str, str]:
    """getOrderBuyerInfo -> (buyer name, buyer e-mail)."""
    payload = body.get("payload") if isinstance(body, Mapping) else None
    r = _Reader(str(payload.get("AmazonOrderId", "")) if isinstance(payload, Mapping) else "")
    data = r.obj(payload, "buyer answer", required=True)
    return r.text(data.get("BuyerName"), "buyer name"), r.text(
        data.get("BuyerEmail"), "buyer e-mail"
    )


def order_from_v0(
    doc: Any,
    items: list[Any],
    *,
    address: PostalAddress | None = None,
    buyer: tuple[str, str] | None = None,
) -> OrderData:
    """One v0 `Order` (or MWS `Order`, as a dict) with its `OrderItems`."""
    if not isinstance(doc, Mapping):
        raise OrderMappingError("An Amazon order that is not an object.", code="malformed_order")
    r = _Reader(_order_id(doc.get("AmazonOrderId")))
    marketplace_id = r.marketplace(doc.get("MarketplaceId"))
    raw_status = r.text(doc.get("OrderStatus"), "status", required=True)
    if raw_status not in V0_STATUS:
        raise r.fail(f"Unknown Amazon order status {raw_status[:30]!r}.", "unknown_status")
    status = V0_STATUS[raw_status]
    if not isinstance(items, list):
        raise r.fail("Amazon's order items are unreadable.")
    mapped = []
    for raw in items:
        it = r.obj(raw, "order item", required=True)
        quantity = r.quantity(
            it.get("QuantityOrdered"), "quantity", allow_zero=status == OrderStatus.CANCELLED
        )
        price = r.obj(it.get("ItemPrice"), "item price")
        total = r.money(price.get("Amount"), "item price")
        cancel = r.obj(it.get("BuyerRequestedCancel"), "buyer cancellation")
        mapped.append(
            OrderItemData(
                external_id=r.text(it.get("OrderItemId"), "order item id", required=True, limit=64),
                sku=r.text(it.get("SellerSKU"), "SKU", required=True, limit=100),
                quantity=quantity,
                quantity_shipped=r.quantity(
                    it.get("QuantityShipped", 0), "shipped quantity", allow_zero=True
                ),
                asin=r.text(it.get("ASIN"), "ASIN", limit=20),
                title=r.text(it.get("Title"), "title"),
                # v0 ItemPrice is the line's total: the unit price is that over the quantity.
                unit_price=(total / quantity).quantize(Decimal("0.01"))
                if total is not None and quantity
                else None,
                currency=r.text(price.get("CurrencyCode"), "currency", limit=3),
                buyer_cancel_requested=r.flag(cancel.get("IsBuyerRequestedCancel")),
                buyer_cancel_reason=r.text(
                    cancel.get("BuyerCancelReason"), "cancel reason", limit=200
                ),
            )
        )
    if not mapped:
        raise r.fail("An Amazon order without items.")
    total_obj = r.obj(doc.get("OrderTotal"), "order total")
    info = r.obj(doc.get("BuyerInfo"), "buyer")
    name, email = buyer or (
        r.text(info.get("BuyerName"), "buyer name"),
        r.text(info.get("BuyerEmail"), "buyer e-mail"),
    )
    purchased = r.when(doc.get("PurchaseDate"), "purchase date", required=True)
    updated = r.when(doc.get("LastUpdateDate"), "last update", required=True)
    assert purchased is not None and updated is not None
    return OrderData(
        external_id=r.order_id,
        marketplace_id=marketplace_id,
        status=status,
        marketplace_status=raw_status,
        purchased_at=purchased,
        last_updated_at=updated,
        items=tuple(mapped),
        fulfilled_by_marketplace=doc.get("FulfillmentChannel") == "AFN",
        is_prime=r.flag(doc.get("IsPrime")),
        is_business=r.flag(doc.get("IsBusinessOrder")),
        ship_by=r.when(doc.get("LatestShipDate"), "ship-by date"),
        ship_from=r.when(doc.get("EarliestShipDate"), "ship date"),
        deliver_from=r.when(doc.get("EarliestDeliveryDate"), "delivery date"),
        deliver_by=r.when(doc.get("LatestDeliveryDate"), "delivery date"),
        ship_service_level=r.text(doc.get("ShipServiceLevel"), "service level", limit=100),
        buyer_name=name,
        buyer_email=email,
        recipient=address or _address_v0(r, doc.get("ShippingAddress")),
        order_total=r.money(total_obj.get("Amount"), "order total"),
        currency=r.text(total_obj.get("CurrencyCode"), "currency", limit=3),
    )


def orders_list_v0(body: Any) -> tuple[list[Any], str | None, dt.datetime | None]:
    """getOrders -> (raw orders, next token, checkpoint)."""
    payload = body.get("payload") if isinstance(body, Mapping) else None
    if not isinstance(payload, Mapping) or not isinstance(payload.get("Orders"), list):
        raise OrderMappingError("Amazon's order list is unreadable.", code="malformed_page")
    return (
        payload["Orders"],
        _page_token(payload.get("NextToken")),
        _checkpoint(payload.get("LastUpdatedBefore") or payload.get("CreatedBefore")),
    )


# --- MWS XML ------------------------------------------------------------------------------------
_XML_LISTS = {
    "Orders",
    "OrderItems",
    "PaymentMethodDetails",
    "ListParticipations",
    "ListMarketplaces",
    "PaymentExecutionDetail",
    "PromotionIds",
}


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def xml_to_obj(element: Any) -> Any:
    """An MWS element as plain data: text leaves, dicts, lists for the known list elements."""
    children = [c for c in element if isinstance(c.tag, str)]
    if _local(element.tag) in _XML_LISTS:
        return [xml_to_obj(c) for c in children]
    if not children:
        return (element.text or "").strip()
    return {_local(c.tag): xml_to_obj(c) for c in children}


def _find(root: Any, name: str) -> Any:
    if root is None:
        return None
    return next((e for e in root.iter() if _local(e.tag) == name), None)


def orders_list_mws(root: Any) -> tuple[list[Any], str | None, dt.datetime | None]:
    """ListOrders / ListOrdersByNextToken -> (orders as dicts, next token, checkpoint)."""
    orders = _find(root, "Orders")
    if orders is None:
        raise OrderMappingError("Amazon MWS's order list is unreadable.", code="malformed_page")
    token = _find(root, "NextToken")
    before = _find(root, "LastUpdatedBefore")
    if before is None:
        before = _find(root, "CreatedBefore")
    return (
        xml_to_obj(orders),
        _page_token((token.text or "").strip()) if token is not None else None,
        _checkpoint((before.text or "").strip()) if before is not None else None,
    )


def order_items_mws(root: Any) -> tuple[list[Any], str | None]:
    items = _find(root, "OrderItems")
    if items is None:
        raise OrderMappingError(
            "Amazon MWS's order item list is unreadable.", code="malformed_order"
        )
    token = _find(root, "NextToken")
    return xml_to_obj(items), _page_token((token.text or "").strip()) if token is not None else None


# --- participations -----------------------------------------------------------------------------
def participations_spapi(body: Any) -> tuple[MarketplaceParticipation, ...]:
    """getMarketplaceParticipations -> the marketplaces colis knows where the seller sells."""
    payload = body.get("payload") if isinstance(body, Mapping) else None
    if not isinstance(payload, list):
        raise OrderMappingError(
            "Amazon's marketplace list is unreadable.", code="malformed_participations"
        )
    out = []
    for entry in payload:
        if not isinstance(entry, Mapping):
            continue
        m = entry.get("marketplace") or {}
        p = entry.get("participation") or {}
        if not isinstance(m, Mapping) or m.get("id") not in MARKETPLACES:
            continue  # non-retail or unknown marketplaces are not shops colis ships for
        known = MARKETPLACES[m["id"]]
        out.append(
            MarketplaceParticipation(
                marketplace_id=known.id,
                country_code=known.country,
                name=str(m.get("name") or known.name),
                currency=str(m.get("defaultCurrencyCode") or ""),
                is_participating=bool(p.get("isParticipating", True))
                if isinstance(p, Mapping)
                else True,
            )
        )
    return tuple(out)


def participations_mws(root: Any) -> tuple[MarketplaceParticipation, ...]:
    """ListMarketplaceParticipations -> the same, from MWS's XML."""
    parts = _find(root, "ListParticipations")
    markets = _find(root, "ListMarketplaces")
    if parts is None:
        raise OrderMappingError(
            "Amazon MWS's marketplace list is unreadable.", code="malformed_participations"
        )
    names = {}
    for m in xml_to_obj(markets) if markets is not None else []:
        if isinstance(m, Mapping):
            names[m.get("MarketplaceId")] = m
    out = []
    for p in xml_to_obj(parts):
        if not isinstance(p, Mapping) or p.get("MarketplaceId") not in MARKETPLACES:
            continue
        known = MARKETPLACES[p["MarketplaceId"]]
        info = names.get(known.id, {})
        out.append(
            MarketplaceParticipation(
                marketplace_id=known.id,
                country_code=known.country,
                name=str(info.get("Name") or known.name),
                currency=str(info.get("DefaultCurrencyCode") or ""),
                is_participating=True,
            )
        )
    return tuple(out)
