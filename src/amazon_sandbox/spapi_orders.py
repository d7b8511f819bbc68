"""SP-API Sellers, Orders (v0 and 2026-01-01), confirmShipment and Tokens."""

from __future__ import annotations

import re
from typing import Any

import orjson

from .clock import iso, parse_iso
from .constants import MARKETPLACE_BY_ID, MARKETPLACES, RDT_SECONDS
from .defaults import ALL_SELLERS
from .orders import (
    CANCELED,
    MKT_INDEX,
    PARTIALLY_SHIPPED,
    PENDING,
    SELLER_INDEX,
    UNSHIPPED,
    V0_STATUS_CODES,
    V2026_STATUS_CODES,
    Package,
    Query,
)
from .render import v0_address, v0_buyer_info, v0_items, v0_order, v2026_order, v2026_page
from .state import RestrictedToken, Sandbox
from .web import ApiError, Ctx, Result, decode_token, encode_token, invalid, not_found, ok

INCLUDED_DATA = frozenset(
    {
        "BUYER",
        "RECIPIENT",
        "PROCEEDS",
        "EXPENSE",
        "PROMOTION",
        "CANCELLATION",
        "FULFILLMENT",
        "PACKAGES",
        "TAX",
        "PAYMENT",
        "FULFILLMENT_ORDERS",
    }
)
TOKEN_TTL = 24 * 3600
PAGE_CACHE_LIMIT = 200_000
SELLER_BY_ID = {s.selling_partner_id: s for s in ALL_SELLERS}


# --- Sellers ------------------------------------------------------------------------------
def get_marketplace_participations(ctx: Ctx) -> Result:
    seller = SELLER_BY_ID[ctx.seller]
    payload = []
    for code in seller.marketplaces:
        m = MARKETPLACES[code]
        payload.append(
            {
                "marketplace": {
                    "id": m.id,
                    "countryCode": m.country,
                    "name": m.name,
                    "defaultCurrencyCode": m.currency,
                    "defaultLanguageCode": m.language,
                    "domainName": m.domain,
                },
                "storeName": seller.store_name,
                "participation": {"isParticipating": True, "hasSuspendedListings": False},
            }
        )
    return ok({"payload": payload})


# --- shared helpers ---------------------------------------------------------------------------
def _seller_index(ctx: Ctx) -> int:
    idx = SELLER_INDEX.get(ctx.seller)
    if idx is None:
        raise not_found("No orders for this seller.")
    return idx


def _marketplaces(ctx: Ctx, ids: list[str] | None, required: bool) -> frozenset[int]:
    seller = SELLER_BY_ID[ctx.seller]
    own = {MARKETPLACES[c].id for c in seller.marketplaces}
    if not ids:
        if required:
            raise invalid(
                "MarketplaceIds is required.", "Missing required parameter: MarketplaceIds"
            )
        ids = sorted(own)
    if len(ids) > 50:
        raise invalid("Too many marketplace ids; at most 50 are allowed.")
    for mid in ids:
        if mid not in MARKETPLACE_BY_ID and not mid.isalnum():
            raise invalid(f"Invalid marketplace id: {mid}")
        if mid not in own:
            raise invalid(
                f"The seller does not participate in marketplace {mid}.",
                "Seller is not registered in the given marketplace.",
            )
    return frozenset(MKT_INDEX[MARKETPLACE_BY_ID[m].code] for m in ids)


def _date(ctx: Ctx, name: str) -> float | None:
    raw = ctx.query(name)
    if raw is None:
        return None
    value = parse_iso(raw)
    if value is None:
        raise invalid(f"{name} is not a valid ISO 8601 date-time: {raw}")
    return value


def _find_order(ctx: Ctx, order_id: str) -> int:
    sb = ctx.sandbox
    i = sb.orders.index_of(order_id)
    if (
        i is None
        or sb.orders.seller[i] != SELLER_INDEX.get(ctx.seller or "", -1)
        or sb.orders.t0[i] > sb.clock.now()
    ):
        raise not_found(f"Order {order_id} was not found.")
    return i


def _cached(sb: Sandbox, key: tuple[Any, ...], build: Any) -> bytes:
    cache = sb.fragments
    frag = cache.get(key)
    if frag is None:
        if len(cache) > PAGE_CACHE_LIMIT:
            cache.clear()
        frag = cache[key] = orjson.dumps(build())
    return frag


