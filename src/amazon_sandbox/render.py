"""Orders as Amazon shows them: Orders v0 (PascalCase) and Orders 2026-01-01 (camelCase)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from .clock import _DAYS, _TIMES, iso
from .orders import (
    BUYER_CANCEL_REASONS,
    CANCELED,
    F_AFN,
    F_BUSINESS,
    F_PRIME,
    FX,
    K_BUYER_CANCEL,
    MARKETPLACE_LIST,
    MKT_COUNTRY,
    PENDING,
    SELLER_LIST,
    SHIPPED,
    V0_STATUS,
    V2026_STATUS,
    OrderBook,
    OrderFacts,
)
from .people import (
    CITIES,
    COMPANIES,
    FIRST_NAMES,
    LAST_NAMES,
    PHONE_PREFIX,
    SECOND_LINES,
    STREETS,
    draw,
    relay_email,
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


RENDERED_LIMIT = 200_000  # orders kept as text for repeated reads (~1 KB each)


# --- Orders 2026-01-01, fast path -------------------------------------------------------------
# The same bytes as orjson.dumps(v2026_order(...)) (tests/amazon_sandbox/test_render_fast.py
# checks it), written as text from precomputed fragments: no OrderFacts, no dicts, no
# per-order JSON encoder call. Orders changed by the sandbox's clients (an overlay) or added
# through the controls (an override) take the general path.
def _js(value: str) -> str:
    return orjson.dumps(value).decode()


def _money_js(cents: int, currency: str) -> str:
    return f'{{"amount":"{cents / 100:.2f}","currencyCode":"{currency}"}}'


_MKT_HEAD = tuple(
    (
        f',"salesChannel":{{"channelName":"AMAZON","marketplaceId":{_js(m.id)},'
        f'"marketplaceName":{_js(m.name)}}}'
    )
    for m in MARKETPLACE_LIST
)
_PROGRAMS = {
    0: "",
    F_PRIME: ',"programs":["PRIME"]',
    F_BUSINESS: ',"programs":["AMAZON_BUSINESS"]',
    F_PRIME | F_BUSINESS: ',"programs":["PRIME","AMAZON_BUSINESS"]',
}
_HEAD = {flags: tuple(text + head for head in _MKT_HEAD) for flags, text in _PROGRAMS.items()}
_REASONS = tuple(_js(r) for r in BUYER_CANCEL_REASONS)


def _product(book: OrderBook, s: int, j: int, m: int) -> tuple[str, int]:
    """A SKU's `product` JSON and unit price in a marketplace."""
    products: dict[tuple[int, int, int], tuple[str, int]] = book.memo.setdefault("products", {})  # type: ignore[assignment]
    key = (s, j, m)
    hit = products.get(key)
    if hit is None:
        mkt = MARKETPLACE_LIST[m]
        sku = book.catalog.by_seller[SELLER_LIST[s].selling_partner_id][j]
        unit = round(sku.price_cents * FX.get(mkt.currency, 1.0))
        text = (
            f'{{"asin":{_js(sku.asin)},"title":{_js(sku.title)},"sellerSku":{_js(sku.sku)},'
            '"condition":{"conditionType":"NEW","conditionSubtype":"NEW"},'
            f'"price":{{"unitPrice":{_money_js(unit, mkt.currency)}}}}}'
        )
        hit = products[key] = (text, unit)
    return hit


def _fulfillment_js(status: int, afn: bool, expedited: bool, fast: bool, t0: float) -> str:
    start = t0 - t0 % DAY
    ship_days = 1 if fast else 2
    return (
        f',"fulfillment":{{"fulfillmentStatus":"{V2026_STATUS[status]}",'
        f'"fulfilledBy":"{"AMAZON" if afn else "MERCHANT"}",'
        f'"fulfillmentServiceLevel":"{"EXPEDITED" if expedited else "STANDARD"}",'
        f'"shipByWindow":{{"earliestDateTime":"{iso(start)}",'
        f'"latestDateTime":"{iso(start + ship_days * DAY - 1)}"}},'
        f'"deliverByWindow":{{"earliestDateTime":"{iso(start + (ship_days + 1) * DAY)}",'
        f'"latestDateTime":"{iso(start + (ship_days + 4) * DAY - 1)}"}}}}'
    )


