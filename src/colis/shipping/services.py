"""Writes of the shipping app: carrier accounts, shipping methods, parcels, labels, tracking.

Carriers are reached only through `colis.shipping.ports` (entry points of the
`colis.carriers` group). A parcel is made in two steps: the reservation (one
transaction, the order row locked: checks, quantities, parcel rows keyed by an
idempotency key) and the announcement (outside any transaction: a lease on the parcel,
the carrier call, then a status-conditional UPDATE that stores the label). A retried
request finds its parcels by key and never makes a second label.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from colis.accounts.models import Account, Address
from colis.common import clock
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem
from colis.shipping import errors, labels, ports, selectors
from colis.shipping.carrier_codes import OTHER, all_carrier_codes
from colis.shipping.forms import credentials_clean
from colis.shipping.models import (
    AmazonCarrierMapping,
    CarrierAccount,
    CarrierCode,
    IntegrationShippingDefault,
    LabelBatch,
    Parcel,
    ParcelEvent,
    ParcelItem,
    ShippingMethod,
)

log = logging.getLogger(__name__)

S = Parcel.Status
CLAIM = dt.timedelta(minutes=2)
BULK_CHUNK = 25
TRACK_EVERY = dt.timedelta(hours=2)
LOCAL_TRACK_EVERY = dt.timedelta(minutes=1)
FINAL = {S.DELIVERED, S.RETURNED, S.CANCELLED}
NO_LABEL = {S.PENDING, S.ERROR}
# Statuses that mean the carrier has physically handled the parcel.
SCANNED = {
    S.PICKED_UP,
    S.IN_TRANSIT,
    S.DELAYED,
    S.OUT_FOR_DELIVERY,
    S.AWAITING_PICKUP,
    S.DELIVERY_FAILED,
    S.EXCEPTION,
    S.RETURNED,
    S.DELIVERED,
}
TRACKED = [S.READY_TO_SEND, S.ANNOUNCED, *sorted(SCANNED - {S.DELIVERED, S.RETURNED})]
# Order along the way (the local clock only ever moves a parcel forward).
RANK = {
    S.PENDING: 0,
    S.ERROR: 0,
    S.READY_TO_SEND: 1,
    S.ANNOUNCED: 2,
    S.PICKED_UP: 3,
    S.IN_TRANSIT: 4,
    S.DELAYED: 4,
    S.EXCEPTION: 4,
    S.OUT_FOR_DELIVERY: 5,
    S.AWAITING_PICKUP: 5,
    S.DELIVERY_FAILED: 5,
    S.DELIVERED: 9,
    S.RETURNED: 9,
    S.CANCELLED: 9,
}
ADVANCE_TO = sorted(SCANNED | {S.ANNOUNCED})


# --- carrier codes -------------------------------------------------------------------


def carrier_codes_seed() -> int:
    """Upsert the carrier-code table from colis' constants. Returns rows written."""
    count = 0
    for code, name, editable in all_carrier_codes():
        CarrierCode.objects.update_or_create(
            code=code, defaults={"name": name, "editable": editable}
        )
        count += 1
    return count


def carrier_code_save(*, code: str, name: str) -> CarrierCode:
    """Add a carrier code (Seller Central's spelling) or rename an editable one. Amazon's
    published (XSD) codes are locked."""
    code = code.strip()
    if not code or len(code) > 64:
        raise errors.InvalidInput("A carrier code has 1 to 64 characters.", field="code")
    row = CarrierCode.objects.filter(code=code).first()
    if row is not None and not row.editable:
        raise errors.InvalidInput(
            f"{code!r} is one of Amazon's published codes: it cannot be changed.", field="code"
        )
    row, _ = CarrierCode.objects.update_or_create(
        code=code, defaults={"name": name.strip()[:100] or code, "editable": True}
    )
    return row


def carrier_code_delete(*, code: str) -> None:
    row = CarrierCode.objects.filter(code=code).first()
    if row is None:
        raise errors.NotFound("No such carrier code.", field="code")
    if not row.editable:
        raise errors.InvalidInput(f"{code!r} is one of Amazon's published codes.", field="code")
    if AmazonCarrierMapping.objects.filter(carrier_code=code).exists():
        raise errors.InvalidInput(f"{code!r} is used by a shipping method.", field="code")
    row.delete()


# --- carrier accounts ----------------------------------------------------------------


def _carrier(name: str) -> ports.Carrier:
    try:
        return ports.carrier_get(name)
    except ports.UnknownCarrier:
        known = ", ".join(sorted(ports.carriers_available()))
        raise errors.InvalidInput(
            f"Unknown carrier {name!r} (installed: {known}).", field="carrier"
        ) from None


def _creds(ca: CarrierAccount) -> dict[str, Any]:
    value: Any = ca.credentials
    return dict(value) if isinstance(value, dict) else {}


def _credential_errors(errs: dict[str, list[str]]) -> errors.InvalidInput:
    field, messages = next(iter(errs.items()))
    exc = errors.InvalidInput(messages[0], field=f"credentials.{field}")
    exc.extra["errors"] = [
        {"code": "invalid", "message": m, "field": f"credentials.{f}"}
        for f, ms in errs.items()
        for m in ms
    ]
    return exc


def carrier_account_create(
    *,
    account: Account,
    carrier: str,
    name: str,
    credentials: dict[str, Any],
    test_mode: bool = True,
    label_format: str = "PDF",
) -> CarrierAccount:
    connector = _carrier(carrier)
    if label_format not in connector.label_formats:
        raise errors.InvalidInput(
            f"{connector.label} offers {', '.join(connector.label_formats)} labels.",
            field="label_format",
        )
    if not name.strip():
        raise errors.InvalidInput("A name is required.", field="name")
    clean, errs = credentials_clean(connector, credentials or {})
    if errs:
        raise _credential_errors(errs)
    try:
        with transaction.atomic():
            return CarrierAccount.objects.create(
                account=account,
                carrier=carrier,
                name=name.strip()[:100],
                credentials=clean,  # type: ignore[misc]  # an encrypted JSON document
                test_mode=test_mode,
                label_format=label_format,
            )
    except IntegrityError:
        raise errors.InvalidInput(
            "A carrier account with this name exists.", field="name"
        ) from None


