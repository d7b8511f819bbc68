"""What a marketplace connector offers colis: a Protocol and frozen dataclasses.

The `orders` and `integrations` apps speak only these types; Amazon's JSON and XML stay in
`colis.marketplaces.amazon`. Connectors are found through the `colis.marketplaces` entry
point group, so another marketplace is one new package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol


class OrderStatus(StrEnum):
    """colis' own order states; connectors map their marketplace's states onto these."""

    PENDING = "pending"  # not yet payable / not yet to ship
    UNSHIPPED = "unshipped"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"
    UNFULFILLABLE = "unfulfillable"


@dataclass(frozen=True, slots=True)
class MarketplaceParticipation:
    marketplace_id: str
    country_code: str
    name: str
    currency: str = ""
    is_participating: bool = True


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A recipient address. Name, street lines, phone and e-mail are PII: stored encrypted."""

    name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    line3: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    country_code: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class OrderItemData:
    external_id: str
    sku: str
    quantity: int
    quantity_shipped: int = 0
    asin: str = ""
    title: str = ""
    unit_price: Decimal | None = None
    currency: str = ""
    buyer_cancel_requested: bool = False
    buyer_cancel_reason: str = ""


@dataclass(frozen=True, slots=True)
class OrderData:
    external_id: str
    marketplace_id: str
    status: OrderStatus
    marketplace_status: str
    purchased_at: dt.datetime
    last_updated_at: dt.datetime
    items: tuple[OrderItemData, ...]
    fulfilled_by_marketplace: bool = False  # Amazon FBA: colis does not ship these
    is_prime: bool = False
    is_business: bool = False
    ship_by: dt.datetime | None = None
    ship_from: dt.datetime | None = None
    deliver_from: dt.datetime | None = None
    deliver_by: dt.datetime | None = None
    ship_service_level: str = ""
    buyer_name: str = ""
    buyer_email: str = ""
    gift_message: str = ""
    recipient: PostalAddress | None = None
    order_total: Decimal | None = None
    currency: str = ""

    @property
    def buyer_cancel_requested(self) -> bool:
        return any(item.buyer_cancel_requested for item in self.items)


@dataclass(frozen=True, slots=True)
class OrderPage:
    orders: tuple[OrderData, ...]
    next_token: str | None
    # Where the next run may start from once every page of this run is committed.
    checkpoint: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ProductWeight:
    sku: str
    grams: Decimal
    source: str  # e.g. "amazon_catalog", "amazon_listing"
    raw_value: str = ""
    raw_unit: str = ""


@dataclass(frozen=True, slots=True)
class ConnectionCheck:
    """What a credentials check learnt: who the seller is and where they sell."""

    seller_id: str
    participations: tuple[MarketplaceParticipation, ...]
    credentials: dict[str, Any] = field(default_factory=dict)  # what to store (encrypted)


@dataclass(frozen=True, slots=True)
class ShipmentConfirmation:
    """One package to confirm to the marketplace (Amazon: confirmShipment / the
    order-fulfillment feed). `package_reference_id` is a string holding a positive integer,
    stable per parcel; `items` are (marketplace order item id, quantity) pairs."""

    order_external_id: str
    marketplace_id: str
    package_reference_id: str
    carrier_code: str
    carrier_name: str | None
    shipping_method: str
    tracking_number: str
    ship_date: dt.datetime
    items: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ShipmentReceipt:
    """What the marketplace said on receipt. `submission_id` is set when the confirmation
    went through an asynchronous feed (its result is read with `fetch_submission_result`)."""

    submission_id: str = ""


@dataclass(frozen=True, slots=True)
class ConfirmedPackage:
    """A package the marketplace holds for an order (read back after a confirmation)."""

    package_reference_id: str
    carrier: str
    tracking_number: str
    items: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    """A feed's outcome: `done` False while the marketplace is still processing it;
    `errors` maps a package reference id ("" = the whole feed) to the marketplace's reason."""

    done: bool
    errors: dict[str, str] = field(default_factory=dict)


# --- errors: each says what the seller or operator can do about it ----------------------


class ConnectorError(Exception):
    """A marketplace call failed. `message` is plain words, safe to show (no secrets)."""

    retryable = False

    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


class AuthorizationRevoked(ConnectorError):
    """The marketplace says the seller revoked (or never granted) the authorization."""


class AuthorizationExpired(ConnectorError):
    """The authorization lapsed; the seller can renew it."""


class InvalidCredentials(ConnectorError):
    """The credentials are malformed or wrong (client id/secret, token format)."""


class InvalidRequest(ConnectorError):
    """The marketplace refused the request as invalid (HTTP 400): its reason is in `message`."""


class TemporaryFailure(ConnectorError):
    """Throttling, 5xx, time-outs, dropped connections, malformed bodies: try again later."""

    retryable = True


class MarketplaceConnector(Protocol):
    """One integration's view of its marketplace."""

    def check(self) -> ConnectionCheck: ...

    def fetch_orders_page(
        self, *, updated_after: dt.datetime, page_token: str | None
    ) -> OrderPage: ...

    def fetch_weights(self, *, skus: dict[str, str]) -> dict[str, ProductWeight]:
        """Package weights for `{sku: asin}`; SKUs without a known weight are left out."""
        ...

    def confirm_shipment(self, *, confirmation: ShipmentConfirmation) -> ShipmentReceipt:
        """Tell the marketplace one package shipped: sent once, never retried blindly (the
        caller reads back with `fetch_confirmed_packages` when an outcome is unknown)."""
        ...

    def fetch_confirmed_packages(
        self, *, order_external_id: str
    ) -> tuple[ConfirmedPackage, ...] | None:
        """The packages the marketplace holds for an order; None when it cannot be read."""
        ...

    def fetch_submission_result(self, *, submission_id: str) -> SubmissionResult:
        """The outcome of a confirmation sent through a feed (`ShipmentReceipt.submission_id`)."""
        ...