def _item_tail(
    book: OrderBook,
    s: int,
    j: int,
    m: int,
    qty: int,
    status: int,
    fields: tuple[bool, bool, bool],
    cancel: int,
) -> str:
    """An order item's JSON after its id (the id is the only per-order part); `cancel` is
    the buyer's cancel reason index, or -1."""
    proceeds_on, _, fulfillment_on = fields
    product, unit = _product(book, s, j, m)
    parts = [f',"quantityOrdered":{qty},"product":{product}']
    if proceeds_on:
        money_total = _money_js(unit * qty, MARKETPLACE_LIST[m].currency)
        parts.append(
            f',"proceeds":{{"proceedsTotal":{money_total},'
            f'"breakdowns":[{{"type":"ITEM","subtotal":{money_total}}}]}}'
        )
    if cancel >= 0:
        parts.append(
            ',"cancellation":{"cancellationRequest":{"requester":"BUYER",'
            f'"cancelReason":{_REASONS[cancel]}}}}}'
        )
    if fulfillment_on:
        done = qty if status == SHIPPED else 0
        undone = 0 if status == CANCELED else qty - done
        parts.append(
            f',"fulfillment":{{"quantityFulfilled":{done},"quantityUnfulfilled":{undone}}}'
        )
    parts.append("}")
    return "".join(parts)


def v2026_page(
    book: OrderBook,
    indices: list[int],
    now: float,
    included: frozenset[str],
    pii: bool,
    general: Callable[[int], bytes],
) -> list[str]:
    """Orders 2026-01-01 `Order` objects as JSON text, one per index (`general(i)` renders
    the orders the fast path does not handle)."""
    buyer_on = "BUYER" in included and pii
    recipient_on = "RECIPIENT" in included
    proceeds_on = "PROCEEDS" in included
    fulfillment_on = "FULFILLMENT" in included
    cancel_on = "CANCELLATION" in included
    packages = ',"packages":[]' if "PACKAGES" in included else ""
    fields = (proceeds_on, cancel_on, fulfillment_on)
    memo = book.memo
    if len(memo) > 64:
        memo.clear()
    # Item JSON after the item id, per (SKU, marketplace, quantity, status, cancel reason);
    # fulfillment blocks per (status, channel, service level, day): a few thousand entries.
    tails: dict[tuple[int, ...], str] = memo.setdefault(("tails", fields), {})  # type: ignore[assignment]
    windows: dict[tuple[int, ...], str] = memo.setdefault("windows", {})  # type: ignore[assignment]
    overlays, overrides = book.overlays, book.overrides
    t0s, t2s, kinds = book.t0, book.t2, book.kind2
    sellers, mkts, flags_ = book.seller, book.mkt, book.flags
    timeline, genes, item_id, order_id = book.timeline, book.genes, book.item_id, book.order_id
    days, times = _DAYS, _TIMES
    # Orders read before (polling): their text per (index, status, last update, cancel).
    # Kept for two includedData/PII combinations at most: bounded memory (~200 MB each).
    combos: dict[object, dict[tuple[int, int, float, bool], str]] = memo.setdefault("orders", {})  # type: ignore[assignment]
    combo = (fields, buyer_on, recipient_on, packages, pii)
    seen = combos.get(combo)
    if seen is None:
        if len(combos) >= 2:
            combos.clear()
        seen = combos[combo] = {}
    elif len(seen) > RENDERED_LIMIT:
        seen.clear()
    out: list[str] = []
    append = out.append
    for i in indices:
        if i in overlays or i in overrides:
            append(general(i).decode())
            continue
        status, last = timeline(i, now)
        cancel_asked = cancel_on and kinds[i] == K_BUYER_CANCEL and t2s[i] <= now
        seen_key = (i, status, last, cancel_asked)
        text = seen.get(seen_key)
        if text is not None:
            append(text)
            continue
        s, m, flags = sellers[i], mkts[i], flags_[i]
        t0 = t0s[i]
        picks, expedited, reason = genes(i)
        oid = order_id(i)
        day, r = divmod(int(t0), 86400)
        created = (days.get(day) or iso(t0)[:10]) + times[r]
        d, r = divmod(int(last), 86400)
        updated = (days.get(d) or iso(last)[:10]) + times[r]
        extra = ""
        if (buyer_on or recipient_on) and status != PENDING:
            extra = _person_js(book, i, m, oid, flags, buyer_on, recipient_on, pii)
        if proceeds_on:
            total = sum(_product(book, s, j, m)[1] * qty for j, qty in picks)
            cur = MARKETPLACE_LIST[m].currency
            extra += f',"proceeds":{{"grandTotal":{_money_js(total, cur)}}}'
        afn = flags & F_AFN
        fulfillment = ""
        if fulfillment_on:
            fast = flags & F_PRIME or expedited
            key = (status, afn, expedited, fast, day)
            fulfillment = windows.get(key)  # type: ignore[assignment]
            if fulfillment is None:
                if len(windows) > 50_000:
                    windows.clear()
                fulfillment = windows[key] = _fulfillment_js(
                    status, bool(afn), expedited, bool(fast), t0
                )
        cancel = reason if cancel_asked else -1
        items = ""
        for k, (j, qty) in enumerate(picks):
            item_key = (j, s, m, qty, status, cancel)
            tail = tails.get(item_key)
            if tail is None:
                if len(tails) > 50_000:
                    tails.clear()
                tail = tails[item_key] = _item_tail(book, s, j, m, qty, status, fields, cancel)
            items += f'{"," if k else ""}{{"orderItemId":"{item_id(i, k)}"{tail}'
            cancel = -1  # only the first item carries the buyer's request
        text = seen[seen_key] = (
            f'{{"orderId":"{oid}","createdTime":"{created}","lastUpdatedTime":"{updated}"'
            f"{_HEAD[flags & (F_PRIME | F_BUSINESS)][m]}{extra}{fulfillment}"
            f',"orderItems":[{items}]{"" if afn else packages}}}'
        )
        append(text)
    return out