def carrier_account_update(
    *,
    account: Account,
    carrier_account_id: int,
    name: str | None = None,
    credentials: dict[str, Any] | None = None,
    test_mode: bool | None = None,
    label_format: str | None = None,
    is_active: bool | None = None,
) -> CarrierAccount:
    ca = selectors.carrier_account_get(account=account, carrier_account_id=carrier_account_id)
    connector = _carrier(ca.carrier)
    fields: list[str] = []
    if credentials is not None:
        clean, errs = credentials_clean(connector, credentials, previous=_creds(ca))
        if errs:
            raise _credential_errors(errs)
        ca.credentials = clean  # type: ignore[assignment]
        fields.append("credentials")
    if name is not None:
        ca.name = name.strip()[:100]
        fields.append("name")
    if test_mode is not None:
        ca.test_mode = test_mode
        fields.append("test_mode")
    if label_format is not None:
        if label_format not in connector.label_formats:
            raise errors.InvalidInput("Unsupported label format.", field="label_format")
        ca.label_format = label_format
        fields.append("label_format")
    if is_active is not None:
        ca.is_active = is_active
        fields.append("is_active")
    ca.save(update_fields=[*fields, "updated_at"])
    return ca


# --- shipping methods ----------------------------------------------------------------


def _countries(values: Iterable[str]) -> list[str]:
    from django_countries import countries

    out = []
    for value in values:
        code = str(value).strip().upper()
        if code not in dict(countries):
            raise errors.InvalidInput(
                f"{value!r} is not a country code (ISO 3166 alpha-2).",
                field="destination_countries",
            )
        out.append(code)
    return sorted(set(out))


def _check_weights(min_g: int, max_g: int | None) -> None:
    if min_g < 0:
        raise errors.InvalidInput(
            "The minimum weight cannot be negative.", field="min_weight_grams"
        )
    if max_g is not None and max_g < max(min_g, 1):
        raise errors.InvalidInput(
            "The maximum weight must be above the minimum.", field="max_weight_grams"
        )


def _check_service(ca: CarrierAccount, service_code: str) -> None:
    codes = {s.code for s in _carrier(ca.carrier).services}
    if service_code not in codes:
        raise errors.InvalidInput(
            f"Unknown service for {ca.name}; one of: {', '.join(sorted(codes))}.",
            field="service_code",
        )


def shipping_method_create(
    *,
    account: Account,
    carrier_account_id: int,
    name: str,
    service_code: str,
    min_weight_grams: int = 0,
    max_weight_grams: int | None = None,
    destination_countries: Sequence[str] = (),
    amazon_mappings: Sequence[dict[str, str]] = (),
) -> ShippingMethod:
    ca = selectors.carrier_account_get(account=account, carrier_account_id=carrier_account_id)
    _check_service(ca, service_code)
    _check_weights(min_weight_grams, max_weight_grams)
    if not name.strip():
        raise errors.InvalidInput("A name is required.", field="name")
    try:
        with transaction.atomic():
            method = ShippingMethod.objects.create(
                account=account,
                carrier_account=ca,
                name=name.strip()[:100],
                service_code=service_code,
                min_weight_grams=min_weight_grams,
                max_weight_grams=max_weight_grams,
                destination_countries=_countries(destination_countries),
            )
            for mapping in amazon_mappings:
                amazon_carrier_mapping_set(account=account, method_id=method.id, **mapping)
    except IntegrityError:
        raise errors.InvalidInput(
            "A shipping method with this name exists.", field="name"
        ) from None
    return method


def shipping_method_update(
    *,
    account: Account,
    method_id: int,
    name: str | None = None,
    service_code: str | None = None,
    min_weight_grams: int | None = None,
    max_weight_grams: int | None = None,
    clear_max_weight: bool = False,
    destination_countries: Sequence[str] | None = None,
    is_active: bool | None = None,
    amazon_mappings: Sequence[dict[str, str]] | None = None,
) -> ShippingMethod:
    with transaction.atomic():
        method = selectors.shipping_method_get(account=account, method_id=method_id)
        fields = ["updated_at"]
        if name is not None:
            method.name = name.strip()[:100]
            fields.append("name")
        if service_code is not None:
            _check_service(method.carrier_account, service_code)
            method.service_code = service_code
            fields.append("service_code")
        if min_weight_grams is not None:
            method.min_weight_grams = min_weight_grams
            fields.append("min_weight_grams")
        if max_weight_grams is not None or clear_max_weight:
            method.max_weight_grams = None if clear_max_weight else max_weight_grams
            fields.append("max_weight_grams")
        _check_weights(method.min_weight_grams, method.max_weight_grams)
        if destination_countries is not None:
            method.destination_countries = _countries(destination_countries)
            fields.append("destination_countries")
        if is_active is not None:
            method.is_active = is_active
            fields.append("is_active")
        try:
            with transaction.atomic():
                method.save(update_fields=fields)
        except IntegrityError:
            raise errors.InvalidInput(
                "A shipping method with this name exists.", field="name"
            ) from None
        if amazon_mappings is not None:
            AmazonCarrierMapping.objects.filter(account=account, shipping_method=method).delete()
            for mapping in amazon_mappings:
                amazon_carrier_mapping_set(account=account, method_id=method.id, **mapping)
    return method


def shipping_method_delete(*, account: Account, method_id: int) -> bool:
    """Delete a method; one with parcels is deactivated instead. True if deleted."""
    method = selectors.shipping_method_get(account=account, method_id=method_id)
    if Parcel.objects.filter(account=account, shipping_method=method).exists():
        method.is_active = False
        method.save(update_fields=["is_active", "updated_at"])
        IntegrationShippingDefault.objects.filter(account=account, method=method).delete()
        return False
    method.delete()
    return True


