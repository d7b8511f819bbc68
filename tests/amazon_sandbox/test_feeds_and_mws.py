"""Feeds 2021-06-30, legacy MWS (Orders, Sellers, Feeds) and the Authorization API."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from lxml import etree

from amazon_sandbox import defaults
from amazon_sandbox.feedxml import envelope_schema
from amazon_sandbox.mws import sign, string_to_sign

from .conftest import Amazon
from .test_faithfulness import check

SELLER = defaults.SELLER_1


def feed_xml(
    order_id: str, carrier: str = "<CarrierCode>DHL</CarrierCode>", items: str = ""
) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>{SELLER.selling_partner_id}</MerchantIdentifier></Header>
  <MessageType>OrderFulfillment</MessageType>
  <Message><MessageID>1</MessageID><OrderFulfillment>
    <AmazonOrderID>{order_id}</AmazonOrderID><FulfillmentDate>2026-11-27T10:00:00+00:00</FulfillmentDate>
    <FulfillmentData>{carrier}<ShippingMethod>Paket</ShippingMethod><ShipperTrackingNumber>JJD0001</ShipperTrackingNumber></FulfillmentData>
    {items}
  </OrderFulfillment></Message>
</AmazonEnvelope>""".encode()


def report_ok(xml: bytes, xsd_dir: Path) -> etree._Element:
    root = etree.fromstring(xml)
    schema = envelope_schema(str(xsd_dir))
    assert schema.validate(root), schema.error_log
    return root