def _page(
    ctx: Ctx, q: Query, cursor: tuple[float, int] | None, size: int
) -> tuple[list[tuple[float, int]], bool]:
    sb = ctx.sandbox
    return sb.orders.page(q, sb.clock.now(), cursor, size)


def _query_to_json(q: Query) -> dict[str, Any]:
    return {
        "s": q.seller,
        "m": sorted(q.marketplaces),
        "mode": q.mode,
        "a": q.after,
        "b": q.before,
        "st": sorted(q.statuses) if q.statuses is not None else None,
        "ch": sorted(q.channels) if q.channels is not None else None,
    }


def _query_from_json(d: dict[str, Any]) -> Query:
    return Query(
        int(d["s"]),
        frozenset(d["m"]),
        str(d["mode"]),
        float(d["a"]),
        float(d["b"]),
        frozenset(d["st"]) if d.get("st") is not None else None,
        frozenset(bool(x) for x in d["ch"]) if d.get("ch") is not None else None,
    )


def _resume(ctx: Ctx, token: str, api: str) -> tuple[Query, tuple[float, int], int, float]:
    data = decode_token(token)
    now = ctx.sandbox.clock.now()
    if not data or data.get("api") != api or "q" not in data:
        raise invalid("Invalid pagination token.", token)
    if now - float(data.get("at", 0)) > TOKEN_TTL:
        raise invalid("The pagination token has expired.", token)
    q = _query_from_json(data["q"])
    if q.seller != _seller_index(ctx):
        raise invalid("Invalid pagination token.", token)
    return q, (float(data["k"][0]), int(data["k"][1])), int(data["n"]), float(data["at"])


def _next_token(api: str, q: Query, last: tuple[float, int], size: int, issued: float) -> str:
    return encode_token(
        {"api": api, "q": _query_to_json(q), "k": list(last), "n": size, "at": issued}
    )


def _window(
    ctx: Ctx, created: tuple[str, str], updated: tuple[str, str], check_before_age: bool
) -> tuple[str, float, float]:
    now = ctx.sandbox.clock.now()
    ca, cb = _date(ctx, created[0]), _date(ctx, created[1])
    ua, ub = _date(ctx, updated[0]), _date(ctx, updated[1])
    if (ca is None) == (ua is None):
        raise invalid(f"Exactly one of {created[0]} and {updated[0]} must be specified.")
    if ca is not None and ub is not None:
        raise invalid(f"{updated[1]} can only be used with {updated[0]}.")
    if ua is not None and cb is not None:
        raise invalid(f"{created[1]} can only be used with {created[0]}.")
    mode, after, before = ("created", ca, cb) if ca is not None else ("updated", ua, ub)
    assert after is not None
    if before is not None:
        if check_before_age and before > now - 120:
            name = created[1] if mode == "created" else updated[1]
            raise invalid(
                f"{name} must be no later than two minutes before the time the request was submitted."
            )
        if before < after:
            raise invalid("The 'Before' date must be later than the 'After' date.")
    if after > now:
        raise invalid("The 'After' date must not be in the future.")
    return mode, after, before if before is not None else now


def _page_size(ctx: Ctx, name: str) -> int:
    raw = ctx.query(name)
    if raw is None:
        return 100
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise invalid(f"{name} must be an integer between 1 and 100.")
    return int(raw)


# --- Orders 2026-01-01 ------------------------------------------------------------------------
def _included(ctx: Ctx) -> frozenset[str]:
    values = ctx.query_list("includedData") or []
    bad = [v for v in values if v not in INCLUDED_DATA]
    if bad:
        raise invalid(f"Invalid includedData value(s): {', '.join(bad)}")
    return frozenset(values)


def _order_2026_bytes(ctx: Ctx, i: int, included: frozenset[str]) -> bytes:
    sb = ctx.sandbox
    now = sb.clock.now()
    status, last = sb.orders.timeline(i, now)
    ov = sb.orders.overlays.get(i)
    pii = ctx.app.pii
    key = ("26", i, status, last, ov.version if ov else 0, included, pii)
    return _cached(sb, key, lambda: v2026_order(sb.orders, i, status, last, now, included, pii))