def amazon_carrier_mapping_set(
    *,
    account: Account,
    method_id: int,
    carrier_code: str,
    marketplace_id: str = "",
    carrier_name: str = "",
    shipping_method_name: str = "",
) -> AmazonCarrierMapping:
    method = selectors.shipping_method_get(account=account, method_id=method_id)
    if not CarrierCode.objects.filter(code=carrier_code).exists():
        raise errors.InvalidInput(
            f"{carrier_code!r} is not a known carrier code (Amazon's spelling, case-sensitive); "
            f"use {OTHER!r} with the carrier's name.",
            field="carrier_code",
        )
    if carrier_code == OTHER and not carrier_name.strip():
        raise errors.InvalidInput(
            "With carrier code Other, the carrier's name is required.", field="carrier_name"
        )
    row, _ = AmazonCarrierMapping.objects.update_or_create(
        account=account,
        shipping_method=method,
        marketplace_id=marketplace_id.strip(),
        defaults={
            "carrier_code": carrier_code,
            "carrier_name": carrier_name.strip()[:100],
            "shipping_method_name": shipping_method_name.strip()[:100],
        },
    )
    return row


def integration_shipping_default_set(
    *, account: Account, integration_id: int, method_id: int | None
) -> IntegrationShippingDefault | None:
    if not Integration.objects.filter(account=account, id=integration_id).exists():
        raise errors.NotFound("No such integration.", field="integration_id")
    if method_id is None:
        IntegrationShippingDefault.objects.filter(
            account=account, integration_id=integration_id
        ).delete()
        return None
    method = selectors.shipping_method_get(account=account, method_id=method_id)
    row, _ = IntegrationShippingDefault.objects.update_or_create(
        account=account, integration_id=integration_id, defaults={"method": method}
    )
    return row


# --- parcels: reservation ------------------------------------------------------------

ItemsSpec = Sequence[Sequence[dict[str, int]]]


def _normalise_items(items: ItemsSpec | None) -> list[list[tuple[int, int]]] | None:
    if items is None:
        return None
    if not items:
        raise errors.ItemsInvalid("Give at least one parcel of items.", field="items")
    out = []
    for index, parcel in enumerate(items):
        lines: dict[int, int] = {}
        if not parcel:
            raise errors.ItemsInvalid(f"Parcel {index + 1} has no items.", field="items")
        for line in parcel:
            try:
                item_id = int(line["order_item_id"])
                quantity = int(line["quantity"])
            except (KeyError, TypeError, ValueError):
                raise errors.ItemsInvalid(
                    "Each line needs an order_item_id and a quantity.", field="items"
                ) from None
            if quantity <= 0:
                raise errors.ItemsInvalid(
                    f"Parcel {index + 1}: quantities must be at least 1.", field="items"
                )
            lines[item_id] = lines.get(item_id, 0) + quantity
        out.append(sorted(lines.items()))
    return out


def _weights_spec(weight_grams: int | Sequence[int] | None) -> list[int] | None:
    if weight_grams is None:
        return None
    values = [weight_grams] if isinstance(weight_grams, int) else list(weight_grams)
    for value in values:
        if not isinstance(value, int) or value <= 0:
            raise errors.InvalidInput(
                "A weight is a whole number of grams above 0.", field="weight_grams"
            )
    return values


