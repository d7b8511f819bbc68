"""Ground truth and controls under /_sandbox/ (JSON). Not part of Amazon: the tests' and
demos' view into the sandbox and their levers on it."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import defaults
from .clock import iso, parse_iso
from .constants import MARKETPLACE_BY_ID, MARKETPLACES
from .faults import FaultSpecError, make_fault
from .orders import MKT_INDEX, SELLER_INDEX, V0_STATUS
from .render import packages_2026, v2026_order
from .state import Application, Sandbox

ALL_DATA = frozenset({"BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PACKAGES", "CANCELLATION"})


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status, media_type="application/json")


def _bad(message: str, status: int = 400) -> Response:
    return _json({"error": message}, status)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    data = orjson.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    return data


def _sb(request: Request) -> Sandbox:
    return request.app.state.sandbox  # type: ignore[no-any-return]


# --- clock ----------------------------------------------------------------------------------
async def clock(request: Request) -> Response:
    sb = _sb(request)
    if request.method == "POST":
        data = await _body(request)
        if "advance_seconds" in data:
            sb.clock.advance(float(data["advance_seconds"]))
        elif "set" in data:
            when = parse_iso(str(data["set"]))
            if when is None:
                return _bad("set must be an ISO 8601 date-time")
            sb.clock.set(when)
        else:
            return _bad('expected {"advance_seconds": N} or {"set": "<ISO 8601>"}')
    return _json(
        {"now": iso(sb.clock.now()), "epoch": sb.clock.now(), "started_at": iso(sb.started_at)}
    )


# --- calls ------------------------------------------------------------------------------------
async def calls(request: Request) -> Response:
    sb = _sb(request)
    if request.method in ("DELETE", "POST"):
        sb.reset_calls()
    return _json(sb.calls_json(int(request.query_params.get("limit", "200"))))


# --- orders -----------------------------------------------------------------------------------
def _order_truth(sb: Sandbox, i: int) -> dict[str, Any]:
    now = sb.clock.now()
    status, last = sb.orders.timeline(i, now)
    facts = sb.orders.facts(i)
    data = v2026_order(sb.orders, i, max(status, 0), last or facts.t0, now, ALL_DATA, True)
    data["_sandbox"] = {
        "index": i,
        "seller_id": facts.seller.selling_partner_id,
        "status": V0_STATUS[status] if status >= 0 else "NotYetCreated",
        "fulfillment_channel": "AFN" if facts.afn else "MFN",
        "buyer_requested_cancel": sb.orders.buyer_cancel_requested(i, now),
        "skus": [
            {
                "sku": it.sku.sku,
                "asin": it.sku.asin,
                "catalog_weight": _w(it.sku.catalog_weight),
                "listing_weight": _w(it.sku.listing_weight),
            }
            for it in facts.items
        ],
        "packages": packages_2026(sb.orders, i),
    }
    return data


def _w(weight: Any) -> dict[str, Any] | None:
    return {"unit": weight.unit, "value": weight.value} if weight else None


async def orders(request: Request) -> Response:
    sb = _sb(request)
    if request.method == "POST":
        return await _add_orders(request, sb)
    params = request.query_params
    seller = params.get("seller_id")
    limit = min(int(params.get("limit", "100")), 1000)
    offset = int(params.get("offset", "0"))
    include_future = params.get("include_future") == "true"
    now = sb.clock.now()
    out, skipped = [], 0
    for i in range(len(sb.orders)):
        if seller and sb.orders.seller[i] != SELLER_INDEX.get(seller, -1):
            continue
        if not include_future and sb.orders.t0[i] > now:
            continue
        if skipped < offset:
            skipped += 1
            continue
        out.append(_order_truth(sb, i))
        if len(out) >= limit:
            break
    return _json({"orders": out, "total": len(sb.orders), "now": iso(now)})


async def order_detail(request: Request) -> Response:
    sb = _sb(request)
    i = sb.orders.index_of(request.path_params["order_id"])
    if i is None:
        return _bad("no such order", 404)
    return _json(_order_truth(sb, i))


async def _add_orders(request: Request, sb: Sandbox) -> Response:
    data = await _body(request)
    seller = str(data.get("seller_id", defaults.SELLER_1.selling_partner_id))
    if seller not in SELLER_INDEX:
        return _bad(f"unknown seller {seller}")
    seller_obj = next(s for s in defaults.SELLERS if s.selling_partner_id == seller)
    mid = str(data.get("marketplace_id", MARKETPLACES[seller_obj.marketplaces[0]].id))
    if mid not in MARKETPLACE_BY_ID or MARKETPLACE_BY_ID[mid].code not in seller_obj.marketplaces:
        return _bad(f"seller {seller} does not sell in {mid}")
    items = data.get("items")
    known = {s.sku for s in sb.catalog.by_seller[seller]}
    if items and any(str(it.get("sku")) not in known for it in items):
        return _bad("unknown sku for this seller")
    ids = []
    for _ in range(int(data.get("count", 1))):
        i = sb.orders.add_order(
            now=sb.clock.now(),
            seller=SELLER_INDEX[seller],
            mkt=MKT_INDEX[MARKETPLACE_BY_ID[mid].code],
            afn=data.get("fulfillment_channel", "MFN") == "AFN",
            prime=bool(data.get("prime", False)),
            business=bool(data.get("business", False)),
            pending_seconds=float(data.get("pending_seconds", 0)),
            items=items,
        )
        ids.append(sb.orders.order_id(i))
    return _json({"order_ids": ids}, 201)


async def order_action(request: Request) -> Response:
    """POST /_sandbox/orders/{id}/cancel | /buyer-cancel: change an order as Amazon would."""
    sb = _sb(request)
    i = sb.orders.index_of(request.path_params["order_id"])
    if i is None or request.path_params["action"] not in ("cancel", "buyer-cancel"):
        return _bad("no such order or action (cancel, buyer-cancel)", 404)
    now = sb.clock.now()
    ov = sb.orders.overlay(i)
    if request.path_params["action"] == "cancel":
        ov.canceled_at = now
    else:
        ov.buyer_cancel_at = now
    sb.orders.touch(i, now)
    return _json(_order_truth(sb, i))


async def shipments(request: Request) -> Response:
    sb = _sb(request)
    order_id = request.query_params.get("order_id")
    rows = [s for s in sb.shipments if not order_id or s["order_id"] == order_id]
    summary: dict[str, int] = {}
    for row in rows:
        summary[row["outcome"]] = summary.get(row["outcome"], 0) + 1
    return _json({"shipments": rows, "summary": summary})


# --- authorizations ---------------------------------------------------------------------------
async def authorizations(request: Request) -> Response:
    sb = _sb(request)
    now = sb.clock.now()
    return _json({"authorizations": [a.to_json(now) for a in sb.authorizations], "now": iso(now)})


async def authorization_action(request: Request) -> Response:
    sb = _sb(request)
    data = await _body(request)
    seller = str(data.get("seller_id", ""))
    if "developer_id" in data:
        auth = sb.find_authorization("mws", seller, str(data["developer_id"]))
    else:
        auth = sb.find_authorization(
            "spapi", seller, str(data.get("application_id", defaults.APPLICATION_ID))
        )
    if auth is None:
        return _bad("no such authorization", 404)
    action = request.path_params["action"]
    if action == "expire":
        sb.expire_authorization(auth)
    elif action == "revoke":
        sb.revoke_authorization(auth)
    elif action == "renew":
        sb.renew_authorization(auth)
    else:
        return _bad("action must be expire, renew or revoke", 404)
    return _json(auth.to_json(sb.clock.now()))


# --- applications -----------------------------------------------------------------------------
async def applications(request: Request) -> Response:
    sb = _sb(request)
    if request.method == "POST":
        data = await _body(request)
        try:
            redirect = data.get("redirect_uris") or [data["redirect_uri"]]
            app = Application(
                str(data["application_id"]),
                str(data["client_id"]),
                str(data["client_secret"]),
                [str(u) for u in redirect],
                [str(r) for r in data.get("roles", [])],
                str(data.get("name", "Sandbox application")),
                bool(data.get("published", True)),
            )
        except KeyError as exc:
            return _bad(f"missing field {exc.args[0]}")
        if "secret_expires_at" in data:
            app.secret_expires_at = parse_iso(str(data["secret_expires_at"])) or 0.0
        sb.register_application(app)
        return _json(app.to_json(), 201)
    return _json({"applications": [a.to_json() for a in sb.applications.values()]})


# --- faults -----------------------------------------------------------------------------------
async def faults(request: Request) -> Response:
    sb = _sb(request)
    if request.method == "DELETE":
        sb.faults.clear()
    elif request.method == "POST":
        data = await _body(request)
        entries = data.get("faults", [data])
        try:
            for e in entries:
                sb.faults.add(
                    make_fault(
                        str(e.get("operation", "*")), str(e.get("kind", "")), e.get("value", 1)
                    )
                )
        except FaultSpecError as exc:
            return _bad(str(exc))
    return _json({"faults": [f.to_json() for f in sb.faults.list()]})


# --- identity, carriers, feeds -----------------------------------------------------------------
async def identity(request: Request) -> Response:
    sb = _sb(request)
    return _json(
        {
            "application": sb.applications[defaults.APPLICATION_ID].to_json(),
            "mws_developer": {
                "developer_id": defaults.MWS_DEVELOPER_ID,
                "access_key_id": defaults.MWS_ACCESS_KEY_ID,
                "secret_key": defaults.MWS_SECRET_KEY,
            },
            "sellers": [
                {
                    "selling_partner_id": s.selling_partner_id,
                    "store_name": s.store_name,
                    "marketplaces": {c: MARKETPLACES[c].id for c in s.marketplaces},
                    "mws_auth_token": s.mws_auth_token,
                    "refresh_token": s.refresh_token,
                }
                for s in defaults.ALL_SELLERS
            ],
            "base_url": sb.base_url,
        }
    )


async def carriers(request: Request) -> Response:
    sb = _sb(request)
    if request.method == "POST":
        data = await _body(request)
        mid = str(data.get("marketplace_id", ""))
        if mid not in sb.carrier_codes:
            return _bad("unknown marketplace")
        sb.carrier_codes[mid] = set(data.get("codes", [])) | {"Other"}
    return _json({mid: sorted(codes) for mid, codes in sb.carrier_codes.items()})


async def feeds(request: Request) -> Response:
    from .spapi_feeds import feed_view

    sb = _sb(request)
    for feed in sb.feeds.values():
        feed["view"] = feed_view(sb, feed)  # processes feeds that are due
    return _json({"feeds": list(sb.feeds.values()), "mws_feeds": list(sb.mws_feeds.values())})


async def skus(request: Request) -> Response:
    sb = _sb(request)
    seller = request.query_params.get("seller_id")
    out = [
        {
            "seller_id": s.seller_id,
            "sku": s.sku,
            "asin": s.asin,
            "title": s.title,
            "catalog_weight": _w(s.catalog_weight),
            "listing_weight": _w(s.listing_weight),
        }
        for sid, lst in sb.catalog.by_seller.items()
        if not seller or sid == seller
        for s in lst
    ]
    return _json({"skus": out})


def _guard(handler: Any) -> Any:
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)  # type: ignore[no-any-return]
        except (ValueError, TypeError, orjson.JSONDecodeError) as exc:
            return _bad(f"bad request: {exc}")

    return wrapped


ROUTES = [
    Route("/_sandbox/clock", _guard(clock), methods=["GET", "POST"]),
    Route("/_sandbox/calls", _guard(calls), methods=["GET", "POST", "DELETE"]),
    Route("/_sandbox/orders", _guard(orders), methods=["GET", "POST"]),
    Route("/_sandbox/orders/{order_id}", _guard(order_detail), methods=["GET"]),
    Route("/_sandbox/orders/{order_id}/{action:str}", _guard(order_action), methods=["POST"]),
    Route("/_sandbox/shipments", _guard(shipments), methods=["GET"]),
    Route("/_sandbox/authorizations", _guard(authorizations), methods=["GET"]),
    Route("/_sandbox/authorizations/{action}", _guard(authorization_action), methods=["POST"]),
    Route("/_sandbox/applications", _guard(applications), methods=["GET", "POST"]),
    Route("/_sandbox/faults", _guard(faults), methods=["GET", "POST", "DELETE"]),
    Route("/_sandbox/identity", _guard(identity), methods=["GET"]),
    Route("/_sandbox/carriers", _guard(carriers), methods=["GET", "POST"]),
    Route("/_sandbox/feeds", _guard(feeds), methods=["GET"]),
    Route("/_sandbox/skus", _guard(skus), methods=["GET"]),
]
