"""Shipment confirmations to Amazon: the confirmShipment body, the 2026 getOrder read-back,
and the legacy MWS `_POST_ORDER_FULFILLMENT_DATA_` feed (SubmitFeed with Content-MD5, then
GetFeedSubmissionResult's ProcessingReport).

The `*_body`, `*_xml` and `parse_*` functions are pure; the others do their I/O only
through client.py (rate limiter, LWA, error classes). confirmShipment is sent ONCE per
call (`attempts=1`): after a time-out or a 5xx Amazon may hold the package, so the outbox
reads back before it sends again. A 429 is safe to repeat (Amazon refused it unread).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any
from urllib.parse import quote

from lxml import etree

from colis.integrations.ports import (
    ConfirmedPackage,
    InvalidRequest,
    ShipmentConfirmation,
    ShipmentReceipt,
    SubmissionResult,
    TemporaryFailure,
)
from colis.marketplaces.amazon.client import AmazonClient

FEEDS_PATH = "/Feeds/2009-01-01"
FEEDS_VERSION = "2009-01-01"
FEED_TYPE = "_POST_ORDER_FULFILLMENT_DATA_"


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- pure mapping ------------------------------------------------------------------------
def confirm_shipment_body(c: ShipmentConfirmation) -> dict[str, Any]:
    """The confirmShipment JSON (Orders v0)."""
    detail: dict[str, Any] = {
        "packageReferenceId": c.package_reference_id,
        "carrierCode": c.carrier_code,
        "trackingNumber": c.tracking_number,
        "shipDate": _iso(c.ship_date),
        "orderItems": [{"orderItemId": oid, "quantity": qty} for oid, qty in c.items],
    }
    if c.carrier_code == "Other" or c.carrier_name:
        detail["carrierName"] = c.carrier_name
    if c.shipping_method:
        detail["shippingMethod"] = c.shipping_method
    return {"marketplaceId": c.marketplace_id, "packageDetail": detail}


def packages_from_order_2026(body: Any) -> tuple[ConfirmedPackage, ...]:
    """`order.packages[]` of a 2026-01-01 getOrder answer."""
    order = body.get("order") if isinstance(body, dict) else None
    raw = order.get("packages") if isinstance(order, dict) else None
    out: list[ConfirmedPackage] = []
    for p in raw if isinstance(raw, list) else []:
        if not isinstance(p, dict):
            continue
        items = tuple(
            (str(i.get("orderItemId", "")), int(i.get("quantity") or 0))
            for i in p.get("packageItems") or []
            if isinstance(i, dict)
        )
        out.append(
            ConfirmedPackage(
                package_reference_id=str(p.get("packageReferenceId", "")),
                carrier=str(p.get("carrier", "")),
                tracking_number=str(p.get("trackingNumber", "")),
                items=items,
            )
        )
    return tuple(out)


def fulfillment_feed_xml(*, merchant_id: str, confirmations: list[ShipmentConfirmation]) -> bytes:
    """An AmazonEnvelope of OrderFulfillment messages (OrderFulfillment.xsd): one message
    per package, `MerchantFulfillmentID` = the package reference id, CarrierCode or (for
    `Other`) CarrierName — the XSD allows one of the two."""
    env = etree.Element("AmazonEnvelope")
    header = etree.SubElement(env, "Header")
    etree.SubElement(header, "DocumentVersion").text = "1.01"
    etree.SubElement(header, "MerchantIdentifier").text = merchant_id
    etree.SubElement(env, "MessageType").text = "OrderFulfillment"
    for n, c in enumerate(confirmations, start=1):
        msg = etree.SubElement(env, "Message")
        etree.SubElement(msg, "MessageID").text = str(n)
        of = etree.SubElement(msg, "OrderFulfillment")
        etree.SubElement(of, "AmazonOrderID").text = c.order_external_id
        etree.SubElement(of, "MerchantFulfillmentID").text = c.package_reference_id
        etree.SubElement(of, "FulfillmentDate").text = _iso(c.ship_date)
        data = etree.SubElement(of, "FulfillmentData")
        if c.carrier_code == "Other":
            etree.SubElement(data, "CarrierName").text = c.carrier_name or "Other"
        else:
            etree.SubElement(data, "CarrierCode").text = c.carrier_code
        if c.shipping_method:
            etree.SubElement(data, "ShippingMethod").text = c.shipping_method
        etree.SubElement(data, "ShipperTrackingNumber").text = c.tracking_number
        for order_item_id, quantity in c.items:
            item = etree.SubElement(of, "Item")
            etree.SubElement(item, "AmazonOrderItemCode").text = order_item_id
            etree.SubElement(item, "Quantity").text = str(quantity)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def content_md5(body: bytes) -> str:
    return base64.b64encode(hashlib.md5(body).digest()).decode("ascii")  # noqa: S324 - MWS's checksum


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(el: Any, name: str) -> str:
    for child in el:
        if _local(child.tag) == name:
            return (child.text or "").strip()
    return ""


def parse_submission_id(root: Any) -> str:
    for el in root.iter():
        if _local(el.tag) == "FeedSubmissionId":
            return (el.text or "").strip()
    return ""


def parse_processing_report(root: Any, *, message_refs: dict[str, str]) -> SubmissionResult:
    """A ProcessingReport → errors per package reference id (`message_refs`: MessageID →
    package reference id; MessageID 0 is the whole feed)."""
    errors: dict[str, str] = {}
    complete = False
    for el in root.iter():
        name = _local(el.tag)
        if name == "StatusCode" and (el.text or "").strip() == "Complete":
            complete = True
        elif name == "Result" and _child_text(el, "ResultCode") == "Error":
            mid = _child_text(el, "MessageID")
            ref = "" if mid == "0" else message_refs.get(mid, mid)
            errors[ref] = _child_text(el, "ResultDescription")[:500]
    return SubmissionResult(done=complete, errors=errors)


# --- I/O through client.py -----------------------------------------------------------------
def confirm_shipment_spapi(client: AmazonClient, c: ShipmentConfirmation) -> ShipmentReceipt:
    client.request(
        "POST",
        f"/orders/v0/orders/{quote(c.order_external_id, safe='')}/shipmentConfirmation",
        operation="confirmShipment",
        json_body=confirm_shipment_body(c),
        attempts=1,
    )
    return ShipmentReceipt()


def confirmed_packages_2026(
    client: AmazonClient, order_external_id: str
) -> tuple[ConfirmedPackage, ...]:
    body = client.request(
        "GET",
        f"/orders/2026-01-01/orders/{quote(order_external_id, safe='')}",
        operation="getOrder2026",
        params={"includedData": "PACKAGES"},
    )
    return packages_from_order_2026(body)


def submit_fulfillment_feed(
    client: AmazonClient, *, marketplace_id: str, c: ShipmentConfirmation
) -> ShipmentReceipt:
    body = fulfillment_feed_xml(merchant_id=client.seller_id, confirmations=[c])
    root = client.mws(
        "SubmitFeed",
        path=FEEDS_PATH,
        version=FEEDS_VERSION,
        marketplace_id=marketplace_id,
        params={
            "Merchant": client.seller_id,  # Feeds name the seller "Merchant"
            "FeedType": FEED_TYPE,
            "ContentMD5Value": content_md5(body),
            "MarketplaceIdList.Id.1": marketplace_id,
            "PurgeAndReplace": "false",
        },
        body=body,
        attempts=1,
    )
    submission_id = parse_submission_id(root)
    if not submission_id:
        raise TemporaryFailure("Amazon MWS answered SubmitFeed without a submission id.")
    return ShipmentReceipt(submission_id=submission_id)


def fulfillment_feed_result(
    client: AmazonClient, *, marketplace_id: str, submission_id: str, package_reference_id: str
) -> SubmissionResult:
    try:
        root = client.mws(
            "GetFeedSubmissionResult",
            path=FEEDS_PATH,
            version=FEEDS_VERSION,
            marketplace_id=marketplace_id,
            params={"Merchant": client.seller_id, "FeedSubmissionId": submission_id},
        )
    except InvalidRequest as exc:
        if exc.code == "FeedProcessingResultNotReady":
            return SubmissionResult(done=False)
        raise
    # One package per feed: message 1 is that package.
    return parse_processing_report(root, message_refs={"1": package_reference_id})