def _fingerprint(
    order_id: int, method_id: int | None, weights: list[int] | None, split: Any
) -> str:
    text = json.dumps([order_id, method_id, weights, split], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _check_order(order: Order) -> None:
    if order.status == Order.Status.CANCELLED:
        raise errors.OrderCancelled("This order was cancelled: it cannot be shipped.")
    if order.fulfilled_by_marketplace:
        raise errors.AfnOrder("Amazon ships this order (FBA / AFN): colis cannot ship it.")
    if order.buyer_cancel_requested:
        raise errors.BuyerCancelRequested(
            "The buyer asked to cancel this order: cancel it on the marketplace or ask the buyer."
        )
    if order.status not in {Order.Status.UNSHIPPED, Order.Status.PARTIALLY_SHIPPED}:
        raise errors.OrderNotShippable(
            f"This order is {order.get_status_display().lower()}: only unshipped orders are shipped."
        )


def _resolve_method(account: Account, order: Order, method_id: int | None) -> ShippingMethod:
    if method_id is not None:
        method = selectors.shipping_method_get(account=account, method_id=method_id)
    else:
        found = selectors.shipping_method_default(
            account=account, integration_id=order.integration_id
        )
        if found is None:
            raise errors.MethodRequired(
                "Choose a shipping method (this shop has no default).", field="method_id"
            )
        method = found
    if not method.is_active or not method.carrier_account.is_active:
        raise errors.MethodInactive("This shipping method is switched off.", field="method_id")
    return method


def _addresses(account: Account) -> tuple[Address, Address]:
    sender = Address.objects.filter(account=account, kind="sender", is_default=True).first()
    if sender is None:
        raise errors.SenderAddressMissing("Add a default sender address first.")
    if account.return_same_as_sender:
        return sender, sender
    ret = Address.objects.filter(account=account, kind="return").first()
    return sender, ret or sender


@transaction.atomic
def _parcels_reserve(
    *,
    account: Account,
    order_id: int,
    method_id: int | None,
    weight_grams: int | Sequence[int] | None,
    items: ItemsSpec | None,
    idempotency_key: str | None,
) -> list[Parcel]:
    order = Order.objects.select_for_update().filter(account=account, id=order_id).first()
    if order is None:
        raise errors.NotFound("No such order.", field="order_id")
    split = _normalise_items(items)
    weights = _weights_spec(weight_grams)
    fingerprint = _fingerprint(order.id, method_id, weights, split)
    if idempotency_key:
        base = "k:" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:40]
    else:
        generation = Parcel.objects.filter(account=account, order=order, status=S.CANCELLED).count()
        base = f"o{order.id}:g{generation}:" + fingerprint[:24]
    existing = list(
        Parcel.objects.filter(account=account, idempotency_key__startswith=base + "#").order_by(
            "package_index"
        )
    )
    if existing:
        if existing[0].request_fingerprint != fingerprint:
            raise errors.IdempotencyKeyReused(
                "This idempotency key was used for a different request."
            )
        return existing

    _check_order(order)
    method = _resolve_method(account, order, method_id)
    sender, ret = _addresses(account)
    remaining = selectors.order_item_remaining(account=account, order=order)
    order_items = {i.id: i for i in OrderItem.objects.filter(account=account, order=order)}
    if not order_items:
        raise errors.ItemsInvalid("This order has no items.", field="items")
    if split is None:
        lines = [(item_id, qty) for item_id, qty in sorted(remaining.items()) if qty > 0]
        if not lines:
            raise errors.NothingToShip(
                "Every item of this order is already in a parcel or shipped."
            )
        split = [lines]
    wanted: dict[int, int] = {}
    for parcel_lines in split:
        for item_id, qty in parcel_lines:
            if item_id not in order_items:
                raise errors.ItemsInvalid(f"Item {item_id} is not in this order.", field="items")
            if order_items[item_id].buyer_cancel_requested:
                raise errors.BuyerCancelRequested(
                    f"The buyer asked to cancel item {order_items[item_id].sku}.", field="items"
                )
            wanted[item_id] = wanted.get(item_id, 0) + qty
    for item_id, qty in wanted.items():
        if qty > remaining.get(item_id, 0):
            item = order_items[item_id]
            raise errors.QuantityExceeded(
                f"{item.sku}: {qty} asked, {remaining.get(item_id, 0)} left to ship.", field="items"
            )
    if weights is not None and len(weights) != len(split):
        raise errors.InvalidInput(
            f"Give one weight per parcel ({len(split)}).", field="weight_grams"
        )
    whole_order = len(split) == 1 and all(
        dict(split[0]).get(i.id, 0) == i.quantity for i in order_items.values()
    )
    parcel_weights: list[int] = []
    for index, parcel_lines in enumerate(split):
        if weights is not None:
            weight = weights[index]
        elif whole_order and order.weight_grams:
            weight = order.weight_grams
        else:
            unit = [order_items[i].weight_grams for i, _ in parcel_lines]
            if any(u is None for u in unit):
                raise errors.WeightMissing(
                    "An item has no known weight: give the parcel's weight.", field="weight_grams"
                )
            weight = sum((order_items[i].weight_grams or 0) * q for i, q in parcel_lines)
        if not weight:
            raise errors.WeightMissing(
                "The parcel's weight is unknown: give it.", field="weight_grams"
            )
        if weight < method.min_weight_grams or (
            method.max_weight_grams is not None and weight > method.max_weight_grams
        ):
            limit = (
                f"{method.min_weight_grams}–{method.max_weight_grams} g"
                if method.max_weight_grams is not None
                else f"at least {method.min_weight_grams} g"
            )
            raise errors.WeightOutOfRange(
                f"{weight} g is outside {method.name}'s range ({limit}).", field="weight_grams"
            )
        parcel_weights.append(weight)
    if not method.serves(order.recipient_country or ""):
        raise errors.DestinationNotServed(
            f"{method.name} does not ship to {order.recipient_country or 'an unknown country'}.",
            field="method_id",
        )

    now = clock.now()
    parcels = []
    for index, (parcel_lines, weight) in enumerate(
        zip(split, parcel_weights, strict=True), start=1
    ):
        parcel = Parcel.objects.create(
            account=account,
            order=order,
            shipping_method=method,
            carrier_account=method.carrier_account,
            carrier=method.carrier_account.carrier,
            service_code=method.service_code,
            status=S.PENDING,
            status_changed_at=now,
            idempotency_key=f"{base}#{index}",
            request_fingerprint=fingerprint,
            package_index=index,
            package_count=len(split),
            weight_grams=weight,
            sender_address=sender,
            return_address=ret,
        )
        ParcelItem.objects.bulk_create(
            [
                ParcelItem(account=account, parcel=parcel, order_item_id=item_id, quantity=qty)
                for item_id, qty in parcel_lines
            ]
        )
        _event(parcel, S.PENDING, now, ParcelEvent.Source.COLIS, "Parcel created")
        parcels.append(parcel)
    return parcels


def _event(
    parcel: Parcel,
    status: str,
    at: dt.datetime,
    source: str,
    description: str,
    *,
    code: str = "",
    location: str = "",
) -> None:
    fp = hashlib.sha256(
        f"{source}|{status}|{code}|{at.isoformat()}|{description}".encode()
    ).hexdigest()
    ParcelEvent.objects.bulk_create(
        [
            ParcelEvent(
                account_id=parcel.account_id,
                parcel=parcel,
                status=status,
                occurred_at=at,
                source=source,
                code=code[:60],
                description=description[:500],
                location=location[:200],
                fingerprint=fp,
            )
        ],
        ignore_conflicts=True,
    )


# --- parcels: announcement (the carrier call) ----------------------------------------


def _party(address: Address) -> ports.Party:
    return ports.Party(
        name=address.name,
        company=address.company,
        street1=address.street,
        street2=address.street2,
        postal_code=address.postal_code,
        city=address.city,
        country_code=str(address.country),
        phone=address.phone,
        email=address.email,
    )


def _recipient(order: Order) -> ports.Party:
    lines = [line for line in (order.recipient_lines or "").splitlines() if line.strip()]
    return ports.Party(
        name=order.recipient_name or order.buyer_name or "",
        company=order.recipient_company or "",
        street1=lines[0] if lines else "",
        street2=", ".join(lines[1:]),
        postal_code=order.recipient_postal_code,
        city=order.recipient_city,
        country_code=order.recipient_country,
        region=order.recipient_region or "",
        phone=order.recipient_phone or "",
    )


