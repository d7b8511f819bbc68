"""Orders as Amazon shows them: Orders v0 (PascalCase) and Orders 2026-01-01 (camelCase)."""

from __future__ import annotations

from typing import Any

from .clock import iso
from .orders import (
    CANCELED,
    PENDING,
    V0_STATUS,
    V2026_STATUS,
    OrderBook,
    OrderFacts,
)

DAY = 86400.0
SHIP_FROM = {
    "IT": {
        "Name": "Bottega Sandbox",
        "AddressLine1": "Via dei Magazzini 12",
        "City": "Bologna",
        "StateOrRegion": "BO",
        "PostalCode": "40127",
        "CountryCode": "IT",
    },
    "FR": {
        "Name": "Maison Bac à Sable",
        "AddressLine1": "14 rue des Entrepôts",
        "City": "Lyon",
        "StateOrRegion": "Auvergne-Rhône-Alpes",
        "PostalCode": "69007",
        "CountryCode": "FR",
    },
    "ES": {
        "Name": "Tienda Arenero",
        "AddressLine1": "Calle del Almacén 7",
        "City": "Zaragoza",
        "StateOrRegion": "Zaragoza",
        "PostalCode": "50014",
        "CountryCode": "ES",
    },
    "US": {
        "Name": "Sandbox Goods Inc",
        "AddressLine1": "2201 Westlake Ave",
        "City": "Seattle",
        "StateOrRegion": "WA",
        "PostalCode": "98121",
        "CountryCode": "US",
    },
}


def amount(cents: int, currency: str) -> str:
    return f"{cents / 100:.2f}"


def v0_money(cents: int, currency: str) -> dict[str, str]:
    return {"CurrencyCode": currency, "Amount": amount(cents, currency)}


def money(cents: int, currency: str) -> dict[str, str]:
    return {"amount": amount(cents, currency), "currencyCode": currency}


def _windows(f: OrderFacts) -> tuple[float, float, float, float]:
    """Earliest/latest ship date and earliest/latest delivery date."""
    start = f.t0 - f.t0 % DAY
    ship_days = 1 if f.prime or f.expedited else 2
    return (
        start,
        start + ship_days * DAY - 1,
        start + (ship_days + 1) * DAY,
        start + (ship_days + 4) * DAY - 1,
    )


def shipped_quantities(book: OrderBook, f: OrderFacts, status: int) -> dict[str, int]:
    if status in (CANCELED, PENDING):
        return {}
    ov = book.overlays.get(f.index)
    if ov is not None and ov.shipped:
        return dict(ov.shipped)
    if V0_STATUS[status] == "Shipped":
        return {it.order_item_id: it.quantity for it in f.items}
    return {}


def order_total(f: OrderFacts) -> int:
    return sum(it.unit_price_cents * it.quantity for it in f.items)


# --- Orders v0 -------------------------------------------------------------------------
def v0_address(f: OrderFacts, full: bool) -> dict[str, Any]:
    p = f.buyer
    addr: dict[str, Any] = {}
    if full:
        addr["Name"] = p.name
        if p.company:
            addr["CompanyName"] = p.company
        addr["AddressLine1"] = p.line1
        if p.line2:
            addr["AddressLine2"] = p.line2
    addr.update(
        {
            "City": p.city,
            "StateOrRegion": p.region,
            "PostalCode": p.postal_code,
            "CountryCode": p.country,
        }
    )
    if full:
        addr["Phone"] = p.phone
    addr["AddressType"] = "Commercial" if p.commercial else "Residential"
    return addr


def v0_buyer_info(f: OrderFacts, full: bool) -> dict[str, Any]:
    info: dict[str, Any] = {}
    if full:
        info["BuyerEmail"] = f.buyer.email
        info["BuyerName"] = f.buyer.name
        if f.buyer.company:
            info["PurchaseOrderNumber"] = f"PO-{f.order_id[-7:]}"
    return info


