"""DHL Parcel DE and Colissimo through karrio, fed with recorded carrier responses at
karrio's lowest HTTP function (`urlopen` in `karrio.core.utils.helpers`)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from colis.accounts.models import Account, Address
from colis.shipping import errors, selectors, services
from colis.shipping.models import CarrierAccount, Parcel, ParcelEvent, ShippingMethod
from tests.shipping.conftest import CarrierHTTP, make_integration, make_order

pytestmark = pytest.mark.django_db

DHL_CREDENTIALS = {
    "username": "user-valid",
    "password": "SandboxPasswort2023!",
    "client_id": "recorded-api-key",
    "client_secret": "recorded-api-secret",
    "billing_number": "33333333330102",
}
COLISSIMO_CREDENTIALS = {
    "contract_number": "123456",
    "password": "recorded-password",
    "laposte_api_key": "recorded-okapi-key",
}


def dhl_method(account: Account) -> ShippingMethod:
    ca = services.carrier_account_create(
        account=account, carrier="dhl_parcel_de", name="DHL", credentials=DHL_CREDENTIALS
    )
    return services.shipping_method_create(
        account=account,
        carrier_account_id=ca.id,
        name="DHL Paket",
        service_code="dhl_parcel_de_paket",
        max_weight_grams=31_500,
        amazon_mappings=[{"carrier_code": "DHL", "shipping_method_name": "Paket"}],
    )


def colissimo_method(account: Account) -> ShippingMethod:
    # Colissimo ships from France: move the sender to Paris.
    Address.objects.filter(account=account, kind__in=["sender", "return"]).update(
        country="FR", postal_code="75010", city="Paris", street="5 rue des Petites Écuries"
    )
    ca = services.carrier_account_create(
        account=account, carrier="colissimo", name="Colissimo", credentials=COLISSIMO_CREDENTIALS
    )
    return services.shipping_method_create(
        account=account,
        carrier_account_id=ca.id,
        name="Colissimo Domicile",
        service_code="colissimo_home_without_signature",
        max_weight_grams=30_000,
    )


def dhl_routes(http: CarrierHTTP) -> None:
    http.add("POST", r"/parcel/de/account/auth/ropc/v1/token$", "dhl_parcel_de/token.json")
    http.add("POST", r"/parcel/de/shipping/v2/orders\?", "dhl_parcel_de/create_ok.json")
    http.add("DELETE", r"/parcel/de/shipping/v2/orders\?", "dhl_parcel_de/cancel_ok.json")
    http.add("GET", r"/parcel/de/tracking/v0/shipments\?xml=", "dhl_parcel_de/tracking.xml")


def german_order(account: Account) -> Any:
    make_integration(account, marketplace_id="A1PA6795UKMFR9")
    return make_order(
        account,
        integration=account and make_integration(account, "A1PA6795UKMFR9"),
        recipient_country="DE",
        recipient_postal_code="80331",
        recipient_city="München",
        recipient_name="Erika Mustermann",
        recipient_lines="Musterweg 5",
    )


# --- DHL Parcel DE --------------------------------------------------------------------


def test_dhl_label(account: Account, carrier_http: CarrierHTTP) -> None:
    dhl_routes(carrier_http)
    method = dhl_method(account)
    order = german_order(account)
    [parcel] = services.parcel_create(account=account, order_id=order.id, method_id=method.id)
    assert parcel.status == Parcel.Status.READY_TO_SEND
    assert parcel.tracking_number == "00340434161094042557"
    assert parcel.tracking_url.startswith("https://www.dhl.com/")
    token, create = carrier_http.requests
    assert b"grant_type=password" in token.body and b"username=user-valid" in token.body
    assert create.headers["authorization"].startswith("Bearer eyJ")
    body = json.loads(create.body)
    shipment = body["shipments"][0]
    assert shipment["product"] == "V01PAK"
    assert shipment["billingNumber"] == "33333333330102"
    assert shipment["consignee"]["name1"] == "Erika Mustermann"
    assert shipment["consignee"]["addressStreet"] == "Musterweg"
    assert shipment["consignee"]["addressHouse"] == "5"
    assert shipment["shipper"]["addressStreet"] == "Hauptstr."
    assert shipment["details"]["weight"] == {"uom": "kg", "value": 0.7}
    assert "printFormat=910-300-600" in create.url
    # The label is stored as A6 whatever size DHL printed it.
    [page] = PdfReader(io.BytesIO(selectors.label_get(account=account, parcel_id=parcel.id))).pages
    assert round(float(page.mediabox.width)) == 298 and round(float(page.mediabox.height)) == 420
    assert "Erika Mustermann" in page.extract_text()
    with pytest.raises(errors.LabelNotAvailable):
        selectors.label_get(account=account, parcel_id=parcel.id, fmt="zpl")


def test_dhl_error_is_recorded_on_the_parcel_and_retryable(
    account: Account, carrier_http: CarrierHTTP
) -> None:
    dhl_routes(carrier_http)
    carrier_http.add(
        "POST", r"/parcel/de/shipping/v2/orders\?", "dhl_parcel_de/create_error_400.json", 400
    )
    method = dhl_method(account)
    order = german_order(account)
    with pytest.raises(errors.CarrierRefused) as exc:
        services.parcel_create(account=account, order_id=order.id, method_id=method.id)
    assert "Die Postleitzahl ist ungültig" in exc.value.message
    assert "shipments[0].consignee.postalCode" in exc.value.message
    parcel = Parcel.objects.get(id=exc.value.parcel_ids[0])
    assert parcel.status == Parcel.Status.ERROR
    assert "Postleitzahl" in parcel.error_message
    assert parcel.label_created_at is None and parcel.tracking_number == ""
    assert ParcelEvent.objects.filter(parcel=parcel, status="error").exists()
    # The carrier accepts it now: a retry makes the label, on the same parcel.
    dhl_routes(carrier_http)
    retried = services.parcel_retry(account=account, parcel_id=parcel.id)
    assert retried.status == "ready_to_send" and retried.attempts == 2
    assert retried.error_message == ""
    # The same request again answers the same parcel.
    again = services.parcel_create(account=account, order_id=order.id, method_id=method.id)
    assert [p.id for p in again] == [parcel.id]


def test_dhl_bulk_with_a_carrier_refusal(account: Account, carrier_http: CarrierHTTP) -> None:
    dhl_routes(carrier_http)
    carrier_http.add(
        "POST",
        r"/parcel/de/shipping/v2/orders\?",
        "dhl_parcel_de/create_error_400.json",
        400,
        when=lambda body: b'"postalCode": "00000"' in body or b'"postalCode":"00000"' in body,
    )
    carrier_http.add(
        "POST",
        r"/parcel/de/shipping/v2/orders\?",
        "dhl_parcel_de/create_ok_2.json",
        when=lambda body: b'"postalCode": "80333"' in body or b'"postalCode":"80333"' in body,
    )
    method = dhl_method(account)
    good = [german_order(account) for _ in range(2)]
    good[1].recipient_postal_code = "80333"
    good[1].save(update_fields=["recipient_postal_code"])
    bad = make_order(
        account,
        integration=good[0].integration,
        recipient_country="DE",
        recipient_postal_code="00000",
        recipient_city="Nirgendwo",
        recipient_lines="Musterweg 5",
    )
    result = services.parcel_create_bulk(
        account=account, order_ids=[good[0].id, bad.id, good[1].id], method_id=method.id
    )
    assert sorted(p.order_id for p in result.parcels) == sorted(o.id for o in good)
    [failure] = result.failures
    assert failure.order_id == bad.id and failure.code == "carrier_error"
    assert "Postleitzahl" in failure.message
    parcel = Parcel.objects.get(id=failure.parcel_ids[0])
    assert parcel.status == "error" and parcel.order_id == bad.id
    assert result.pages == 2


def test_a_tracking_number_given_twice_is_refused(
    account: Account, carrier_http: CarrierHTTP
) -> None:
    """The recorded answer always carries the same shipment number: the second parcel
    trips the (account, tracking number) constraint and lands in state error."""
    dhl_routes(carrier_http)
    method = dhl_method(account)
    services.parcel_create(account=account, order_id=german_order(account).id, method_id=method.id)
    with pytest.raises(errors.CarrierRefused) as exc:
        services.parcel_create(
            account=account, order_id=german_order(account).id, method_id=method.id
        )
    parcel = Parcel.objects.get(id=exc.value.parcel_ids[0])
    assert parcel.error_code == "duplicate_tracking_number" and parcel.tracking_number == ""


def test_retry_of_a_labelled_parcel_is_refused(account: Account, carrier_http: CarrierHTTP) -> None:
    dhl_routes(carrier_http)
    method = dhl_method(account)
    [parcel] = services.parcel_create(
        account=account, order_id=german_order(account).id, method_id=method.id
    )
    with pytest.raises(errors.ParcelStateConflict):
        services.parcel_retry(account=account, parcel_id=parcel.id)


def test_dhl_cancel_calls_the_carrier(account: Account, carrier_http: CarrierHTTP) -> None:
    dhl_routes(carrier_http)
    method = dhl_method(account)
    [parcel] = services.parcel_create(
        account=account, order_id=german_order(account).id, method_id=method.id
    )
    services.parcel_cancel(account=account, parcel_id=parcel.id)
    delete = carrier_http.requests[-1]
    assert delete.method == "DELETE" and "shipment=00340434161094042557" in delete.url


def test_dhl_tracking(account: Account, carrier_http: CarrierHTTP) -> None:
    dhl_routes(carrier_http)
    method = dhl_method(account)
    [parcel] = services.parcel_create(
        account=account, order_id=german_order(account).id, method_id=method.id
    )
    assert parcel.next_track_at is not None
    assert services.parcel_tracking_poll(now=parcel.next_track_at) == 1
    parcel.refresh_from_db()
    assert parcel.status == "in_transit"
    # The electronic announcement (SHRCU) is not a scan; the hub scan at 09:12 is.
    assert parcel.first_scan_at is not None
    assert parcel.first_scan_at.isoformat() == "2026-11-27T08:12:00+00:00"  # 09:12 in Berlin
    events = list(ParcelEvent.objects.filter(parcel=parcel, source="carrier"))
    assert [e.code for e in events] == ["SHRCU", "AA", "EE"]
    assert [e.status for e in events] == ["announced", "in_transit", "in_transit"]
    assert events[1].location == "Berlin, Deutschland"
    request = carrier_http.requests[-1]
    assert request.headers["authorization"].startswith("Basic ")
    # Seen again: nothing recorded twice.
    services.parcel_tracking_poll(now=parcel.next_track_at)
    assert ParcelEvent.objects.filter(parcel=parcel, source="carrier").count() == 3


# --- Colissimo ------------------------------------------------------------------------


def colissimo_routes(http: CarrierHTTP) -> None:
    http.add(
        "POST",
        r"/sls-ws/SlsServiceWSRest/2.0/generateLabel$",
        "colissimo/generate_label_ok.multipart",
    )
    http.add("GET", r"/suivi/v2/idships/6A12345678901", "colissimo/tracking.json")


def test_colissimo_label(account: Account, carrier_http: CarrierHTTP) -> None:
    colissimo_routes(carrier_http)
    method = colissimo_method(account)
    order = make_order(account, recipient_name="Jean Martin", recipient_city="Lyon")
    [parcel] = services.parcel_create(account=account, order_id=order.id, method_id=method.id)
    assert parcel.tracking_number == "6A12345678901"
    assert parcel.status == "ready_to_send"
    [request] = carrier_http.requests
    body = json.loads(request.body)
    assert body["contractNumber"] == "123456"
    assert body["letter"]["service"]["productCode"] == "DOM"
    assert body["letter"]["addressee"]["address"]["lastName"] == "Jean Martin"
    assert body["letter"]["parcel"]["weight"] == 0.7
    [page] = PdfReader(io.BytesIO(selectors.label_get(account=account, parcel_id=parcel.id))).pages
    assert "Jean Martin" in page.extract_text()
    # Colissimo has no cancellation call: cancelling is local, the label is void.
    assert services.parcel_cancel(account=account, parcel_id=parcel.id).status == "cancelled"
    assert len(carrier_http.requests) == 1


def test_colissimo_error(account: Account, carrier_http: CarrierHTTP) -> None:
    carrier_http.add(
        "POST",
        r"/generateLabel$",
        "colissimo/generate_label_error.multipart",
        400,
    )
    method = colissimo_method(account)
    order = make_order(account)
    with pytest.raises(errors.CarrierRefused) as exc:
        services.parcel_create(account=account, order_id=order.id, method_id=method.id)
    parcel = Parcel.objects.get(id=exc.value.parcel_ids[0])
    assert parcel.status == "error"
    assert "Le numéro/libellé de voie du destinataire n'est pas renseigné" in parcel.error_message
    assert parcel.error_message.startswith("Colissimo: ")


def test_colissimo_tracking_announced_is_not_a_scan(
    account: Account, carrier_http: CarrierHTTP
) -> None:
    colissimo_routes(carrier_http)
    carrier_http.add("GET", r"/suivi/v2/idships/", "colissimo/tracking_announced_only.json")
    method = colissimo_method(account)
    [parcel] = services.parcel_create(
        account=account, order_id=make_order(account).id, method_id=method.id
    )
    services.parcel_tracking_poll(now=parcel.next_track_at)
    parcel.refresh_from_db()
    assert parcel.status == "announced" and parcel.first_scan_at is None
    assert carrier_http.requests[-1].headers["x-okapi-key"] == "recorded-okapi-key"
    # Next poll: picked up (PC1) then in transit (ET1).
    colissimo_routes(carrier_http)
    services.parcel_tracking_poll(now=parcel.next_track_at.replace(year=2027))
    parcel.refresh_from_db()
    assert parcel.status == "in_transit"
    assert parcel.first_scan_at is not None
    assert parcel.first_scan_at.isoformat() == "2026-11-27T09:12:00+00:00"
    assert list(
        ParcelEvent.objects.filter(parcel=parcel, source="carrier").values_list("code", flat=True)
    ) == ["DR1", "PC1", "ET1"]


# --- carrier accounts ------------------------------------------------------------------


def test_credentials_are_validated_and_encrypted(account: Account) -> None:
    with pytest.raises(errors.InvalidInput) as exc:
        services.carrier_account_create(
            account=account,
            carrier="dhl_parcel_de",
            name="DHL",
            credentials={**DHL_CREDENTIALS, "billing_number": "1234"},
        )
    assert exc.value.field == "credentials.billing_number"
    with pytest.raises(errors.InvalidInput) as exc:
        services.carrier_account_create(
            account=account,
            carrier="colissimo",
            name="C",
            credentials={"contract_number": "12345a"},
        )
    fields = {e["field"] for e in exc.value.extra["errors"]}
    assert fields == {"credentials.contract_number", "credentials.password"}
    with pytest.raises(errors.InvalidInput) as exc:
        services.carrier_account_create(account=account, carrier="ups", name="U", credentials={})
    assert exc.value.field == "carrier"
    ca = services.carrier_account_create(
        account=account, carrier="colissimo", name="C", credentials=COLISSIMO_CREDENTIALS
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM shipping_carrieraccount WHERE id = %s", [ca.id])
        raw = cursor.fetchone()[0]
    assert "recorded-password" not in raw and "123456" not in raw
    # A secret left empty on update keeps its value.
    services.carrier_account_update(
        account=account,
        carrier_account_id=ca.id,
        credentials={"contract_number": "654321", "password": ""},
    )
    ca = CarrierAccount.objects.get(id=ca.id)
    assert ca.credentials["password"] == "recorded-password"
    assert ca.credentials["contract_number"] == "654321"
    assert ca.credentials["laposte_api_key"] == "recorded-okapi-key"  # omitted: kept
    dhl = services.carrier_account_create(
        account=account, carrier="dhl_parcel_de", name="DHL", credentials=DHL_CREDENTIALS
    )
    services.carrier_account_update(
        account=account,
        carrier_account_id=dhl.id,
        credentials={"billing_number": "33333333330101"},
    )
    dhl = CarrierAccount.objects.get(id=dhl.id)
    assert dhl.credentials == {**DHL_CREDENTIALS, "billing_number": "33333333330101"}


def test_method_service_must_belong_to_the_carrier(account: Account) -> None:
    ca = services.carrier_account_create(
        account=account, carrier="colissimo", name="C", credentials=COLISSIMO_CREDENTIALS
    )
    with pytest.raises(errors.InvalidInput) as exc:
        services.shipping_method_create(
            account=account, carrier_account_id=ca.id, name="X", service_code="dhl_parcel_de_paket"
        )
    assert exc.value.field == "service_code"