def test_spapi_feed_round_trip(amazon: Amazon, xsd_dir: Path) -> None:
    order = amazon.unshipped_order(skip=10)
    r = amazon.post("/feeds/2021-06-30/documents", {"contentType": "text/xml; charset=UTF-8"})
    assert r.status_code == 201
    check("createFeedDocument", 201, r.json())
    doc = r.json()
    assert doc["url"].startswith(amazon.running.url)
    assert (
        httpx.put(
            doc["url"],
            content=feed_xml(order["orderId"]),
            headers={"content-type": "text/xml; charset=UTF-8"},
        ).status_code
        == 200
    )
    r = amazon.post(
        "/feeds/2021-06-30/feeds",
        {
            "feedType": "POST_ORDER_FULFILLMENT_DATA",
            "marketplaceIds": [order["salesChannel"]["marketplaceId"]],
            "inputFeedDocumentId": doc["feedDocumentId"],
        },
    )
    assert r.status_code == 202
    check("createFeed", 202, r.json())
    feed_id = r.json()["feedId"]
    first = amazon.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
    check("getFeed", 200, first)
    assert first["processingStatus"] == "IN_QUEUE"
    amazon.advance(31)
    feed = amazon.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
    check("getFeed", 200, feed)
    assert feed["processingStatus"] == "DONE"
    result = amazon.get(f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").json()
    check("getFeedDocument", 200, result)
    root = report_ok(httpx.get(result["url"]).content, xsd_dir)
    assert root.findtext("Message/ProcessingReport/ProcessingSummary/MessagesSuccessful") == "1"
    o = amazon.get(
        f"/orders/2026-01-01/orders/{order['orderId']}", includedData="PACKAGES,FULFILLMENT"
    ).json()["order"]
    assert (
        o["fulfillment"]["fulfillmentStatus"] == "SHIPPED"
        and o["packages"][0]["trackingNumber"] == "JJD0001"
    )


def test_spapi_feed_with_invalid_xml_reports_errors(amazon: Amazon, xsd_dir: Path) -> None:
    doc = amazon.post(
        "/feeds/2021-06-30/documents", {"contentType": "text/xml; charset=UTF-8"}
    ).json()
    bad = feed_xml(
        "028-1111111-2222222", items="<Item><AmazonOrderItemCode>12</AmazonOrderItemCode></Item>"
    )
    httpx.put(doc["url"], content=bad)
    feed_id = amazon.post(
        "/feeds/2021-06-30/feeds",
        {
            "feedType": "POST_ORDER_FULFILLMENT_DATA",
            "marketplaceIds": ["A1PA6795UKMFR9"],
            "inputFeedDocumentId": doc["feedDocumentId"],
        },
    ).json()["feedId"]
    amazon.advance(31)
    feed = amazon.get(f"/feeds/2021-06-30/feeds/{feed_id}").json()
    url = amazon.get(f"/feeds/2021-06-30/documents/{feed['resultFeedDocumentId']}").json()["url"]
    root = report_ok(httpx.get(url).content, xsd_dir)
    assert root.findtext("Message/ProcessingReport/ProcessingSummary/MessagesWithError") == "1"
    assert "AmazonOrderItemCode" in (
        root.findtext("Message/ProcessingReport/Result/ResultDescription") or ""
    )


def test_feed_validation_errors(amazon: Amazon) -> None:
    r = amazon.post(
        "/feeds/2021-06-30/feeds",
        {"feedType": "POST_ORDER_FULFILLMENT_DATA", "marketplaceIds": ["A1PA6795UKMFR9"]},
    )
    assert r.status_code == 400
    check("createFeed", 400, r.json())
    r = amazon.post("/feeds/2021-06-30/documents", {})
    assert r.status_code == 400


def test_feed_xml_structure_and_xsd(xsd_dir: Path) -> None:
    from amazon_sandbox.feedxml import FeedError, parse_feed

    merchant, messages = parse_feed(feed_xml("028-1234567-1234567"))
    assert merchant == SELLER.selling_partner_id and messages[0].carrier_code == "DHL"
    for broken in (b"<nope", feed_xml("bad-id"), feed_xml("028-1234567-1234567", carrier="")):
        try:
            parse_feed(broken)
        except FeedError:
            continue
        raise AssertionError(f"accepted {broken!r}")
    # Unknown carrier codes fail the XSD (CarrierCode is an enumeration), not the code checks.
    try:
        parse_feed(feed_xml("028-1234567-1234567", carrier="<CarrierCode>Pigeon</CarrierCode>"))
    except FeedError as exc:
        assert "CarrierCode" in str(exc)
    else:
        raise AssertionError("XSD validation did not run")


# --- MWS ------------------------------------------------------------------------------------------
def mws(
    amazon: Amazon,
    path: str,
    action: str,
    *,
    seller: defaults.SandboxSeller = SELLER,
    body: bytes | None = None,
    secret: str = defaults.MWS_SECRET_KEY,
    token: str | None = None,
    fields: dict[str, str] | None = None,
    **extra: str,
) -> httpx.Response:
    params: dict[str, str] = {
        "AWSAccessKeyId": defaults.MWS_ACCESS_KEY_ID,
        "Action": action,
        "SignatureMethod": "HmacSHA256",
        "SignatureVersion": "2",
        "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": path.rsplit("/", 1)[-1],
        "MWSAuthToken": token or seller.mws_auth_token,
        **(fields or {}),
        **extra,
    }
    params["Merchant" if path.startswith("/Feeds") else "SellerId"] = seller.selling_partner_id
    host = amazon.running.url.split("://", 1)[1]
    method = "POST"
    params["Signature"] = sign(secret, string_to_sign(method, host, path, params))
    if body is None:
        return amazon.http.post(
            path,
            content=urlencode(params),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    return amazon.http.post(
        path + "?" + urlencode(params), content=body, headers={"content-type": "text/xml"}
    )


def xml(r: httpx.Response) -> etree._Element:
    return etree.fromstring(r.content)


def q(el: etree._Element, path: str) -> Any:
    ns = str(el.nsmap.get(None))
    return el.xpath("//" + "/".join(f"n:{p}" for p in path.split("/")), namespaces={"n": ns})


def test_mws_list_orders_and_items(amazon: Amazon) -> None:
    r = mws(
        amazon,
        "/Orders/2013-09-01",
        "ListOrders",
        CreatedAfter="2000-01-01T00:00:00Z",
        fields={"MarketplaceId.Id.1": "A1PA6795UKMFR9", "MaxResultsPerPage": "20"},
    )
    assert r.status_code == 200, r.text
    root = xml(r)
    orders = q(root, "ListOrdersResult/Orders/Order")
    assert len(orders) == 20
    assert q(root, "Order/ShippingAddress/AddressLine1")  # MWS had the address inline
    token = q(root, "ListOrdersResult/NextToken")[0].text
    r2 = mws(amazon, "/Orders/2013-09-01", "ListOrdersByNextToken", NextToken=token)
    assert r2.status_code == 200 and q(xml(r2), "ListOrdersByNextTokenResult/Orders/Order")
    oid = q(root, "Order/AmazonOrderId")[0].text
    r3 = mws(amazon, "/Orders/2013-09-01", "ListOrderItems", AmazonOrderId=oid)
    assert r3.status_code == 200 and q(
        xml(r3), "ListOrderItemsResult/OrderItems/OrderItem/OrderItemId"
    )
    r4 = mws(amazon, "/Orders/2013-09-01", "GetServiceStatus")
    assert q(xml(r4), "GetServiceStatusResult/Status")[0].text == "GREEN"
    r5 = mws(amazon, "/Sellers/2011-07-01", "ListMarketplaceParticipations")
    ids = {e.text for e in q(xml(r5), "ListMarketplaces/Marketplace/MarketplaceId")}
    assert ids == {"APJ6JRA9NG5V4", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"}


def test_mws_errors(amazon: Amazon) -> None:
    r = mws(amazon, "/Orders/2013-09-01", "GetServiceStatus", secret="wrong")
    assert r.status_code == 403 and q(xml(r), "Error/Code")[0].text == "SignatureDoesNotMatch"
    r = mws(
        amazon,
        "/Orders/2013-09-01",
        "ListOrderItems",
        token="amzn.mws.00000000-0000-0000-0000-000000000000",
        AmazonOrderId="x",
    )
    assert r.status_code == 401 and q(xml(r), "Error/Code")[0].text == "AccessDenied"
    assert xml(r).tag == "{https://mws.amazonservices.com/Orders/2013-09-01}ErrorResponse"


def test_mws_authorization_expires_and_renews_with_the_same_token(fresh: Amazon) -> None:
    seller = defaults.SELLERS[1]
    fresh.advance(366 * 86400)
    r = mws(fresh, "/Sellers/2011-07-01", "ListMarketplaceParticipations", seller=seller)
    # The signing timestamp is real time; the sandbox accepts it against either clock.
    assert r.status_code == 401 and q(xml(r), "Error/Code")[0].text == "AccessDenied"
    fresh.control(
        "POST",
        "authorizations/renew",
        {"seller_id": seller.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID},
    )
    assert (
        mws(
            fresh, "/Sellers/2011-07-01", "ListMarketplaceParticipations", seller=seller
        ).status_code
        == 200
    )


def test_mws_throttling(fresh: Amazon) -> None:
    statuses = [
        mws(
            fresh,
            "/Orders/2013-09-01",
            "ListOrders",
            CreatedAfter="2000-01-01T00:00:00Z",
            fields={"MarketplaceId.Id.1": "A1PA6795UKMFR9", "MaxResultsPerPage": "1"},
        ).status_code
        for _ in range(7)
    ]
    assert statuses == [200] * 6 + [503]
    r = mws(
        fresh,
        "/Orders/2013-09-01",
        "ListOrders",
        CreatedAfter="2000-01-01T00:00:00Z",
        fields={"MarketplaceId.Id.1": "A1PA6795UKMFR9"},
    )
    assert q(xml(r), "Error/Code")[0].text == "RequestThrottled"


def test_mws_submit_feed(amazon: Amazon, xsd_dir: Path) -> None:
    order = amazon.unshipped_order(skip=11)
    body = feed_xml(order["orderId"])
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324 - MWS's checksum
    wrong = base64.b64encode(hashlib.md5(body + b" ").digest()).decode()  # noqa: S324
    r = mws(
        amazon,
        "/Feeds/2009-01-01",
        "SubmitFeed",
        body=body,
        FeedType="_POST_ORDER_FULFILLMENT_DATA_",
        ContentMD5Value=wrong,
    )
    assert r.status_code == 400 and q(xml(r), "Error/Code")[0].text == "ContentMD5DoesNotMatch"
    r = mws(
        amazon,
        "/Feeds/2009-01-01",
        "SubmitFeed",
        body=body,
        FeedType="_POST_ORDER_FULFILLMENT_DATA_",
        ContentMD5Value=md5,
    )
    assert r.status_code == 200, r.text
    sub = q(xml(r), "FeedSubmissionInfo/FeedSubmissionId")[0].text
    r = mws(amazon, "/Feeds/2009-01-01", "GetFeedSubmissionResult", FeedSubmissionId=sub)
    assert (
        r.status_code == 404 and q(xml(r), "Error/Code")[0].text == "FeedProcessingResultNotReady"
    )
    amazon.advance(31)
    r = mws(amazon, "/Feeds/2009-01-01", "GetFeedSubmissionResult", FeedSubmissionId=sub)
    assert r.status_code == 200
    root = report_ok(r.content, xsd_dir)
    assert root.findtext("Message/ProcessingReport/ProcessingSummary/MessagesSuccessful") == "1"
    truth = amazon.control("GET", f"shipments?order_id={order['orderId']}")["shipments"]
    assert truth[-1]["source"] == "mws-feed" and truth[-1]["outcome"] == "accepted"


def test_authorization_api_turns_an_mws_token_into_a_code(fresh: Amazon) -> None:
    seller = defaults.SELLERS[2]
    grantless = fresh.lwa(
        grant_type="client_credentials",
        scope="sellingpartnerapi::migration",
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    ).json()["access_token"]
    r = fresh.get(
        "/authorization/v1/authorizationCode",
        token=grantless,
        sellingPartnerId=seller.selling_partner_id,
        developerId=defaults.MWS_DEVELOPER_ID,
        mwsAuthToken=seller.mws_auth_token,
    )
    assert r.status_code == 200, r.text
    code = r.json()["payload"]["authorizationCode"]
    tokens = fresh.lwa(
        grant_type="authorization_code",
        code=code,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    ).json()
    assert tokens["refresh_token"].startswith("Atzr|")
    r = fresh.get(
        "/authorization/v1/authorizationCode",
        token=grantless,
        sellingPartnerId=seller.selling_partner_id,
        developerId=defaults.MWS_DEVELOPER_ID,
        mwsAuthToken="amzn.mws.wrong",
    )
    assert r.status_code == 400