_NAME_JS = {
    c: tuple(tuple(_js(f"{f} {la}") for la in LAST_NAMES[c]) for f in FIRST_NAMES[c])
    for c in FIRST_NAMES
}
_COMPANY_JS = {c: tuple(_js(x) for x in names) for c, names in COMPANIES.items()}
_SECOND_JS = {
    c: tuple(f'"addressLine2":{_js(x)},' for x in lines) for c, lines in SECOND_LINES.items()
}
_PLACE_JS = {
    c: tuple(
        f'"city":{_js(city)},"stateOrRegion":{_js(region)},'
        f'"postalCode":{_js(postal)},"countryCode":{_js(c)},'
        for city, postal, region in places
    )
    for c, places in CITIES.items()
}
_STREET_JS: dict[tuple[str, int, int], str] = {}


def _person_js(
    book: OrderBook,
    i: int,
    m: int,
    oid: str,
    flags: int,
    buyer_on: bool,
    recipient_on: bool,
    pii: bool,
) -> str:
    """`"buyer"` and/or `"recipient"` as `make_person` gives them, from precomputed
    fragments (names, companies, cities and streets come from small tables)."""
    country = MKT_COUNTRY[m]
    first, last, city, street, number, second, company, relay, phone = draw(
        book.person_genes(i), country
    )
    business = flags & F_BUSINESS
    name = _NAME_JS[country][first][last]
    text = ""
    if buyer_on:
        email = _js(relay_email(oid, relay, country))
        extra = f',"buyerCompanyName":{_COMPANY_JS[country][company]}' if business else ""
        text = f',"buyer":{{"buyerName":{name},"buyerEmail":{email}{extra}}}'
    if recipient_on:
        address = _PLACE_JS[country][city]
        if pii:
            key = (country, street, number)
            line1 = _STREET_JS.get(key)
            if line1 is None:
                line1 = _STREET_JS[key] = (
                    f'"addressLine1":{_js(STREETS[country][street].format(n=number))},'
                )
            seconds = _SECOND_JS[country]
            line2 = seconds[second] if second < len(seconds) else ""
            company_js = f'"companyName":{_COMPANY_JS[country][company]},' if business else ""
            phone_js = _js(PHONE_PREFIX[country] + f"{phone + 1_000_000}")
            address = f'"name":{name},{company_js}{line1}{line2}{address}"phone":{phone_js},'
        kind = "COMMERCIAL" if business else "RESIDENTIAL"
        text += f',"recipient":{{"deliveryAddress":{{{address}"addressType":"{kind}"}}}}'
    return text