def _orders_2026_text(ctx: Ctx, indices: list[int], included: frozenset[str]) -> list[str]:
    """Orders rendered straight from (seed, index) (no cache needed: the fast path is about
    as quick as a cache look-up); orders with client changes go through the cached dicts."""
    sb = ctx.sandbox
    return v2026_page(
        sb.orders,
        indices,
        sb.clock.now(),
        included,
        ctx.app.pii,
        lambda i: _order_2026_bytes(ctx, i, included),
    )


def search_orders(ctx: Ctx) -> Result:
    included = _included(ctx)
    token = ctx.query("paginationToken")
    if token:
        q, cursor, size, issued = _resume(ctx, token, "2026")
    else:
        mode, after, before = _window(
            ctx, ("createdAfter", "createdBefore"), ("lastUpdatedAfter", "lastUpdatedBefore"), False
        )
        statuses = ctx.query_list("fulfillmentStatuses")
        if statuses and any(
            s not in V2026_STATUS_CODES and s not in ("PENDING_AVAILABILITY", "UNFULFILLABLE")
            for s in statuses
        ):
            raise invalid("Invalid fulfillmentStatuses value.")
        by = ctx.query_list("fulfilledBy")
        if by and any(b not in ("MERCHANT", "AMAZON") for b in by):
            raise invalid("Invalid fulfilledBy value; expected MERCHANT or AMAZON.")
        q = Query(
            _seller_index(ctx),
            _marketplaces(ctx, ctx.query_list("marketplaceIds"), False),
            mode,
            after,
            before,
            frozenset(V2026_STATUS_CODES[s] for s in statuses if s in V2026_STATUS_CODES)
            if statuses
            else None,
            frozenset(b == "AMAZON" for b in by) if by else None,
        )
        cursor, size, issued = None, _page_size(ctx, "maxResultsPerPage"), ctx.sandbox.clock.now()
    hits, more = _page(ctx, q, cursor, size)
    frags = _orders_2026_text(ctx, [i for _, i in hits], included)
    tail: dict[str, Any] = {}
    if more:
        tail["pagination"] = {"nextToken": _next_token("2026", q, hits[-1], size, issued)}
    tail["createdBefore" if q.mode == "created" else "lastUpdatedBefore"] = iso(
        min(q.before, ctx.sandbox.clock.now())
    )
    body = ('{"orders":[' + ",".join(frags) + "],").encode() + orjson.dumps(tail)[1:]
    return ok(body)


def get_order_2026(ctx: Ctx) -> Result:
    order_id = ctx.request.path_params["orderId"]
    included = _included(ctx)
    i = _find_order(ctx, order_id)
    return ok(('{"order":' + _orders_2026_text(ctx, [i], included)[0] + "}").encode())


# --- Orders v0 ------------------------------------------------------------------------------------
def _rdt_allows(rdt: RestrictedToken | None, path: str, element: str | None) -> bool:
    if rdt is None:
        return False
    for res in rdt.resources:
        if res.get("method") != "GET" or not _path_matches(str(res.get("path", "")), path):
            continue
        if element is None or element in (res.get("dataElements") or []):
            return True
    return False


def _path_matches(pattern: str, path: str) -> bool:
    regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(pattern)) + "$"
    return re.match(regex, path) is not None


def _v0_order_bytes(ctx: Ctx, i: int, list_path: str) -> bytes:
    sb = ctx.sandbox
    status, last = sb.orders.timeline(i, sb.clock.now())
    ov = sb.orders.overlays.get(i)
    address = _rdt_allows(ctx.rdt, list_path, "shippingAddress")
    buyer = _rdt_allows(ctx.rdt, list_path, "buyerInfo")
    key = ("v0", i, status, last, ov.version if ov else 0, address, buyer)
    return _cached(
        sb, key, lambda: v0_order(sb.orders, i, status, last, address=address, buyer=buyer)
    )


