"""amazon/shipment.py's pure half: the confirmShipment body, the fulfillment feed (checked
against Amazon's XSDs through the sandbox's validator), the report and the packages."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from colis.integrations.ports import ShipmentConfirmation
from colis.marketplaces.amazon import shipment
from tests.helpers.services import shared_dir

WHEN = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)


def _c(**kw: object) -> ShipmentConfirmation:
    data: dict[str, object] = {
        "order_external_id": "303-1234567-1234567",
        "marketplace_id": "A1PA6795UKMFR9",
        "package_reference_id": "2",
        "carrier_code": "DHL",
        "carrier_name": None,
        "shipping_method": "Paket",
        "tracking_number": "00340434161234567890",
        "ship_date": WHEN,
        "items": (("79039765272157", 1), ("79039765272158", 2)),
    }
    data.update(kw)
    return ShipmentConfirmation(**data)  # type: ignore[arg-type]


def test_confirm_shipment_body() -> None:
    assert shipment.confirm_shipment_body(_c()) == {
        "marketplaceId": "A1PA6795UKMFR9",
        "packageDetail": {
            "packageReferenceId": "2",
            "carrierCode": "DHL",
            "shippingMethod": "Paket",
            "trackingNumber": "00340434161234567890",
            "shipDate": "2026-11-27T10:00:00Z",
            "orderItems": [
                {"orderItemId": "79039765272157", "quantity": 1},
                {"orderItemId": "79039765272158", "quantity": 2},
            ],
        },
    }
    other = shipment.confirm_shipment_body(_c(carrier_code="Other", carrier_name="colis local"))
    assert other["packageDetail"]["carrierName"] == "colis local"


def test_feed_is_valid_against_amazons_xsd() -> None:
    from amazon_sandbox import feedxml

    xsd = shared_dir() / "amazon" / "mws-xsd"
    schema = feedxml.envelope_schema(str(xsd))
    for c in (_c(), _c(carrier_code="Other", carrier_name="colis local", shipping_method="")):
        body = shipment.fulfillment_feed_xml(merchant_id="A1SBXSELLERIT1", confirmations=[c])
        root = etree.fromstring(body)
        assert schema.validate(root), schema.error_log
        assert root.findtext("Message/OrderFulfillment/MerchantFulfillmentID") == "2"
    other = etree.fromstring(body)
    data = other.find("Message/OrderFulfillment/FulfillmentData")
    assert data is not None and data.find("CarrierCode") is None
    assert data.findtext("CarrierName") == "colis local"
    assert shipment.content_md5(b"abc") == "kAFQmDzST7DWlj99KOF/cg=="


def test_processing_report_and_packages() -> None:
    from amazon_sandbox.feedxml import processing_report

    ok = etree.fromstring(processing_report("A1", "7", 1, []))
    assert shipment.parse_processing_report(ok, message_refs={"1": "2"}).errors == {}
    bad = etree.fromstring(
        processing_report("A1", "7", 1, [("1", "Error", "Invalid carrier", "303-1234567-1234567")])
    )
    result = shipment.parse_processing_report(bad, message_refs={"1": "2"})
    assert result.done and result.errors == {"2": "Invalid carrier"}
    packages = shipment.packages_from_order_2026(
        {
            "order": {
                "packages": [
                    {
                        "packageReferenceId": "1",
                        "carrier": "DHL",
                        "trackingNumber": "T1",
                        "packageItems": [{"orderItemId": "A", "quantity": 2}],
                    }
                ]
            }
        }
    )
    assert [(p.package_reference_id, p.tracking_number, p.items) for p in packages] == [
        ("1", "T1", (("A", 2),))
    ]
    assert shipment.packages_from_order_2026({"order": {}}) == ()
