"""What a carrier connector offers colis: a Protocol and frozen dataclasses.

Services speak only these types. karrio's models stay inside `colis.shipping.carriers`;
a connector is found through the `colis.carriers` entry-point group, so another carrier
is one new package (`carrier_get("dhl_parcel_de")`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

ENTRY_POINT_GROUP = "colis.carriers"


class TrackingStatus(StrEnum):
    """A carrier scan, in colis' words (modelled on Sendcloud's parcel statuses)."""

    ANNOUNCED = "announced"  # the carrier has the data, no scan yet
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AWAITING_PICKUP = "awaiting_pickup"  # at a pickup point or locker
    DELIVERY_FAILED = "delivery_failed"
    EXCEPTION = "exception"
    RETURNED = "returned"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Party:
    """A sender, recipient or return address as a carrier needs it."""

    name: str
    street1: str
    postal_code: str
    city: str
    country_code: str
    company: str = ""
    street2: str = ""
    region: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class ParcelLine:
    sku: str
    quantity: int
    title: str = ""
    unit_weight_grams: int | None = None


@dataclass(frozen=True, slots=True)
class PackageSpec:
    weight_grams: int
    items: tuple[ParcelLine, ...] = ()
    # colis' reference for this parcel (goes on the label and to the carrier).
    reference: str = ""


@dataclass(frozen=True, slots=True)
class RateRequest:
    service_code: str
    sender: Party
    recipient: Party
    packages: tuple[PackageSpec, ...]


@dataclass(frozen=True, slots=True)
class RateQuote:
    service_code: str
    service_name: str
    amount: float
    currency: str
    transit_days: int | None = None


@dataclass(frozen=True, slots=True)
class ShipmentRequest:
    service_code: str
    sender: Party
    recipient: Party
    return_to: Party
    package: PackageSpec
    label_format: str = "PDF"  # "PDF" or "ZPL": the format asked of the carrier
    order_reference: str = ""
    # A tracking number colis chose (the local carrier); real carriers assign their own.
    tracking_number: str = ""
    package_index: int = 1
    package_count: int = 1
    ship_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Label:
    data: bytes
    format: str  # "PDF" or "ZPL"


@dataclass(frozen=True, slots=True)
class ShipmentResult:
    tracking_number: str
    shipment_identifier: str
    labels: tuple[Label, ...]
    tracking_url: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)

    def label(self, fmt: str) -> Label | None:
        return next((lbl for lbl in self.labels if lbl.format == fmt), None)


@dataclass(frozen=True, slots=True)
class TrackingQuery:
    tracking_number: str
    label_created_at: dt.datetime | None = None
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class TrackingEvent:
    status: TrackingStatus | None  # None: an event colis does not map (kept in history)
    occurred_at: dt.datetime
    code: str = ""
    description: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class TrackingResult:
    tracking_number: str
    events: tuple[TrackingEvent, ...]  # oldest first
    status: TrackingStatus | None = None  # the carrier's current status
    # When something may change next, if the carrier knows (the local carrier's clock).
    next_check_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class CarrierMessage:
    code: str
    message: str


class CarrierError(Exception):
    """The carrier refused or failed. `messages` are the carrier's own words."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "carrier_error",
        messages: Sequence[CarrierMessage] = (),
        retryable: bool = True,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.messages = tuple(messages)
        self.retryable = retryable


class CarrierCancelUnsupported(CarrierError):
    """The carrier has no cancellation call: the label is void if never handed over."""


@dataclass(frozen=True, slots=True)
class CredentialField:
    """One field of a carrier account's credential form (validated in `shipping.forms`)."""

    name: str
    label: str
    required: bool = True
    secret: bool = False
    pattern: str = ""  # a regular expression the whole value must match
    pattern_message: str = ""
    kind: str = "text"  # "text", "int", "bool"
    default: Any = None
    help_text: str = ""


@dataclass(frozen=True, slots=True)
class ServiceOption:
    code: str
    name: str
    # Amazon's words for this service, when the carrier has a known mapping.
    amazon_carrier_code: str = ""
    amazon_shipping_method: str = ""


class CarrierConnection(Protocol):
    """A carrier account, connected: the calls colis makes."""

    def create_shipment(self, request: ShipmentRequest) -> ShipmentResult: ...

    def cancel_shipment(self, *, shipment_identifier: str, service_code: str) -> None: ...

    def track(self, queries: Sequence[TrackingQuery]) -> list[TrackingResult]: ...

    def rates(self, request: RateRequest) -> list[RateQuote]: ...


@runtime_checkable
class Carrier(Protocol):
    """A carrier connector: what a seller configures and how it connects."""

    name: str  # stable key, stored on CarrierAccount.carrier
    label: str  # shown to sellers
    amazon_carrier_code: str  # Amazon's CarrierCode, or "Other"
    amazon_carrier_name: str  # the carrier name sent with "Other"
    label_formats: tuple[str, ...]
    services: tuple[ServiceOption, ...]
    credential_fields: tuple[CredentialField, ...]
    # The local carrier advances parcels on a clock; others are polled with `track`.
    clock_driven: bool

    def connect(self, *, credentials: Mapping[str, Any], test_mode: bool) -> CarrierConnection: ...


class UnknownCarrier(LookupError):
    pass


@functools.cache
def _registry() -> dict[str, Carrier]:
    found: dict[str, Carrier] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        factory = ep.load()
        carrier = factory() if isinstance(factory, type) else factory
        found[ep.name] = carrier
    return found


def carriers_available() -> dict[str, Carrier]:
    """Every installed carrier connector, by name."""
    return dict(_registry())


def carrier_get(name: str) -> Carrier:
    try:
        return _registry()[name]
    except KeyError:
        raise UnknownCarrier(f"no carrier connector named {name!r} is installed") from None