def get_orders(ctx: Ctx) -> Result:
    token = ctx.query("NextToken")
    if token:
        q, cursor, size, issued = _resume(ctx, token, "v0")
    else:
        mkts = _marketplaces(ctx, ctx.query_list("MarketplaceIds"), True)
        ids = ctx.query_list("AmazonOrderIds")
        if ids:
            return _orders_by_id(ctx, ids, mkts)
        mode, after, before = _window(
            ctx, ("CreatedAfter", "CreatedBefore"), ("LastUpdatedAfter", "LastUpdatedBefore"), True
        )
        statuses = ctx.query_list("OrderStatuses")
        if statuses and any(
            s not in V0_STATUS_CODES
            and s not in ("Unfulfillable", "InvoiceUnconfirmed", "PendingAvailability")
            for s in statuses
        ):
            raise invalid("Invalid OrderStatuses value.")
        channels = ctx.query_list("FulfillmentChannels")
        if channels and any(c not in ("MFN", "AFN") for c in channels):
            raise invalid("Invalid FulfillmentChannels value; expected MFN or AFN.")
        q = Query(
            _seller_index(ctx),
            mkts,
            mode,
            after,
            before,
            frozenset(V0_STATUS_CODES[s] for s in statuses if s in V0_STATUS_CODES)
            if statuses
            else None,
            frozenset(c == "AFN" for c in channels) if channels else None,
        )
        cursor, size, issued = None, _page_size(ctx, "MaxResultsPerPage"), ctx.sandbox.clock.now()
    hits, more = _page(ctx, q, cursor, size)
    frags = [_v0_order_bytes(ctx, i, "/orders/v0/orders") for _, i in hits]
    tail: dict[str, Any] = {}
    if more:
        tail["NextToken"] = _next_token("v0", q, hits[-1], size, issued)
    tail["CreatedBefore" if q.mode == "created" else "LastUpdatedBefore"] = iso(
        min(q.before, ctx.sandbox.clock.now())
    )
    return ok(b'{"payload":{"Orders":[' + b",".join(frags) + b"]," + orjson.dumps(tail)[1:] + b"}")


def _orders_by_id(ctx: Ctx, ids: list[str], mkts: frozenset[int]) -> Result:
    if len(ids) > 50:
        raise invalid("AmazonOrderIds accepts at most 50 order ids.")
    frags = []
    for oid in ids:
        i = ctx.sandbox.orders.index_of(oid)
        if (
            i is None
            or ctx.sandbox.orders.seller[i] != _seller_index(ctx)
            or ctx.sandbox.orders.mkt[i] not in mkts
        ):
            continue
        if ctx.sandbox.orders.t0[i] <= ctx.sandbox.clock.now():
            frags.append(_v0_order_bytes(ctx, i, "/orders/v0/orders"))
    tail = orjson.dumps({"CreatedBefore": iso(ctx.sandbox.clock.now())})
    return ok(b'{"payload":{"Orders":[' + b",".join(frags) + b"]," + tail[1:] + b"}")


def get_order_v0(ctx: Ctx) -> Result:
    order_id = ctx.request.path_params["orderId"]
    i = _find_order(ctx, order_id)
    return ok(b'{"payload":' + _v0_order_bytes(ctx, i, f"/orders/v0/orders/{order_id}") + b"}")


def get_order_items(ctx: Ctx) -> Result:
    order_id = ctx.request.path_params["orderId"]
    i = _find_order(ctx, order_id)
    now = ctx.sandbox.clock.now()
    status, _ = ctx.sandbox.orders.timeline(i, now)
    return ok(
        {
            "payload": {
                "OrderItems": v0_items(ctx.sandbox.orders, i, status, now),
                "AmazonOrderId": order_id,
            }
        }
    )


def get_order_address(ctx: Ctx) -> Result:
    order_id = ctx.request.path_params["orderId"]
    i = _find_order(ctx, order_id)
    full = _rdt_allows(ctx.rdt, ctx.request.url.path, None)
    facts = ctx.sandbox.orders.facts(i)
    payload: dict[str, Any] = {"AmazonOrderId": order_id}
    if full and facts.buyer.company:
        payload["BuyerCompanyName"] = facts.buyer.company
    payload["ShippingAddress"] = v0_address(facts, full)
    return ok({"payload": payload})


def get_order_buyer_info(ctx: Ctx) -> Result:
    order_id = ctx.request.path_params["orderId"]
    i = _find_order(ctx, order_id)
    full = _rdt_allows(ctx.rdt, ctx.request.url.path, None)
    return ok(
        {"payload": {"AmazonOrderId": order_id, **v0_buyer_info(ctx.sandbox.orders.facts(i), full)}}
    )