class _Connections:
    """One connection per carrier account within a run (karrio gateways are reused)."""

    def __init__(self) -> None:
        self._cache: dict[int, ports.CarrierConnection] = {}

    def get(self, ca: CarrierAccount) -> ports.CarrierConnection:
        if ca.id not in self._cache:
            connector = ports.carrier_get(ca.carrier)
            self._cache[ca.id] = connector.connect(credentials=_creds(ca), test_mode=ca.test_mode)
        return self._cache[ca.id]


def _shipment_request(parcel: Parcel) -> ports.ShipmentRequest:
    order = parcel.order
    sender = parcel.sender_address
    ret = parcel.return_address or sender
    if sender is None or ret is None:
        raise errors.SenderAddressMissing("The sender address was deleted.")
    lines = tuple(
        ports.ParcelLine(
            sku=pi.order_item.sku,
            quantity=pi.quantity,
            title=pi.order_item.title,
            unit_weight_grams=pi.order_item.weight_grams,
        )
        for pi in parcel.items.select_related("order_item").order_by("id")
    )
    return ports.ShipmentRequest(
        service_code=parcel.service_code,
        sender=_party(sender),
        recipient=_recipient(order),
        return_to=_party(ret),
        package=ports.PackageSpec(
            weight_grams=parcel.weight_grams, items=lines, reference=str(parcel.id)
        ),
        label_format=parcel.carrier_account.label_format,
        order_reference=order.external_id,
        tracking_number=str(parcel.id),
        package_index=parcel.package_index,
        package_count=parcel.package_count,
        ship_date=clock.now().date(),
    )


def _record_error(parcel: Parcel, code: str, message: str) -> None:
    now = clock.now()
    updated = Parcel.objects.filter(id=parcel.id, status__in=list(NO_LABEL)).update(
        status=S.ERROR,
        status_changed_at=now,
        error_code=code[:60],
        error_message=message[:2000],
        claimed_until=None,
    )
    if updated:
        _event(parcel, S.ERROR, now, ParcelEvent.Source.CARRIER, message, code=code)
        _status_changed(parcel, S.ERROR, now)
    parcel.refresh_from_db()


def _claim(parcel_ids: Sequence[int]) -> set[int]:
    """Take the lease on the parcels that have no label and no live lease; returns those."""
    now = clock.now()
    until = now + CLAIM
    Parcel.objects.filter(id__in=parcel_ids, status__in=list(NO_LABEL)).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    ).update(claimed_until=until, attempts=F("attempts") + 1)
    return set(
        Parcel.objects.filter(id__in=parcel_ids, claimed_until=until).values_list("id", flat=True)
    )


def _parcel_announce(parcel: Parcel, connections: _Connections, *, claimed: bool = False) -> Parcel:
    """Ask the carrier for the label of one parcel (pending or error). Safe to call twice.
    `claimed`: the caller already holds the parcel's lease (`_claim`)."""
    if not claimed and parcel.id not in _claim([parcel.id]):
        parcel.refresh_from_db()
        return parcel
    parcel = Parcel.objects.select_related(
        "order", "carrier_account", "sender_address", "return_address"
    ).get(id=parcel.id)
    try:
        request = _shipment_request(parcel)
        result = connections.get(parcel.carrier_account).create_shipment(request)
    except ports.CarrierError as exc:
        _record_error(parcel, exc.code, exc.message)
        return parcel
    except errors.ShippingError as exc:
        _record_error(parcel, exc.code, exc.message)
        return parcel
    except Exception as exc:  # a connector bug must not leave the parcel claimed
        log.exception("parcel %s: carrier call failed", parcel.id)
        _record_error(parcel, "carrier_failure", f"{parcel.carrier_account.name}: {exc}")
        return parcel

    files: list[str] = []
    pdf = result.label("PDF")
    zpl = result.label("ZPL")
    try:
        pdf_path = (
            labels.label_store(account_id=parcel.account_id, data=labels.to_a6(pdf.data), ext="pdf")
            if pdf
            else ""
        )
    except Exception as exc:  # an unreadable PDF from the carrier
        log.exception("parcel %s: label PDF unreadable", parcel.id)
        _record_error(parcel, "label_unreadable", f"The carrier's label cannot be read: {exc}")
        return parcel
    zpl_path = (
        labels.label_store(account_id=parcel.account_id, data=zpl.data, ext="zpl") if zpl else ""
    )
    files = [f for f in (pdf_path, zpl_path) if f]
    done = clock.now()
    try:
        with transaction.atomic():
            updated = Parcel.objects.filter(id=parcel.id, status__in=list(NO_LABEL)).update(
                status=S.READY_TO_SEND,
                status_changed_at=done,
                tracking_number=result.tracking_number[:64],
                shipment_identifier=result.shipment_identifier[:100],
                tracking_url=result.tracking_url[:500],
                label_pdf=pdf_path,
                label_zpl=zpl_path,
                label_created_at=done,
                error_code="",
                error_message="",
                claimed_until=None,
                next_track_at=done
                + (LOCAL_TRACK_EVERY if _clock_driven(parcel.carrier) else TRACK_EVERY),
            )
            if updated:
                _event(
                    parcel,
                    S.READY_TO_SEND,
                    done,
                    ParcelEvent.Source.COLIS,
                    f"Label created ({result.tracking_number})",
                )
                _feedback_owed(parcel.id, "label_created")
                _status_changed(parcel, S.READY_TO_SEND, done)
    except IntegrityError:
        for f in files:
            labels.label_delete(account_id=parcel.account_id, relative=f)
        _record_error(
            parcel,
            "duplicate_tracking_number",
            f"The carrier gave tracking number {result.tracking_number}, already used by another parcel.",
        )
        return parcel
    if not updated:  # cancelled while the carrier was working: void the fresh label
        for f in files:
            labels.label_delete(account_id=parcel.account_id, relative=f)
        try:
            connections.get(parcel.carrier_account).cancel_shipment(
                shipment_identifier=result.shipment_identifier, service_code=parcel.service_code
            )
        except ports.CarrierError:
            log.warning("parcel %s: could not void a label made after cancellation", parcel.id)
    parcel.refresh_from_db()
    return parcel


