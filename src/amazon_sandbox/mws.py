"""Legacy MWS (shut down 2024, still the seed's model): Orders 2013-09-01, Sellers 2011-07-01,
Feeds 2009-01-01, with Signature Version 2, per-seller MWS auth tokens and XML errors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import time
from typing import Any
from urllib.parse import parse_qsl, quote

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .clock import iso, parse_iso
from .constants import MARKETPLACE_BY_ID, MARKETPLACES, MWS_RATE_PLANS
from .defaults import ALL_SELLERS
from .feedxml import count_messages, process_feed, processing_report
from .orders import MKT_INDEX, SELLER_INDEX, V0_STATUS_CODES, Query
from .render import v0_items, v0_order
from .state import Sandbox
from .web import decode_token, encode_token, new_request_id

NS = {
    "Orders": "https://mws.amazonservices.com/Orders/2013-09-01",
    "Sellers": "https://mws.amazonservices.com/Sellers/2011-07-01",
    "Feeds": "http://mws.amazonaws.com/doc/2009-01-01/",
}
ACTIONS = {
    "Orders": {"ListOrders", "ListOrdersByNextToken", "ListOrderItems", "GetServiceStatus"},
    "Sellers": {
        "ListMarketplaceParticipations",
        "ListMarketplaceParticipationsByNextToken",
        "GetServiceStatus",
    },
    "Feeds": {"SubmitFeed", "GetFeedSubmissionResult"},
}
FEED_DELAY = 30.0
_submission_ids = itertools.count(60_001_000_000)
SELLERS = {s.selling_partner_id: s for s in ALL_SELLERS}


# --- Signature Version 2 ------------------------------------------------------------------------
def percent_encode(value: str) -> str:
    """RFC 3986 encoding as SigV2 wants it: unreserved characters kept, space = %20."""
    return quote(value, safe="-_.~")


def canonical_query(params: dict[str, str]) -> str:
    items = sorted((k.encode(), v) for k, v in params.items() if k != "Signature")
    return "&".join(f"{percent_encode(k.decode())}={percent_encode(v)}" for k, v in items)


def string_to_sign(method: str, host: str, path: str, params: dict[str, str]) -> str:
    return f"{method.upper()}\n{host.lower()}\n{path or '/'}\n{canonical_query(params)}"


def sign(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


# --- XML helpers ---------------------------------------------------------------------------
class MwsError(Exception):
    def __init__(self, status: int, code: str, message: str, kind: str = "Sender") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.kind = status, code, message, kind


def _nsmap(section: str) -> Any:  # lxml wants None as the default-namespace key
    return {None: NS[section]}


def _error(section: str, err: MwsError, request_id: str) -> Response:
    root = etree.Element("ErrorResponse", nsmap=_nsmap(section))
    e = etree.SubElement(root, "Error")
    etree.SubElement(e, "Type").text = err.kind
    etree.SubElement(e, "Code").text = err.code
    etree.SubElement(e, "Message").text = err.message
    etree.SubElement(root, "RequestID").text = request_id
    return _xml(root, err.status, request_id)


def _xml(root: etree._Element, status: int, request_id: str) -> Response:
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Response(body, status, {"x-mws-request-id": request_id}, "text/xml")


def _add(parent: etree._Element, name: str, value: Any) -> None:
    """Add JSON-shaped data as MWS XML (lists: a wrapper holding singular elements)."""
    el = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for k, v in value.items():
            _add(el, k, v)
    elif isinstance(value, list):
        child = name[:-1] if name.endswith("s") else name
        for v in value:
            _add(el, child, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)


def _response(section: str, action: str, request_id: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{action}Response", nsmap=_nsmap(section))
    result = etree.SubElement(root, f"{action}Result")
    return root, result


def _finish(root: etree._Element, request_id: str) -> Response:
    meta = etree.SubElement(root, "ResponseMetadata")
    etree.SubElement(meta, "RequestId").text = request_id
    return _xml(root, 200, request_id)


# --- the endpoint ------------------------------------------------------------------------------
def _endpoint(section: str) -> Any:
    async def endpoint(request: Request) -> Response:
        sb: Sandbox = request.app.state.sandbox
        rid = new_request_id()
        params = dict(request.query_params)
        body = await request.body()
        if request.method == "POST" and "application/x-www-form-urlencoded" in request.headers.get(
            "content-type", ""
        ):
            params.update(dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)))
            body = b""
        action = params.get("Action", "")
        operation = f"mws.{action or section}"
        seller = params.get("SellerId") or params.get("Merchant")
        try:
            _authenticate(sb, request, section, params)
            plan = MWS_RATE_PLANS.get(operation)
            if plan and not sb.limiter.take(
                (seller or "-", params["AWSAccessKeyId"], operation), plan
            ):
                sb.record_call(
                    operation,
                    503,
                    seller=seller,
                    throttled=True,
                    path=request.url.path,
                    request_id=rid,
                )
                return _error(
                    section, MwsError(503, "RequestThrottled", "Request is throttled"), rid
                )
            if sb.faults.roll(operation, "503"):
                raise MwsError(
                    503,
                    "ServiceUnavailable",
                    "Service temporarily unavailable. Please try again.",
                    "Receiver",
                )
            if sb.faults.roll(operation, "500"):
                raise MwsError(
                    500,
                    "InternalError",
                    "We encountered an internal error. Please try again.",
                    "Receiver",
                )
            response = _dispatch(sb, section, action, params, body, rid, request)
        except MwsError as err:
            sb.record_call(
                operation, err.status, seller=seller, path=request.url.path, request_id=rid
            )
            return _error(section, err, rid)
        sb.record_call(
            operation, response.status_code, seller=seller, path=request.url.path, request_id=rid
        )
        return response

    return endpoint


def _authenticate(sb: Sandbox, request: Request, section: str, params: dict[str, str]) -> None:
    for name in (
        "AWSAccessKeyId",
        "Action",
        "SignatureMethod",
        "SignatureVersion",
        "Timestamp",
        "Signature",
    ):
        if not params.get(name):
            raise MwsError(
                400, "MissingParameter", f"The request must contain the parameter {name}."
            )
    if params["Action"] not in ACTIONS[section]:
        raise MwsError(
            400,
            "InvalidAction",
            f"The action {params['Action']} is not valid for this web service.",
        )
    if params["SignatureVersion"] != "2" or params["SignatureMethod"] not in (
        "HmacSHA256",
        "HmacSHA1",
    ):
        raise MwsError(
            400, "InvalidParameterValue", "Only SignatureVersion 2 with HmacSHA256 is supported."
        )
    dev = next(
        (d for d in sb.mws_developers.values() if d.access_key_id == params["AWSAccessKeyId"]), None
    )
    if dev is None:
        raise MwsError(
            401,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    host = request.headers.get("host", "")
    expected = sign(dev.secret_key, string_to_sign(request.method, host, request.url.path, params))
    if not hmac.compare_digest(expected, params["Signature"]):
        raise MwsError(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature "
            "you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    stamp = parse_iso(params["Timestamp"])
    if stamp is None or min(abs(stamp - time.time()), abs(stamp - sb.clock.now())) > 900:
        raise MwsError(
            400, "RequestExpired", "Request has expired. Timestamp date is " + params["Timestamp"]
        )
    if params["Action"] == "GetServiceStatus":
        return
    seller = params.get("SellerId") or params.get("Merchant")
    if not seller or seller not in SELLERS:
        raise MwsError(401, "InvalidParameterValue", f"Invalid seller id: {seller}")
    auth = sb.find_authorization("mws", seller, dev.developer_id)
    denied = MwsError(401, "AccessDenied", f"Access to {section}.{params['Action']} is denied")
    if auth is None or params.get("MWSAuthToken") != auth.mws_auth_token:
        raise denied
    if auth.state(sb.clock.now()) != "active":
        raise denied


def _dispatch(
    sb: Sandbox,
    section: str,
    action: str,
    params: dict[str, str],
    body: bytes,
    rid: str,
    request: Request,
) -> Response:
    if action == "GetServiceStatus":
        root, result = _response(section, action, rid)
        etree.SubElement(result, "Status").text = "GREEN"
        etree.SubElement(result, "Timestamp").text = iso(sb.clock.now())
        return _finish(root, rid)
    handler = {
        "ListOrders": _list_orders,
        "ListOrdersByNextToken": _list_orders,
        "ListOrderItems": _list_order_items,
        "ListMarketplaceParticipations": _participations,
        "ListMarketplaceParticipationsByNextToken": _participations,
        "SubmitFeed": _submit_feed,
        "GetFeedSubmissionResult": _feed_result,
    }[action]
    return handler(sb, section, action, params, body, rid)  # type: ignore[operator, no-any-return]


def _numbered(params: dict[str, str], prefix: str) -> list[str]:
    return [v for k, v in sorted(params.items(), key=lambda kv: kv[0]) if k.startswith(prefix)]


def _list_orders(
    sb: Sandbox, section: str, action: str, params: dict[str, str], body: bytes, rid: str
) -> Response:
    seller = params["SellerId"]
    now = sb.clock.now()
    if action == "ListOrdersByNextToken":
        data = decode_token(params.get("NextToken", ""))
        if not data or data.get("api") != "mws" or data.get("seller") != seller:
            raise MwsError(400, "InvalidParameterValue", "Invalid NextToken")
        q = Query(
            int(data["s"]),
            frozenset(data["m"]),
            data["mode"],
            data["a"],
            data["b"],
            frozenset(data["st"]) if data.get("st") is not None else None,
            frozenset(bool(c) for c in data["ch"]) if data.get("ch") is not None else None,
        )
        cursor: tuple[float, int] | None = (data["k"][0], data["k"][1])
        size = int(data["n"])
    else:
        q, size = (
            _orders_query(sb, params, seller, now),
            int(params.get("MaxResultsPerPage", "100") or 100),
        )
        cursor = None
        if not 1 <= size <= 100:
            raise MwsError(
                400, "InvalidParameterValue", "MaxResultsPerPage must be between 1 and 100"
            )
    hits: list[tuple[float, int]] = []
    more = False
    for hit in sb.orders.iterate(q, now, cursor):
        if len(hits) == size:
            more = True
            break
        hits.append(hit)
    root, result = _response(section, action, rid)
    if more:
        token = encode_token(
            {
                "api": "mws",
                "seller": seller,
                "s": q.seller,
                "m": sorted(q.marketplaces),
                "mode": q.mode,
                "a": q.after,
                "b": q.before,
                "st": sorted(q.statuses) if q.statuses is not None else None,
                "ch": sorted(q.channels) if q.channels is not None else None,
                "k": list(hits[-1]),
                "n": size,
            }
        )
        etree.SubElement(result, "NextToken").text = token
    etree.SubElement(
        result, "CreatedBefore" if q.mode == "created" else "LastUpdatedBefore"
    ).text = iso(min(q.before, now))
    orders_el = etree.SubElement(result, "Orders")
    for _, i in hits:
        status, last = sb.orders.timeline(i, now)
        data = v0_order(sb.orders, i, status, last, address=True, buyer=True)
        buyer = data.pop("BuyerInfo", {}) or {}
        data.update(buyer)  # MWS has BuyerEmail/BuyerName on the order itself
        _add(orders_el, "Order", data)
    return _finish(root, rid)


def _orders_query(sb: Sandbox, params: dict[str, str], seller: str, now: float) -> Query:
    mkts = _numbered(params, "MarketplaceId.Id.")
    if not mkts:
        raise MwsError(
            400, "MissingParameter", "The request must contain the parameter MarketplaceId."
        )
    own = {MARKETPLACES[c].id for c in SELLERS[seller].marketplaces}
    if any(m not in own for m in mkts):
        raise MwsError(
            400,
            "InvalidParameterValue",
            "Invalid MarketplaceId: the seller does not participate in it.",
        )
    ca, ua = params.get("CreatedAfter"), params.get("LastUpdatedAfter")
    if (ca is None) == (ua is None):
        raise MwsError(
            400,
            "InvalidParameterValue",
            "Exactly one of CreatedAfter and LastUpdatedAfter must be specified.",
        )
    mode = "created" if ca else "updated"
    after = parse_iso(ca or ua or "")
    raw_before = params.get("CreatedBefore" if mode == "created" else "LastUpdatedBefore")
    before = parse_iso(raw_before) if raw_before else now
    if after is None or before is None:
        raise MwsError(400, "InvalidParameterValue", "Invalid date: expected ISO 8601.")
    if raw_before and before > now - 120:
        raise MwsError(
            400,
            "InvalidParameterValue",
            "Before date must be no later than two minutes before the request.",
        )
    statuses = _numbered(params, "OrderStatus.Status.")
    channels = _numbered(params, "FulfillmentChannel.Channel.")
    if any(s not in V0_STATUS_CODES for s in statuses) or any(
        c not in ("MFN", "AFN") for c in channels
    ):
        raise MwsError(
            400, "InvalidParameterValue", "Invalid OrderStatus or FulfillmentChannel value."
        )
    return Query(
        SELLER_INDEX[seller],
        frozenset(MKT_INDEX[MARKETPLACE_BY_ID[m].code] for m in mkts),
        mode,
        after,
        before,
        frozenset(V0_STATUS_CODES[s] for s in statuses) if statuses else None,
        frozenset(c == "AFN" for c in channels) if channels else None,
    )


def _list_order_items(
    sb: Sandbox, section: str, action: str, params: dict[str, str], body: bytes, rid: str
) -> Response:
    order_id = params.get("AmazonOrderId", "")
    i = sb.orders.index_of(order_id)
    now = sb.clock.now()
    if (
        i is None
        or sb.orders.seller[i] != SELLER_INDEX.get(params["SellerId"], -1)
        or sb.orders.t0[i] > now
    ):
        raise MwsError(400, "InvalidParameterValue", f"Invalid AmazonOrderId: {order_id}")
    status, _ = sb.orders.timeline(i, now)
    root, result = _response(section, action, rid)
    etree.SubElement(result, "AmazonOrderId").text = order_id
    items_el = etree.SubElement(result, "OrderItems")
    for item in v0_items(sb.orders, i, status, now):
        _add(items_el, "OrderItem", item)
    return _finish(root, rid)


def _participations(
    sb: Sandbox, section: str, action: str, params: dict[str, str], body: bytes, rid: str
) -> Response:
    seller = SELLERS[params["SellerId"]]
    root, result = _response(section, action, rid)
    parts = etree.SubElement(result, "ListParticipations")
    markets = etree.SubElement(result, "ListMarketplaces")
    for code in seller.marketplaces:
        m = MARKETPLACES[code]
        p = etree.SubElement(parts, "Participation")
        for k, v in (
            ("MarketplaceId", m.id),
            ("SellerId", seller.selling_partner_id),
            ("HasSellerSuspendedListings", "No"),
        ):
            etree.SubElement(p, k).text = v
        mk = etree.SubElement(markets, "Marketplace")
        for k, v in (
            ("MarketplaceId", m.id),
            ("Name", m.name),
            ("DefaultCountryCode", m.country),
            ("DefaultCurrencyCode", m.currency),
            ("DefaultLanguageCode", m.language),
            ("DomainName", m.domain),
        ):
            etree.SubElement(mk, k).text = v
    return _finish(root, rid)


def _submit_feed(
    sb: Sandbox, section: str, action: str, params: dict[str, str], body: bytes, rid: str
) -> Response:
    if params.get("FeedType") != "_POST_ORDER_FULFILLMENT_DATA_":
        raise MwsError(
            400,
            "InvalidParameterValue",
            f"Feed type {params.get('FeedType')} is not supported by the sandbox.",
        )
    if not body:
        raise MwsError(400, "MissingParameter", "The feed content is empty.")
    md5 = params.get("ContentMD5Value")
    if not md5:
        raise MwsError(
            400, "MissingParameter", "The request must contain the parameter ContentMD5Value."
        )
    if md5 != base64.b64encode(hashlib.md5(body).digest()).decode():  # noqa: S324 - MWS's own checksum
        raise MwsError(
            400,
            "ContentMD5DoesNotMatch",
            "the Content-MD5 HTTP header you passed for your feed did not match "
            "the Content-MD5 we calculated for your feed",
        )
    sub_id = str(next(_submission_ids))
    now = sb.clock.now()
    sb.mws_feeds[sub_id] = {
        "FeedSubmissionId": sub_id,
        "FeedType": params["FeedType"],
        "SubmittedDate": iso(now),
        "_created": now,
        "_seller": params["Merchant"],
        "_content": body,
        "_report": None,
    }
    root, result = _response(section, action, rid)
    info = etree.SubElement(result, "FeedSubmissionInfo")
    for k, v in (
        ("FeedSubmissionId", sub_id),
        ("FeedType", params["FeedType"]),
        ("SubmittedDate", iso(now)),
        ("FeedProcessingStatus", "_SUBMITTED_"),
    ):
        etree.SubElement(info, k).text = v
    return _finish(root, rid)


def _feed_result(
    sb: Sandbox, section: str, action: str, params: dict[str, str], body: bytes, rid: str
) -> Response:
    sub_id = params.get("FeedSubmissionId", "")
    feed = sb.mws_feeds.get(sub_id)
    if feed is None or feed["_seller"] != params["Merchant"]:
        raise MwsError(400, "InvalidParameterValue", f"Invalid FeedSubmissionId: {sub_id}")
    if sb.clock.now() - feed["_created"] < FEED_DELAY:
        raise MwsError(
            404,
            "FeedProcessingResultNotReady",
            f"Feed Submission Result is not ready for Feed {sub_id}",
        )
    if feed["_report"] is None:
        results = process_feed(sb, feed["_seller"], feed["_content"], "mws-feed")
        feed["_report"] = processing_report(
            feed["_seller"], sub_id, count_messages(feed["_content"]), results
        )
    report: bytes = feed["_report"]
    md5 = base64.b64encode(hashlib.md5(report).digest()).decode()  # noqa: S324
    return Response(report, 200, {"x-mws-request-id": rid, "Content-MD5": md5}, "text/xml")


ROUTES = [
    Route(f"/{section}/{version}", _endpoint(section), methods=["GET", "POST"])
    for section, version in (
        ("Orders", "2013-09-01"),
        ("Sellers", "2011-07-01"),
        ("Feeds", "2009-01-01"),
    )
] + [Route("/", _endpoint("Feeds"), methods=["POST"])]  # MWS Feeds also answered at the host root