# --- confirmShipment -------------------------------------------------------------------------
def confirm_shipment(ctx: Ctx) -> Result:
    sb = ctx.sandbox
    order_id = ctx.request.path_params["orderId"]
    body = ctx.json_body()
    record: dict[str, Any] = {
        "received_at": iso(sb.clock.now()),
        "order_id": order_id,
        "seller_id": ctx.seller,
        "application_id": ctx.app.application_id,
        "request_id": ctx.request_id,
        "body": body,
        "source": "confirmShipment",
    }
    try:
        i = _find_order(ctx, order_id)
        outcome = apply_confirmation(sb, i, body, source="confirmShipment", fault_op=ctx.operation)
    except ApiError as err:
        record.update(outcome="rejected", http_status=err.status, error=err.message)
        sb.shipments.append(record)
        raise
    record.update(outcome=outcome, http_status=204)
    sb.shipments.append(record)
    return Result(204, None)


def _positive_int_string(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit() and int(value) > 0


def validate_package(sb: Sandbox, i: int, body: Any) -> dict[str, Any]:
    """Validate a confirmShipment body as Amazon does; return the package detail."""
    if not isinstance(body, dict):
        raise invalid("The request body must be a JSON object.")
    facts = sb.orders.facts(i)
    if "marketplaceId" not in body or "packageDetail" not in body:
        raise invalid("Missing required field(s): marketplaceId, packageDetail.")
    if body["marketplaceId"] != facts.marketplace.id:
        raise invalid(
            f"Invalid marketplaceId {body['marketplaceId']!r} for order {facts.order_id}."
        )
    pkg = body["packageDetail"]
    if not isinstance(pkg, dict):
        raise invalid("packageDetail must be an object.")
    missing = [
        k
        for k in ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate", "orderItems")
        if pkg.get(k) in (None, "", [])
    ]
    if missing:
        raise invalid(f"Missing required field(s) in packageDetail: {', '.join(missing)}.")
    if not _positive_int_string(pkg["packageReferenceId"]):
        raise invalid(
            "packageReferenceId must be a string holding a positive integer.",
            f"packageReferenceId: {pkg['packageReferenceId']!r}",
        )
    codes = sb.carrier_codes.get(facts.marketplace.id, set())
    if pkg["carrierCode"] not in codes:
        raise invalid(
            f"Invalid carrierCode {pkg['carrierCode']!r}: it must match one of Amazon's carrier codes exactly."
        )
    if pkg["carrierCode"] == "Other" and not pkg.get("carrierName"):
        raise invalid("carrierName is required when carrierCode is Other.")
    if not isinstance(pkg["trackingNumber"], str):
        raise invalid("trackingNumber must be a string.")
    if (
        not isinstance(pkg["shipDate"], str)
        or parse_iso(pkg["shipDate"]) is None
        or "T" not in pkg["shipDate"]
    ):
        raise invalid(f"Invalid shipDate {pkg['shipDate']!r}: expected an ISO 8601 date-time.")
    if not isinstance(pkg["orderItems"], list):
        raise invalid("orderItems must be a list.")
    return pkg


def apply_confirmation(sb: Sandbox, i: int, body: Any, *, source: str, fault_op: str | None) -> str:
    """Validate and apply a shipment confirmation; 'accepted', 'duplicate' or 'dropped'."""
    pkg = validate_package(sb, i, body)
    facts = sb.orders.facts(i)
    now = sb.clock.now()
    with sb.lock:
        status, _ = sb.orders.timeline(i, now)
        ov = sb.orders.overlays.get(i)
        previous = (
            next(
                (p for p in ov.packages if p.package_reference_id == pkg["packageReferenceId"]),
                None,
            )
            if ov
            else None
        )
        wanted = _wanted_items(facts, pkg["orderItems"])
        if previous is not None:
            if (
                previous.items == wanted
                and previous.tracking_number == pkg["trackingNumber"]
                and previous.carrier_code == pkg["carrierCode"]
            ):
                return "duplicate"
            raise invalid(
                f"packageReferenceId {pkg['packageReferenceId']} was already confirmed for this order with other details."
            )
        if facts.afn:
            raise invalid("Shipments of orders fulfilled by Amazon cannot be confirmed.")
        if status == CANCELED:
            raise invalid(f"Order {facts.order_id} is canceled.")
        if status == PENDING:
            raise invalid(f"Order {facts.order_id} is pending and cannot be shipped yet.")
        if status not in (UNSHIPPED, PARTIALLY_SHIPPED):
            raise invalid(f"Order {facts.order_id} has no unshipped items.")
        shipped = dict(ov.shipped) if ov else {}
        for item_id, qty in wanted:
            ordered = next(it.quantity for it in facts.items if it.order_item_id == item_id)
            if shipped.get(item_id, 0) + qty > ordered:
                raise invalid(
                    f"Quantity {qty} for order item {item_id} exceeds its unshipped quantity {ordered - shipped.get(item_id, 0)}."
                )
            shipped[item_id] = shipped.get(item_id, 0) + qty
        if fault_op and sb.faults.roll(fault_op, "silent_drop"):
            return "dropped"
        ov = sb.orders.overlay(i)
        ov.shipped = shipped
        ov.first_ship = ov.first_ship or now
        ov.packages.append(
            Package(
                pkg["packageReferenceId"],
                pkg["carrierCode"],
                pkg.get("carrierName"),
                pkg.get("shippingMethod"),
                pkg["trackingNumber"],
                pkg["shipDate"],
                wanted,
                now,
                source,
            )
        )
        sb.orders.touch(i, now)
    return "accepted"


def _wanted_items(facts: Any, items: list[Any]) -> list[tuple[str, int]]:
    valid_ids = {it.order_item_id for it in facts.items}
    wanted: list[tuple[str, int]] = []
    for item in items:
        if not isinstance(item, dict) or "orderItemId" not in item or "quantity" not in item:
            raise invalid("Each order item needs orderItemId and quantity.")
        if item["orderItemId"] not in valid_ids:
            raise invalid(
                f"Order item {item['orderItemId']!r} is not part of order {facts.order_id}."
            )
        qty = item["quantity"]
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise invalid(f"Invalid quantity {qty!r} for order item {item['orderItemId']}.")
        wanted.append((str(item["orderItemId"]), qty))
    return wanted


# --- Tokens ----------------------------------------------------------------------------------
RESTRICTED_PATHS = (
    "/orders/v0/orders",
    "/orders/v0/orders/{orderId}",
    "/orders/v0/orders/{orderId}/address",
    "/orders/v0/orders/{orderId}/buyerInfo",
    "/orders/v0/orders/{orderId}/orderItems",
    "/orders/v0/orders/{orderId}/orderItems/buyerInfo",
)
DATA_ELEMENTS = frozenset({"buyerInfo", "shippingAddress", "buyerTaxInformation"})


def create_restricted_data_token(ctx: Ctx) -> Result:
    body = ctx.json_body()
    resources = body.get("restrictedResources") if isinstance(body, dict) else None
    if not isinstance(resources, list) or not resources:
        raise ApiError(
            400,
            "InvalidInput",
            "Request is missing or has invalid parameters",
            "Resource not provided.",
        )
    for res in resources:
        if not isinstance(res, dict) or res.get("method") not in ("GET", "PUT", "POST", "DELETE"):
            raise ApiError(
                400,
                "InvalidInput",
                "Request is missing or has invalid parameters",
                "Invalid method.",
            )
        path = str(res.get("path", ""))
        if not any(_path_matches(p, path) or p == path for p in RESTRICTED_PATHS):
            raise ApiError(
                400,
                "InvalidInput",
                "Request is missing or has invalid parameters",
                f"Invalid path: {path}",
            )
        bad = set(res.get("dataElements") or []) - DATA_ELEMENTS
        if bad:
            raise ApiError(
                400,
                "InvalidInput",
                "Request is missing or has invalid parameters",
                f"Invalid dataElements: {sorted(bad)}",
            )
    if not ctx.app.pii:
        raise ApiError(
            403,
            "Unauthorized",
            "Application does not have access to one or more requested data elements",
            "The application lacks the restricted role needed for this data.",
        )
    import secrets

    token = "Atz.sprdt|" + secrets.token_urlsafe(40)
    ctx.sandbox.rdts[token] = RestrictedToken(
        ctx.app.application_id, ctx.seller, resources, ctx.sandbox.clock.now() + RDT_SECONDS
    )
    return ok({"restrictedDataToken": token, "expiresIn": RDT_SECONDS})