def v0_order(
    book: OrderBook, i: int, status: int, last: float, *, address: bool, buyer: bool
) -> dict[str, Any]:
    f = book.facts(i)
    cur = f.marketplace.currency
    shipped = shipped_quantities(book, f, status)
    n_shipped = sum(shipped.values())
    n_total = sum(it.quantity for it in f.items)
    es, ls, ed, ld = _windows(f)
    category = "Expedited" if f.expedited else "Standard"
    o: dict[str, Any] = {
        "AmazonOrderId": f.order_id,
        "PurchaseDate": iso(f.t0),
        "LastUpdateDate": iso(last),
        "OrderStatus": V0_STATUS[status],
        "FulfillmentChannel": "AFN" if f.afn else "MFN",
        "SalesChannel": f.marketplace.name,
        "ShipServiceLevel": f"{'Exp' if f.expedited else 'Std'} {f.marketplace.country} Dom",
    }
    if status != CANCELED:
        o["OrderTotal"] = v0_money(order_total(f), cur)
    o["NumberOfItemsShipped"] = n_shipped
    o["NumberOfItemsUnshipped"] = 0 if status == CANCELED else n_total - n_shipped
    o.update(
        {
            "PaymentMethod": "Other",
            "PaymentMethodDetails": ["Standard"],
            "IsReplacementOrder": False,
            "MarketplaceId": f.marketplace.id,
            "ShipmentServiceLevelCategory": category,
            "OrderType": "StandardOrder",
            "EarliestShipDate": iso(es),
            "LatestShipDate": iso(ls),
            "EarliestDeliveryDate": iso(ed),
            "LatestDeliveryDate": iso(ld),
            "IsBusinessOrder": f.business,
            "IsPrime": f.prime,
            "IsGlobalExpressEnabled": False,
            "IsPremiumOrder": False,
            "IsSoldByAB": False,
            "IsIBA": False,
            "IsISPU": False,
            "IsAccessPointOrder": False,
            "HasRegulatedItems": False,
            "AutomatedShippingSettings": {"HasAutomatedShippingSettings": False},
            "ElectronicInvoiceStatus": "NotRequired",
        }
    )
    if not f.afn:
        o["DefaultShipFromLocationAddress"] = {
            **SHIP_FROM.get(f.seller.country, SHIP_FROM["US"]),
            "AddressType": "Commercial",
        }
    if f.business:
        o["BuyerInvoicePreference"] = "BUSINESS"
    if status != PENDING:
        o["ShippingAddress"] = v0_address(f, address)
        if buyer:  # without a Restricted Data Token Amazon leaves BuyerInfo out
            o["BuyerInfo"] = v0_buyer_info(f, buyer)
    return o


def v0_items(book: OrderBook, i: int, status: int, now: float) -> list[dict[str, Any]]:
    f = book.facts(i)
    cur = f.marketplace.currency
    shipped = shipped_quantities(book, f, status)
    cancel_requested = book.buyer_cancel_requested(i, now)
    out = []
    for it in f.items:
        total = it.unit_price_cents * it.quantity
        tax = total - round(total / 1.2)
        row: dict[str, Any] = {
            "ASIN": it.sku.asin,
            "OrderItemId": it.order_item_id,
            "SellerSKU": it.sku.sku,
            "Title": it.sku.title,
            "QuantityOrdered": it.quantity,
            "QuantityShipped": shipped.get(it.order_item_id, 0),
            "ProductInfo": {"NumberOfItems": "1"},
            "ItemPrice": v0_money(total, cur),
            "ItemTax": v0_money(tax, cur),
            "ShippingPrice": v0_money(0, cur),
            "PromotionDiscount": v0_money(0, cur),
            "IsGift": "false",
            "ConditionId": "New",
            "ConditionSubtypeId": "New",
            "IsTransparency": False,
            "SerialNumberRequired": False,
        }
        if cancel_requested and it.buyer_cancel:
            row["BuyerRequestedCancel"] = {
                "IsBuyerRequestedCancel": "true",
                "BuyerCancelReason": f.buyer_cancel_reason,
            }
        out.append(row)
    return out