def _feedback_owed(parcel_id: int, trigger: str) -> None:
    """Tell the feedback outbox a parcel reached a feedback moment (its delivery is sent
    after commit). Never fails the shipping flow: the outbox's sweep catches up."""
    from colis.feedback.services import feedback_owe_for_parcel

    try:
        with transaction.atomic():
            feedback_owe_for_parcel(parcel_id=parcel_id, trigger=trigger)
    except Exception:
        log.exception("parcel %s: feedback not recorded (the sweep will)", parcel_id)


def _status_changed(parcel: Parcel, new: str, at: dt.datetime) -> None:
    """A parcel's status changed (`parcel.status` is still the old one): owe the account's
    webhooks and the buyer's tracking e-mail (both sent after commit). Never fails the
    shipping flow."""
    from colis.notifications.tracking import tracking_email_owed
    from colis.webhooks.services import PARCEL_STATUS_CHANGED, webhook_emit, webhook_subscribed

    try:
        tracking_email_owed(account_id=parcel.account_id, parcel_id=parcel.id, status=str(new))
        if not webhook_subscribed(account_id=parcel.account_id, event=PARCEL_STATUS_CHANGED):
            return
        webhook_emit(
            account_id=parcel.account_id,
            event=PARCEL_STATUS_CHANGED,
            payload={
                "parcel_id": parcel.id,
                "order_id": parcel.order_id,
                "previous_status": str(parcel.status),
                "status": str(new),
                "changed_at": at,
                "carrier": parcel.carrier,
                "tracking_number": Parcel.objects.filter(id=parcel.id)
                .values_list("tracking_number", flat=True)
                .first()
                or "",
            },
        )
    except Exception:
        log.exception("parcel %s: status-change notifications not recorded", parcel.id)


def _clock_driven(carrier: str) -> bool:
    try:
        return bool(ports.carrier_get(carrier).clock_driven)
    except ports.UnknownCarrier:
        return False


def _raise_if_failed(parcels: list[Parcel]) -> None:
    failed = [p for p in parcels if p.status == S.ERROR]
    if failed:
        raise errors.CarrierRefused(
            failed[0].error_message or "The carrier refused the parcel.",
            parcel_ids=[p.id for p in failed],
        )


def parcel_create(
    *,
    account: Account,
    order_id: int,
    method_id: int | None = None,
    weight_grams: int | Sequence[int] | None = None,
    items: ItemsSpec | None = None,
    idempotency_key: str | None = None,
) -> list[Parcel]:
    """Make the parcel(s) of one order and their labels.

    `items`: [[{"order_item_id", "quantity"}, ...], ...], one list per parcel (default:
    one parcel with everything left to ship). `weight_grams`: one weight, or one per
    parcel (default: the order's weight, or the sum of the items' weights). Raises a
    `ShippingError` (nothing made) or `CarrierRefused` (parcels kept in state error
    with the carrier's message; `parcel_retry` or the same request again retries).
    """
    parcels = _parcels_reserve(
        account=account,
        order_id=order_id,
        method_id=method_id,
        weight_grams=weight_grams,
        items=items,
        idempotency_key=idempotency_key,
    )
    connections = _Connections()
    parcels = [_parcel_announce(p, connections) for p in parcels]
    _raise_if_failed(parcels)
    return parcels


@dataclass
class BulkFailure:
    order_id: int
    code: str
    message: str
    field: str | None = None
    parcel_ids: list[int] = dataclasses.field(default_factory=list)


@dataclass
class BulkResult:
    parcels: list[Parcel] = dataclasses.field(default_factory=list)
    failures: list[BulkFailure] = dataclasses.field(default_factory=list)
    batch_id: int | None = None
    pages: int = 0


def parcel_create_bulk(
    *,
    account: Account,
    order_ids: Sequence[int],
    method_id: int | None = None,
    idempotency_key: str | None = None,
) -> BulkResult:
    """One parcel per order (everything left to ship); failures do not stop the others.
    The labels made are merged into one PDF (`LabelBatch`, `selectors.label_batch_get`)."""
    result = BulkResult()
    connections = _Connections()
    wanted = list(dict.fromkeys(order_ids))
    reserved: dict[int, list[Parcel]] = {}
    refused: dict[int, BulkFailure] = {}
    # One transaction, a savepoint per order, the orders locked in id order (no deadlock
    # between two batches): one commit instead of one per order.
    with transaction.atomic():
        for order_id in sorted(wanted):
            try:
                reserved[order_id] = _parcels_reserve(
                    account=account,
                    order_id=order_id,
                    method_id=method_id,
                    weight_grams=None,
                    items=None,
                    idempotency_key=f"{idempotency_key}:{order_id}" if idempotency_key else None,
                )
            except errors.ShippingError as exc:
                refused[order_id] = BulkFailure(order_id, exc.code, exc.message, exc.field)
    queue = [(order_id, p) for order_id in wanted for p in reserved.get(order_id, [])]
    done: dict[int, list[Parcel]] = {}
    for start in range(0, len(queue), BULK_CHUNK):
        chunk = queue[start : start + BULK_CHUNK]
        claimed = _claim([p.id for _, p in chunk])
        # The local carrier does no I/O: its chunk is written in one transaction. A real
        # carrier's label is committed parcel by parcel, as soon as the carrier made it.
        local = all(_clock_driven(p.carrier) for _, p in chunk)
        with transaction.atomic() if local else contextlib.nullcontext():
            for order_id, parcel in chunk:
                if parcel.id in claimed:
                    parcel = _parcel_announce(parcel, connections, claimed=True)
                else:  # another worker holds it (or it is done): report its state
                    parcel.refresh_from_db()
                done.setdefault(order_id, []).append(parcel)
    for order_id in wanted:
        if order_id in refused:
            result.failures.append(refused[order_id])
            continue
        made = done.get(order_id, [])
        failed = [p for p in made if p.status == S.ERROR]
        if failed:
            result.failures.append(
                BulkFailure(
                    order_id,
                    "carrier_error",
                    failed[0].error_message,
                    parcel_ids=[p.id for p in failed],
                )
            )
        result.parcels.extend(p for p in made if p.status != S.ERROR)
    pdfs = []
    for parcel in result.parcels:
        if parcel.label_pdf:
            try:
                pdfs.append(labels.label_read(account_id=account.id, relative=parcel.label_pdf))
            except labels.LabelFileMissing:
                continue
    if pdfs:
        merged, pages = labels.merge(pdfs)
        batch = LabelBatch.objects.create(
            account=account,
            parcel_ids=[p.id for p in result.parcels],
            label_pdf=labels.label_store(account_id=account.id, data=merged, ext="pdf"),
            pages=pages,
        )
        result.batch_id, result.pages = batch.id, pages
    return result


