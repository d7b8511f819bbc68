"""The XML order-fulfillment feed (POST_ORDER_FULFILLMENT_DATA / _POST_ORDER_FULFILLMENT_DATA_):
structural validation in code (always), XSD validation when AMAZON_SANDBOX_XSD_DIR points
at Amazon's MWS XSDs, application to the order book, and the ProcessingReport."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lxml import etree

from .clock import parse_iso
from .web import ApiError

XSD_ENV = "AMAZON_SANDBOX_XSD_DIR"
ORDER_ID = re.compile(r"^\w{3}-\w{7}-\w{7}$")
ITEM_CODE = re.compile(r"^\d{14}$")
ID_NUMBER = re.compile(r"^\d{1,20}$")
VERSION = re.compile(r"^\d{1,2}\.\d{1,2}$")
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)

# The envelope of amzn-envelope.xsd, restricted to the message types this sandbox handles
# (the published envelope includes dozens of XSDs that are not part of the 2015 set).
WRAPPER = """<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xsd:include schemaLocation="amzn-base.xsd"/>
  <xsd:include schemaLocation="amzn-header.xsd"/>
  <xsd:include schemaLocation="OrderFulfillment.xsd"/>
  <xsd:include schemaLocation="ProcessingReport.xsd"/>
  <xsd:element name="AmazonEnvelope">
    <xsd:complexType><xsd:sequence>
      <xsd:element ref="Header"/>
      <xsd:element name="MessageType"><xsd:simpleType><xsd:restriction base="xsd:string">
        <xsd:enumeration value="OrderFulfillment"/><xsd:enumeration value="ProcessingReport"/>
      </xsd:restriction></xsd:simpleType></xsd:element>
      <xsd:element name="PurgeAndReplace" type="xsd:boolean" minOccurs="0"/>
      <xsd:element name="EffectiveDate" type="xsd:dateTime" minOccurs="0"/>
      <xsd:element name="Message" maxOccurs="unbounded"><xsd:complexType><xsd:sequence>
        <xsd:element name="MessageID" type="IDNumber"/>
        <xsd:element name="OperationType" minOccurs="0"><xsd:simpleType><xsd:restriction base="xsd:string">
          <xsd:enumeration value="Update"/><xsd:enumeration value="Delete"/><xsd:enumeration value="PartialUpdate"/>
        </xsd:restriction></xsd:simpleType></xsd:element>
        <xsd:choice><xsd:element ref="OrderFulfillment"/><xsd:element ref="ProcessingReport"/></xsd:choice>
      </xsd:sequence></xsd:complexType></xsd:element>
    </xsd:sequence></xsd:complexType>
  </xsd:element>