# --- Orders 2026-01-01 -------------------------------------------------------------------
def v2026_order(
    book: OrderBook,
    i: int,
    status: int,
    last: float,
    now: float,
    included: frozenset[str],
    pii: bool,
) -> dict[str, Any]:
    f = book.facts(i)
    cur = f.marketplace.currency
    shipped = shipped_quantities(book, f, status)
    programs = [p for p, on in (("PRIME", f.prime), ("AMAZON_BUSINESS", f.business)) if on]
    o: dict[str, Any] = {
        "orderId": f.order_id,
        "createdTime": iso(f.t0),
        "lastUpdatedTime": iso(last),
    }
    if programs:
        o["programs"] = programs
    o["salesChannel"] = {
        "channelName": "AMAZON",
        "marketplaceId": f.marketplace.id,
        "marketplaceName": f.marketplace.name,
    }
    if "BUYER" in included and pii and status != PENDING:
        buyer = {"buyerName": f.buyer.name, "buyerEmail": f.buyer.email}
        if f.buyer.company:
            buyer["buyerCompanyName"] = f.buyer.company
        o["buyer"] = buyer
    if "RECIPIENT" in included and status != PENDING:
        o["recipient"] = {"deliveryAddress": _delivery_address(f, pii)}
    if "PROCEEDS" in included:
        o["proceeds"] = {"grandTotal": money(order_total(f), cur)}
    if "FULFILLMENT" in included:
        o["fulfillment"] = _fulfillment(f, status)
    cancel_requested = "CANCELLATION" in included and book.buyer_cancel_requested(i, now)
    o["orderItems"] = [_item(f, it, shipped, status, included, cancel_requested) for it in f.items]
    if "PACKAGES" in included and not f.afn:
        o["packages"] = packages_2026(book, i)
    return o


def _delivery_address(f: OrderFacts, pii: bool) -> dict[str, Any]:
    p = f.buyer
    addr: dict[str, Any] = {}
    if pii:
        addr["name"] = p.name
        if p.company:
            addr["companyName"] = p.company
        addr["addressLine1"] = p.line1
        if p.line2:
            addr["addressLine2"] = p.line2
    addr.update(
        {
            "city": p.city,
            "stateOrRegion": p.region,
            "postalCode": p.postal_code,
            "countryCode": p.country,
        }
    )
    if pii:
        addr["phone"] = p.phone
    addr["addressType"] = "COMMERCIAL" if p.commercial else "RESIDENTIAL"
    return addr


def _fulfillment(f: OrderFacts, status: int) -> dict[str, Any]:
    es, ls, ed, ld = _windows(f)
    return {
        "fulfillmentStatus": V2026_STATUS[status],
        "fulfilledBy": "AMAZON" if f.afn else "MERCHANT",
        "fulfillmentServiceLevel": "EXPEDITED" if f.expedited else "STANDARD",
        "shipByWindow": {"earliestDateTime": iso(es), "latestDateTime": iso(ls)},
        "deliverByWindow": {"earliestDateTime": iso(ed), "latestDateTime": iso(ld)},
    }


def _item(
    f: OrderFacts,
    it: Any,
    shipped: dict[str, int],
    status: int,
    included: frozenset[str],
    cancel_requested: bool,
) -> dict[str, Any]:
    cur = f.marketplace.currency
    row: dict[str, Any] = {
        "orderItemId": it.order_item_id,
        "quantityOrdered": it.quantity,
        "product": {
            "asin": it.sku.asin,
            "title": it.sku.title,
            "sellerSku": it.sku.sku,
            "condition": {"conditionType": "NEW", "conditionSubtype": "NEW"},
            "price": {"unitPrice": money(it.unit_price_cents, cur)},
        },
    }
    if "PROCEEDS" in included:
        total = it.unit_price_cents * it.quantity
        row["proceeds"] = {
            "proceedsTotal": money(total, cur),
            "breakdowns": [{"type": "ITEM", "subtotal": money(total, cur)}],
        }
    if cancel_requested and it.buyer_cancel:
        row["cancellation"] = {
            "cancellationRequest": {"requester": "BUYER", "cancelReason": f.buyer_cancel_reason}
        }
    if "FULFILLMENT" in included:
        done = shipped.get(it.order_item_id, 0)
        row["fulfillment"] = {
            "quantityFulfilled": done,
            "quantityUnfulfilled": 0 if status == CANCELED else it.quantity - done,
        }
    return row


def packages_2026(book: OrderBook, i: int) -> list[dict[str, Any]]:
    ov = book.overlays.get(i)
    if ov is None:
        return []
    out = []
    for p in ov.packages:
        pkg: dict[str, Any] = {
            "packageReferenceId": p.package_reference_id,
            "createdTime": iso(p.created),
            "packageStatus": {"status": "SHIPPED"},
            "carrier": p.carrier_name
            if p.carrier_code == "Other" and p.carrier_name
            else p.carrier_code,
            "shipTime": p.ship_date,
            "trackingNumber": p.tracking_number,
            "packageItems": [{"orderItemId": oid, "quantity": q} for oid, q in p.items],
        }
        if p.shipping_method:
            pkg["shippingService"] = p.shipping_method
        out.append(pkg)
    return out