def parcel_retry(
    *,
    account: Account,
    parcel_id: int,
    weight_grams: int | None = None,
) -> Parcel:
    """Ask the carrier again for a parcel in state error (optionally with a new weight)."""
    parcel = selectors.parcel_get(account=account, parcel_id=parcel_id)
    if parcel.status not in NO_LABEL:
        raise errors.ParcelStateConflict("Only a parcel without a label can be retried.")
    if weight_grams is not None:
        _weights_spec(weight_grams)
        method = parcel.shipping_method
        if weight_grams < method.min_weight_grams or (
            method.max_weight_grams is not None and weight_grams > method.max_weight_grams
        ):
            raise errors.WeightOutOfRange(
                f"{weight_grams} g is outside {method.name}'s range.", field="weight_grams"
            )
        Parcel.objects.filter(id=parcel.id, status__in=list(NO_LABEL)).update(
            weight_grams=weight_grams
        )
    parcel = _parcel_announce(parcel, _Connections())
    _raise_if_failed([parcel])
    return parcel


def parcel_cancel(*, account: Account, parcel_id: int) -> Parcel:
    """Cancel a parcel not yet handled by the carrier: the label is voided (at the carrier
    when it offers that) and the items become shippable again."""
    parcel = selectors.parcel_get(account=account, parcel_id=parcel_id)
    if parcel.status == S.CANCELLED:
        return parcel
    if parcel.first_scan_at is not None or parcel.status not in {
        *NO_LABEL,
        S.READY_TO_SEND,
        S.ANNOUNCED,
    }:
        raise errors.ParcelNotCancellable(
            "The carrier already has this parcel: it can no longer be cancelled."
        )
    now = clock.now()
    if parcel.status == S.PENDING and parcel.claimed_until and parcel.claimed_until > now:
        raise errors.ParcelBusy("The label is being made right now; try again in a minute.")
    if parcel.status in {S.READY_TO_SEND, S.ANNOUNCED} and parcel.shipment_identifier:
        connection = _Connections().get(parcel.carrier_account)
        try:
            connection.cancel_shipment(
                shipment_identifier=parcel.shipment_identifier, service_code=parcel.service_code
            )
        except ports.CarrierCancelUnsupported:
            pass  # nothing to call: the label is void once cancelled here
        except ports.CarrierError as exc:
            raise errors.CarrierRefused(exc.message, parcel_ids=[parcel.id]) from None
    with transaction.atomic():
        updated = Parcel.objects.filter(
            id=parcel.id, status=parcel.status, first_scan_at__isnull=True
        ).update(status=S.CANCELLED, status_changed_at=now, cancelled_at=now, claimed_until=None)
        if not updated:
            raise errors.ParcelNotCancellable("The parcel changed meanwhile; look again.")
        _event(parcel, S.CANCELLED, now, ParcelEvent.Source.COLIS, "Parcel cancelled")
        _status_changed(parcel, S.CANCELLED, now)
    parcel.refresh_from_db()
    return parcel


# --- tracking ------------------------------------------------------------------------


def _apply_tracking(parcel: Parcel, result: ports.TrackingResult, *, source: str) -> bool:
    """Record new scans and move the status. True if the status changed."""
    clock_driven = source == ParcelEvent.Source.LOCAL_CLOCK
    for event in result.events:
        _event(
            parcel,
            event.status.value if event.status else "",
            event.occurred_at,
            source,
            event.description,
            code=event.code,
            location=event.location,
        )
    scans = [e.occurred_at for e in result.events if e.status and S(e.status.value) in SCANNED]
    if scans and Parcel.objects.filter(id=parcel.id, first_scan_at__isnull=True).update(
        first_scan_at=min(scans)
    ):
        _feedback_owed(parcel.id, "first_scan")
        # The retention clock for buyer data runs from the shipment (docs/data-protection.md).
        Order.objects.filter(pk=parcel.order_id, shipped_at__isnull=True).update(
            shipped_at=min(scans)
        )
    latest = next((e for e in reversed(result.events) if e.status), None)
    target = result.status or (latest.status if latest else None)
    if target is None:
        return False
    new = S(target.value)
    if new == parcel.status or parcel.status in FINAL:
        return False
    if clock_driven and RANK[new] <= RANK[S(parcel.status)]:
        return False
    at = latest.occurred_at if latest else clock.now()
    changes: dict[str, Any] = {"status": new, "status_changed_at": at}
    if new == S.DELIVERED:
        changes["delivered_at"] = at
    changed = bool(Parcel.objects.filter(id=parcel.id, status=parcel.status).update(**changes))
    if changed:
        _status_changed(parcel, new, at)
        if new == S.DELIVERED:
            _order_delivered_if_complete(parcel.order_id, at)
    return changed


def _order_delivered_if_complete(order_id: int, at: dt.datetime) -> None:
    """An order counts as delivered once none of its live parcels is still on its way."""
    on_the_way = (
        Parcel.objects.filter(order_id=order_id)
        .exclude(status__in=[S.DELIVERED, S.CANCELLED, S.ERROR])
        .exists()
    )
    if not on_the_way:
        Order.objects.filter(pk=order_id, delivered_at__isnull=True).update(delivered_at=at)