</xsd:schema>
"""


class FeedError(Exception):
    """The feed as a whole is rejected (ill-formed or invalid XML)."""


@dataclass(slots=True)
class FulfillmentMessage:
    message_id: str
    order_id: str
    fulfillment_id: str | None
    date: str
    carrier_code: str | None
    carrier_name: str | None
    method: str | None
    tracking: str | None
    items: list[tuple[str, int | None]] = field(default_factory=list)


UNRESOLVED = re.compile(
    r"The QName value '(\w+)' does not resolve to a\(n\) simple type definition"
)


@lru_cache(maxsize=4)
def envelope_schema(xsd_dir: str) -> etree.XMLSchema:
    """Amazon's envelope if it loads; otherwise the restricted envelope over the real XSDs.

    amzn-base.xsd (2015) refers to a few simple types it no longer defines (commented out
    upstream); they get string stubs so the schema compiles. None is used by the
    OrderFulfillment, Header or ProcessingReport definitions.
    """
    base = Path(xsd_dir)
    try:
        return etree.XMLSchema(etree.parse(str(base / "amzn-envelope.xsd")))
    except (etree.XMLSchemaParseError, OSError, etree.XMLSyntaxError):
        pass
    stubs: list[str] = []
    for _ in range(50):
        text = WRAPPER.replace(
            "</xsd:schema>",
            "".join(
                f'<xsd:simpleType name="{n}"><xsd:restriction base="xsd:string"/></xsd:simpleType>'
                for n in stubs
            )
            + "</xsd:schema>",
        )
        doc = etree.fromstring(text.encode(), base_url=str(base / "sandbox-envelope.xsd"))
        try:
            return etree.XMLSchema(doc)
        except etree.XMLSchemaParseError as exc:
            missing = UNRESOLVED.search(str(exc))
            if not missing or missing.group(1) in stubs:
                raise
            stubs.append(missing.group(1))
    raise etree.XMLSchemaParseError("too many unresolved types in the XSDs")


def xsd_validate(root: etree._Element) -> list[str]:
    xsd_dir = os.environ.get(XSD_ENV)
    if not xsd_dir:
        return []
    schema = envelope_schema(xsd_dir)
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


def _text(el: etree._Element | None) -> str | None:
    return el.text.strip() if el is not None and el.text is not None else None


def parse_feed(body: bytes) -> tuple[str, list[FulfillmentMessage]]:
    """Parse and structurally validate an order fulfillment feed: (merchant, messages)."""
    try:
        root = etree.fromstring(body, PARSER)
    except etree.XMLSyntaxError as exc:
        raise FeedError(
            f"The XML you submitted is ill-formed at the Amazon Envelope XML level: {exc}"
        ) from exc
    problems = _structure(root)
    problems += xsd_validate(root) if not problems else []
    if problems:
        raise FeedError("; ".join(problems[:5]))
    merchant = _text(root.find("Header/MerchantIdentifier")) or ""
    return merchant, [_message(m) for m in root.findall("Message")]


def _structure(root: etree._Element) -> list[str]:
    if root.tag != "AmazonEnvelope":
        return [f"root element must be AmazonEnvelope, not {root.tag}"]
    problems = []
    version = _text(root.find("Header/DocumentVersion"))
    if not version or not VERSION.match(version):
        problems.append("Header/DocumentVersion missing or invalid")
    if not _text(root.find("Header/MerchantIdentifier")):
        problems.append("Header/MerchantIdentifier missing")
    if _text(root.find("MessageType")) != "OrderFulfillment":
        problems.append("MessageType must be OrderFulfillment")
    messages = root.findall("Message")
    if not messages:
        problems.append("the envelope holds no Message")
    for m in messages:
        problems += _check_message(m)
    return problems


def _check_message(m: etree._Element) -> list[str]:
    mid = _text(m.find("MessageID")) or ""
    where = f"Message {mid or '?'}"
    problems = (
        []
        if ID_NUMBER.match(mid) and int(mid) > 0
        else [f"{where}: MessageID must be a positive integer"]
    )
    of = m.find("OrderFulfillment")
    if of is None:
        return [*problems, f"{where}: OrderFulfillment missing"]
    oid = _text(of.find("AmazonOrderID")) or _text(of.find("MerchantOrderID"))
    if not oid or (of.find("AmazonOrderID") is not None and not ORDER_ID.match(oid)):
        problems.append(f"{where}: AmazonOrderID missing or invalid")
    date = _text(of.find("FulfillmentDate"))
    if not date or "T" not in date or parse_iso(date) is None:
        problems.append(f"{where}: FulfillmentDate missing or not an xsd:dateTime")
    fd = of.find("FulfillmentData")
    if fd is not None and fd.find("CarrierCode") is None and fd.find("CarrierName") is None:
        problems.append(f"{where}: FulfillmentData needs CarrierCode or CarrierName")
    for item in of.findall("Item"):
        code = _text(item.find("AmazonOrderItemCode"))
        if code is not None and not ITEM_CODE.match(code):
            problems.append(f"{where}: AmazonOrderItemCode must be 14 digits")
        qty = _text(item.find("Quantity"))
        if qty is not None and not (qty.isdigit() and int(qty) > 0):
            problems.append(f"{where}: Quantity must be a positive integer")
    return problems


def _message(m: etree._Element) -> FulfillmentMessage:
    of = m.find("OrderFulfillment")
    assert of is not None
    items = []
    for item in of.findall("Item"):
        qty = _text(item.find("Quantity"))
        items.append(
            (
                _text(item.find("AmazonOrderItemCode"))
                or _text(item.find("MerchantOrderItemID"))
                or "",
                int(qty) if qty else None,
            )
        )
    return FulfillmentMessage(
        message_id=_text(m.find("MessageID")) or "",
        order_id=_text(of.find("AmazonOrderID")) or _text(of.find("MerchantOrderID")) or "",
        fulfillment_id=_text(of.find("MerchantFulfillmentID")),
        date=_text(of.find("FulfillmentDate")) or "",
        carrier_code=_text(of.find("FulfillmentData/CarrierCode")),
        carrier_name=_text(of.find("FulfillmentData/CarrierName")),
        method=_text(of.find("FulfillmentData/ShippingMethod")),
        tracking=_text(of.find("FulfillmentData/ShipperTrackingNumber")),
        items=items,
    )


def process_feed(
    sb: Any, seller_id: str, body: bytes, source: str
) -> list[tuple[str, str, str, str | None]]:
    """Apply a fulfillment feed; return (message id, result code, description, order id) per problem.

    Result codes: "Error" or "" (success). A rejected envelope gives one error for message 0.
    """
    from .spapi_orders import apply_confirmation

    try:
        _merchant, messages = parse_feed(body)
    except FeedError as exc:
        return [("0", "Error", str(exc), None)]
    results: list[tuple[str, str, str, str | None]] = []
    for msg in messages:
        i = sb.orders.index_of(msg.order_id)
        facts = sb.orders.facts(i) if i is not None else None
        if (
            facts is None
            or facts.seller.selling_partner_id != seller_id
            or sb.orders.t0[i] > sb.clock.now()
        ):
            results.append(
                (
                    msg.message_id,
                    "Error",
                    f"Order {msg.order_id} was not found for this seller.",
                    msg.order_id,
                )
            )
            continue
        items = msg.items or [(it.order_item_id, None) for it in facts.items]
        order_items = [
            {"orderItemId": oid, "quantity": qty if qty is not None else _unshipped(sb, i, oid)}
            for oid, qty in items
        ]
        body_json = {
            "marketplaceId": facts.marketplace.id,
            "packageDetail": {
                "packageReferenceId": msg.fulfillment_id or msg.message_id,
                "carrierCode": msg.carrier_code or "Other",
                "carrierName": msg.carrier_name,
                "shippingMethod": msg.method,
                "trackingNumber": msg.tracking or "",
                "shipDate": msg.date,
                "orderItems": [o for o in order_items if o["quantity"]],
            },
        }
        record = {
            "received_at": sb.clock.now(),
            "order_id": msg.order_id,
            "seller_id": seller_id,
            "body": body_json,
            "source": source,
        }
        try:
            outcome = apply_confirmation(sb, i, body_json, source=source, fault_op=None)
            record.update(outcome=outcome)
            results.append((msg.message_id, "", "ok", msg.order_id))
        except ApiError as err:
            record.update(outcome="rejected", error=err.message)
            results.append((msg.message_id, "Error", err.message, msg.order_id))
        from .clock import iso

        record["received_at"] = iso(float(record["received_at"]))  # type: ignore[arg-type]
        sb.shipments.append(record)
    return results


def _unshipped(sb: Any, i: int, item_id: str) -> int:
    facts = sb.orders.facts(i)
    ov = sb.orders.overlays.get(i)
    ordered = next((it.quantity for it in facts.items if it.order_item_id == item_id), 0)
    return ordered - (ov.shipped.get(item_id, 0) if ov else 0)


def processing_report(
    merchant: str,
    transaction_id: str,
    messages_processed: int,
    results: list[tuple[str, str, str, str | None]],
) -> bytes:
    """An AmazonEnvelope holding a ProcessingReport (ProcessingReport.xsd)."""
    errors = [r for r in results if r[1] == "Error"]
    ok_count = messages_processed - len({r[0] for r in errors if r[0] != "0"})
    if any(r[0] == "0" for r in errors):
        ok_count = 0
    env = etree.Element("AmazonEnvelope")
    header = etree.SubElement(env, "Header")
    etree.SubElement(header, "DocumentVersion").text = "1.02"
    etree.SubElement(header, "MerchantIdentifier").text = merchant
    etree.SubElement(env, "MessageType").text = "ProcessingReport"
    msg = etree.SubElement(env, "Message")
    etree.SubElement(msg, "MessageID").text = "1"
    report = etree.SubElement(msg, "ProcessingReport")
    etree.SubElement(report, "DocumentTransactionID").text = transaction_id
    etree.SubElement(report, "StatusCode").text = "Complete"
    summary = etree.SubElement(report, "ProcessingSummary")
    etree.SubElement(summary, "MessagesProcessed").text = str(messages_processed)
    etree.SubElement(summary, "MessagesSuccessful").text = str(max(ok_count, 0))
    etree.SubElement(summary, "MessagesWithError").text = str(messages_processed - max(ok_count, 0))
    etree.SubElement(summary, "MessagesWithWarning").text = "0"
    for message_id, _code, description, order_id in errors:
        result = etree.SubElement(report, "Result")
        etree.SubElement(result, "MessageID").text = message_id
        etree.SubElement(result, "ResultCode").text = "Error"
        etree.SubElement(result, "ResultMessageCode").text = (
            "5001" if message_id == "0" else "18028"
        )
        etree.SubElement(result, "ResultDescription").text = description
        if order_id and ORDER_ID.match(order_id):
            info = etree.SubElement(result, "AdditionalInfo")
            etree.SubElement(info, "AmazonOrderID").text = order_id
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def count_messages(body: bytes) -> int:
    try:
        return len(etree.fromstring(body, PARSER).findall("Message"))
    except etree.XMLSyntaxError:
        return 0
