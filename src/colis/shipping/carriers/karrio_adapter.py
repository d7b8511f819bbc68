"""Real carriers through karrio's extensions: DHL Parcel DE and Colissimo.

One adapter (`KarrioConnection`) maps colis' port dataclasses onto karrio's unified
models and back; each carrier class declares its credential form, services and the
karrio settings it needs. The only network I/O is karrio's own HTTP function
(`karrio.core.utils.helpers.request` → `urlopen`), which the tests feed with recorded
carrier responses.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from colis.shipping import ports
from colis.shipping.carriers import karrio_common as kc


def _split_street(street: str) -> tuple[str, str]:
    """ "Hauptstr. 12a" → ("Hauptstr.", "12a"); DHL wants the house number apart."""
    match = re.match(r"^(.*?)[\s,]+(\d+\s?[a-zA-Z]?(?:[-/]\d+[a-zA-Z]?)?)$", street.strip())
    if not match:
        return street, ""
    return match.group(1), match.group(2)


class KarrioConnection:
    carrier_name: str = ""
    label: str = ""
    # La Poste / DHL event codes karrio leaves unmapped or maps too eagerly, by code.
    event_codes: Mapping[str, ports.TrackingStatus] = {}
    # Carriers' event times come without an offset: they are local times here.
    timezone = "Europe/Berlin"

    def __init__(self, settings: dict[str, Any], *, label_format: str = "PDF") -> None:
        self.settings = settings
        self.label_format = label_format
        self._gateway: Any = None

    @property
    def gateway(self) -> Any:
        if self._gateway is None:
            self._gateway = kc.gateway(self.carrier_name, self.settings)
        return self._gateway

    # --- hooks -----------------------------------------------------------------------
    def shipment_payload(self, request: ports.ShipmentRequest) -> dict[str, Any]:
        return {
            "service": request.service_code,
            "label_type": request.label_format,
            "shipper": kc.address(request.sender),
            "recipient": kc.address(request.recipient),
            "return_address": kc.address(request.return_to),
            "parcels": [kc.parcel(request.package)],
            "reference": request.order_reference or request.package.reference,
            "options": {
                "shipment_date": (request.ship_date or dt.date.today()).isoformat(),  # noqa: DTZ011
            },
        }

    # --- port ------------------------------------------------------------------------
    def create_shipment(self, request: ports.ShipmentRequest) -> ports.ShipmentResult:
        karrio = kc.karrio_sdk()
        details, messages = (
            karrio.Shipment.create(self.shipment_payload(request)).from_(self.gateway).parse()
        )
        kc.raise_for_messages(messages, self.label)
        if details is None or not details.tracking_number:
            raise ports.CarrierError(f"{self.label}: the carrier answered without a label")
        fmt = "ZPL" if (details.label_type or "").upper().startswith("ZPL") else "PDF"
        raw = details.docs.label or ""
        data = base64.b64decode(raw)
        meta = details.meta or {}
        return ports.ShipmentResult(
            tracking_number=str(details.tracking_number),
            shipment_identifier=str(details.shipment_identifier or details.tracking_number),
            labels=(ports.Label(data=data, format=fmt),),
            tracking_url=str(meta.get("carrier_tracking_link") or ""),
            meta={k: v for k, v in meta.items() if isinstance(v, str | int | float)},
        )

    def cancel_shipment(self, *, shipment_identifier: str, service_code: str) -> None:
        karrio = kc.karrio_sdk()
        if "cancel_shipment" not in self.gateway.proxy_methods:
            raise ports.CarrierCancelUnsupported(
                f"{self.label} has no cancellation call: an unused label is not charged",
                code="cancel_unsupported",
                retryable=False,
            )
        payload = {"shipment_identifier": shipment_identifier, "service": service_code}
        _confirmation, messages = karrio.Shipment.cancel(payload).from_(self.gateway).parse()
        kc.raise_for_messages(messages, self.label)

    def track(self, queries: Sequence[ports.TrackingQuery]) -> list[ports.TrackingResult]:
        if not queries:
            return []
        karrio = kc.karrio_sdk()
        payload = {"tracking_numbers": [q.tracking_number for q in queries]}
        details, messages = karrio.Tracking.fetch(payload).from_(self.gateway).parse()
        if not details:
            kc.raise_for_messages(messages, self.label)
        results = []
        for d in details or []:
            events = tuple(
                sorted(
                    (
                        ports.TrackingEvent(
                            status=self.event_codes.get(str(e.code or "").upper())
                            or kc.KARRIO_STATUS.get(e.status or ""),
                            occurred_at=kc.parse_timestamp(
                                e.timestamp, e.date, e.time, tz=self.timezone
                            ),
                            code=str(e.code or ""),
                            description=str(e.description or "")[:500],
                            location=str(e.location or "")[:200],
                        )
                        for e in d.events or []
                    ),
                    key=lambda e: e.occurred_at,
                )
            )
            status = next((e.status for e in reversed(events) if e.status), None)
            if d.delivered:
                status = ports.TrackingStatus.DELIVERED
            results.append(
                ports.TrackingResult(
                    tracking_number=d.tracking_number, events=events, status=status
                )
            )
        return results

    def rates(self, request: ports.RateRequest) -> list[ports.RateQuote]:
        karrio = kc.karrio_sdk()
        payload = {
            "shipper": kc.address(request.sender),
            "recipient": kc.address(request.recipient),
            "parcels": [kc.parcel(p) for p in request.packages],
            "services": [request.service_code] if request.service_code else [],
        }
        rates, messages = karrio.Rating.fetch(payload).from_(self.gateway).parse()
        kc.raise_for_messages(messages, self.label)
        return [
            ports.RateQuote(
                service_code=r.service,
                service_name=(r.meta or {}).get("service_name", r.service),
                amount=float(r.total_charge or 0),
                currency=r.currency or "EUR",
                transit_days=r.transit_days,
            )
            for r in rates
        ]


# --- DHL Parcel DE -------------------------------------------------------------------


class DhlParcelDeConnection(KarrioConnection):
    carrier_name = "dhl_parcel_de"
    label = "DHL Parcel DE"
    # karrio counts SHRCU (shipment data received electronically) as in transit; it is
    # the announcement, not a scan, and must not set first_scan_at.
    event_codes = {"SHRCU": ports.TrackingStatus.ANNOUNCED}

    def shipment_payload(self, request: ports.ShipmentRequest) -> dict[str, Any]:
        payload = super().shipment_payload(request)
        for key in ("shipper", "recipient", "return_address"):
            street, number = _split_street(payload[key]["address_line1"])
            if number:
                payload[key]["address_line1"] = street
                payload[key]["street_number"] = number
        # 103 x 150 mm labels (DHL "910-300-600"), the closest to A6.
        payload["options"]["dhl_parcel_de_label_type"] = (
            "ZPL2_910_300_600" if request.label_format == "ZPL" else "PDF_910_300_600"
        )
        return payload


class DhlParcelDe:
    name = "dhl_parcel_de"
    label = "DHL Parcel DE (Paket)"
    amazon_carrier_code = "DHL"
    amazon_carrier_name = "DHL"
    label_formats = ("PDF", "ZPL")
    clock_driven = False
    services = (
        ports.ServiceOption("dhl_parcel_de_paket", "DHL Paket", "DHL", "Paket"),
        ports.ServiceOption("dhl_parcel_de_kleinpaket", "DHL Kleinpaket", "DHL", "Kleinpaket"),
        ports.ServiceOption("dhl_parcel_de_europaket", "DHL Europaket", "DHL", "Europaket"),
        ports.ServiceOption(
            "dhl_parcel_de_paket_international",
            "DHL Paket International",
            "DHL",
            "Paket International",
        ),
    )
    credential_fields = (
        ports.CredentialField("username", "GKP user name (Geschäftskundenportal)"),
        ports.CredentialField("password", "GKP password", secret=True),
        ports.CredentialField("client_id", "API key (developer.dhl.com app)"),
        ports.CredentialField("client_secret", "API secret", secret=True),
        ports.CredentialField(
            "billing_number",
            "Billing number (EKP + procedure + participation, 14 digits)",
            pattern=r"[0-9]{14}",
            pattern_message="A DHL billing number has 14 digits, e.g. 33333333330102.",
        ),
    )

    def connect(self, *, credentials: Mapping[str, Any], test_mode: bool) -> DhlParcelDeConnection:
        settings = {
            "carrier_id": "dhl_parcel_de",
            "username": credentials.get("username"),
            "password": credentials.get("password"),
            "client_id": credentials.get("client_id"),
            "client_secret": credentials.get("client_secret"),
            "test_mode": test_mode,
            "config": {"default_billing_number": credentials.get("billing_number")}
            if credentials.get("billing_number")
            else {},
        }
        return DhlParcelDeConnection(settings)


# --- Colissimo -----------------------------------------------------------------------

LA_POSTE_EVENT_CODES: dict[str, ports.TrackingStatus] = {
    "DR1": ports.TrackingStatus.ANNOUNCED,  # déclaratif reçu: data only, not a scan
    "PC1": ports.TrackingStatus.PICKED_UP,
    "PC2": ports.TrackingStatus.PICKED_UP,
    "ET1": ports.TrackingStatus.IN_TRANSIT,
    "ET2": ports.TrackingStatus.IN_TRANSIT,
    "ET3": ports.TrackingStatus.IN_TRANSIT,
    "ET4": ports.TrackingStatus.IN_TRANSIT,
    "EP1": ports.TrackingStatus.DELAYED,
    "DO1": ports.TrackingStatus.IN_TRANSIT,
    "DO2": ports.TrackingStatus.IN_TRANSIT,
    "MD2": ports.TrackingStatus.OUT_FOR_DELIVERY,
    "AG1": ports.TrackingStatus.AWAITING_PICKUP,
    "ND1": ports.TrackingStatus.DELIVERY_FAILED,
    "RE1": ports.TrackingStatus.RETURNED,
    "DI0": ports.TrackingStatus.DELIVERED,
    "DI1": ports.TrackingStatus.DELIVERED,
    "DI2": ports.TrackingStatus.RETURNED,  # distribué à l'expéditeur
}


class ColissimoConnection(KarrioConnection):
    carrier_name = "colissimo"
    label = "Colissimo"
    event_codes = LA_POSTE_EVENT_CODES
    timezone = "Europe/Paris"


class Colissimo:
    name = "colissimo"
    label = "Colissimo (La Poste)"
    amazon_carrier_code = "Colissimo"
    amazon_carrier_name = "Colissimo"
    label_formats = ("PDF", "ZPL")
    clock_driven = False
    services = (
        ports.ServiceOption(
            "colissimo_home_without_signature",
            "Colissimo Domicile sans signature",
            "Colissimo",
            "Colissimo Domicile",
        ),
        ports.ServiceOption(
            "colissimo_home_with_signature",
            "Colissimo Domicile avec signature",
            "Colissimo",
            "Colissimo Expert",
        ),
        ports.ServiceOption(
            "colissimo_out_of_home_pickup_point",
            "Colissimo Point Retrait",
            "Colissimo",
            "Colissimo Point Retrait",
        ),
    )
    credential_fields = (
        ports.CredentialField(
            "contract_number",
            "Colissimo contract number (6 digits)",
            pattern=r"[0-9]{6}",
            pattern_message="A Colissimo contract number has 6 digits.",
        ),
        ports.CredentialField("password", "Colissimo Box password", secret=True),
        ports.CredentialField(
            "laposte_api_key",
            "La Poste Okapi API key (for tracking)",
            required=False,
            secret=True,
        ),
    )

    def connect(self, *, credentials: Mapping[str, Any], test_mode: bool) -> ColissimoConnection:
        settings = {
            "carrier_id": "colissimo",
            "contract_number": credentials.get("contract_number"),
            "password": credentials.get("password"),
            "laposte_api_key": credentials.get("laposte_api_key"),
            "test_mode": test_mode,
        }
        return ColissimoConnection(settings)