def parcel_tracking_poll(
    *, now: dt.datetime | None = None, limit: int = 500, carrier: str | None = None
) -> int:
    """Track the parcels that are due (not final, label made); local ones on their clock.
    Returns how many parcels changed status."""
    now = now or clock.now()
    qs = Parcel.objects.filter(
        status__in=TRACKED, next_track_at__lte=now, label_created_at__isnull=False
    ).select_related("carrier_account")
    if carrier:
        qs = qs.filter(carrier=carrier)
    due = list(qs.order_by("next_track_at")[:limit])
    by_account: dict[int, list[Parcel]] = {}
    for parcel in due:
        by_account.setdefault(parcel.carrier_account_id, []).append(parcel)
    changed = 0
    connections = _Connections()
    for group in by_account.values():
        ca = group[0].carrier_account
        clock_driven = _clock_driven(ca.carrier)
        source = ParcelEvent.Source.LOCAL_CLOCK if clock_driven else ParcelEvent.Source.CARRIER
        every = LOCAL_TRACK_EVERY if clock_driven else TRACK_EVERY
        for start in range(0, len(group), 20):
            chunk = group[start : start + 20]
            queries = [
                ports.TrackingQuery(
                    tracking_number=p.tracking_number, label_created_at=p.label_created_at, now=now
                )
                for p in chunk
            ]
            try:
                results = {r.tracking_number: r for r in connections.get(ca).track(queries)}
            except ports.CarrierError as exc:
                log.warning("tracking %s failed: %s", ca.name, exc.message)
                results = {}
            for parcel in chunk:
                res = results.get(parcel.tracking_number)
                if res is not None and _apply_tracking(parcel, res, source=source):
                    changed += 1
                following = res.next_check_at if res is not None else None
                Parcel.objects.filter(id=parcel.id).update(
                    last_tracked_at=now, next_track_at=following or now + every
                )
    return changed


def parcel_local_step(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """The local carrier's periodic step: parcels advance on its clock."""
    return parcel_tracking_poll(now=now, limit=limit, carrier="local")


def parcel_local_advance(*, account: Account, parcel_id: int, to: str) -> Parcel:
    """Move a local-carrier parcel to a status now (the sandbox's and the demo's control)."""
    parcel = selectors.parcel_get(account=account, parcel_id=parcel_id)
    if not _clock_driven(parcel.carrier):
        raise errors.InvalidInput("Only parcels of the local carrier can be moved by hand.")
    if to not in ADVANCE_TO:
        raise errors.InvalidInput(
            f"Unknown status {to!r}; one of: {', '.join(ADVANCE_TO)}.", field="to"
        )
    if parcel.status in NO_LABEL or parcel.status in FINAL:
        raise errors.ParcelStateConflict(
            f"A parcel that is {parcel.get_status_display().lower()} cannot move."
        )
    now = clock.now()
    status = ports.TrackingStatus(to)
    event = ports.TrackingEvent(
        status=status, occurred_at=now, code=to.upper(), description=f"Set to {to} by control"
    )
    _apply_tracking(
        parcel,
        ports.TrackingResult(
            tracking_number=parcel.tracking_number, events=(event,), status=status
        ),
        source=ParcelEvent.Source.CONTROL,
    )
    parcel.refresh_from_db()
    return parcel


# --- demo ----------------------------------------------------------------------------


def shipping_seed_demo(*, account: Account) -> ShippingMethod:
    """Give an account the local carrier and a default method mapped for Amazon. Idempotent."""
    if not CarrierCode.objects.exists():
        carrier_codes_seed()
    ca = CarrierAccount.objects.filter(account=account, carrier="local").first()
    if ca is None:
        ca = carrier_account_create(
            account=account,
            carrier="local",
            name="colis local",
            credentials={"step_minutes": 60},
            test_mode=True,
        )
    method = ShippingMethod.objects.filter(account=account, carrier_account=ca).first()
    if method is None:
        method = shipping_method_create(
            account=account,
            carrier_account_id=ca.id,
            name="Local standard",
            service_code="colis_local_standard",
            max_weight_grams=31_500,
            amazon_mappings=[
                {
                    "carrier_code": OTHER,
                    "carrier_name": "colis local",
                    "shipping_method_name": "Standard",
                }
            ],
        )
    for integration in Integration.objects.filter(account=account):
        IntegrationShippingDefault.objects.get_or_create(
            account=account, integration=integration, defaults={"method": method}
        )
    return method


def parcel_labels_purge(*, order_ids: Sequence[int]) -> int:
    """Forget the label files of these orders' parcels (and of bulk PDFs holding them).

    A label prints the buyer's name and address: when the privacy purge tombstones an order,
    its labels go too. Rows are cleared in the caller's transaction; the files are deleted
    once it commits, so a rolled-back purge never loses a label it still needed.
    """
    if not order_ids:
        return 0
    parcels = list(
        Parcel.objects.filter(order_id__in=order_ids)
        .exclude(label_pdf="", label_zpl="")
        .values_list("id", "account_id", "label_pdf", "label_zpl")
    )
    files = [(account_id, path) for _, account_id, *paths in parcels for path in paths if path]
    parcel_ids = {row[0] for row in parcels}
    Parcel.objects.filter(id__in=parcel_ids).update(label_pdf="", label_zpl="")
    accounts = {row[1] for row in parcels}
    for batch in LabelBatch.objects.filter(account_id__in=accounts).exclude(label_pdf=""):
        if parcel_ids.intersection(batch.parcel_ids):
            files.append((batch.account_id, batch.label_pdf))
            LabelBatch.objects.filter(pk=batch.pk).update(label_pdf="")

    def delete_files() -> None:
        for account_id, path in files:
            labels.label_delete(account_id=account_id, relative=path)

    transaction.on_commit(delete_files)
    return len(parcel_ids)
