"""Reads of the shipping app. Every tenant read takes `account=` (CONVENTIONS rule 5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from colis.orders.models import Order, OrderItem
from colis.shipping import labels
from colis.shipping.errors import LabelNotAvailable, NotFound
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

# Statuses whose items are not shippable again (everything but a cancelled parcel).
RESERVING = [s for s in Parcel.Status.values if s != Parcel.Status.CANCELLED]


def carrier_code_list() -> QuerySet[CarrierCode]:
    return CarrierCode.objects.all()


def carrier_account_list(*, account: Any) -> QuerySet[CarrierAccount]:
    return CarrierAccount.objects.filter(account=account)


def carrier_account_get(*, account: Any, carrier_account_id: int) -> CarrierAccount:
    try:
        return CarrierAccount.objects.get(account=account, id=carrier_account_id)
    except CarrierAccount.DoesNotExist:
        raise NotFound("No such carrier account.", field="carrier_account_id") from None


def shipping_method_list(*, account: Any, active: bool | None = None) -> QuerySet[ShippingMethod]:
    qs = (
        ShippingMethod.objects.filter(account=account)
        .select_related("carrier_account")
        .prefetch_related("amazon_mappings")
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def shipping_method_get(*, account: Any, method_id: int) -> ShippingMethod:
    try:
        return shipping_method_list(account=account).get(id=method_id)
    except ShippingMethod.DoesNotExist:
        raise NotFound("No such shipping method.", field="method_id") from None


def shipping_method_default(*, account: Any, integration_id: int) -> ShippingMethod | None:
    row = (
        IntegrationShippingDefault.objects.filter(account=account, integration_id=integration_id)
        .select_related("method", "method__carrier_account")
        .first()
    )
    return row.method if row else None


def order_item_remaining(*, account: Any, order: Order) -> dict[int, int]:
    """Units of each order item still to ship: neither shipped on the marketplace nor in a
    live parcel. A parcel confirmed to the marketplace shows up in both counts, so the
    larger of the two is taken, not their sum."""
    reserved = dict(
        ParcelItem.objects.filter(
            account=account, order_item__order=order, parcel__status__in=RESERVING
        )
        .values_list("order_item_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_item_id", "total")
    )
    remaining = {}
    for item in OrderItem.objects.filter(account=account, order=order):
        used = max(item.quantity_shipped, reserved.get(item.id, 0))
        remaining[item.id] = max(item.quantity - used, 0)
    return remaining


def parcel_list(
    *,
    account: Any,
    status: str | None = None,
    integration_id: int | None = None,
    order_id: int | None = None,
) -> QuerySet[Parcel]:
    qs = Parcel.objects.filter(account=account).select_related("order", "shipping_method")
    if status:
        qs = qs.filter(status__in=[s.strip() for s in status.split(",") if s.strip()])
    if integration_id is not None:
        qs = qs.filter(order__integration_id=integration_id)
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    return qs


def parcel_get(*, account: Any, parcel_id: int) -> Parcel:
    try:
        return (
            Parcel.objects.filter(account=account)
            .select_related("order", "shipping_method", "carrier_account")
            .prefetch_related(
                Prefetch("events", queryset=ParcelEvent.objects.order_by("occurred_at", "id")),
                Prefetch("items", queryset=ParcelItem.objects.select_related("order_item")),
            )
            .get(id=parcel_id)
        )
    except Parcel.DoesNotExist:
        raise NotFound("No such parcel.") from None


def label_get(*, account: Any, parcel_id: int, fmt: str = "pdf") -> bytes:
    """A parcel's label: "pdf" (A6), "zpl", or "a4" (the A6 label on an A4 sheet)."""
    parcel = Parcel.objects.filter(account=account, id=parcel_id).first()
    if parcel is None:
        raise NotFound("No such parcel.")
    if parcel.status == Parcel.Status.CANCELLED:
        raise LabelNotAvailable("This parcel was cancelled: its label is void.")
    path = parcel.label_zpl if fmt == "zpl" else parcel.label_pdf
    if not path:
        if parcel.label_created_at is None:
            raise LabelNotAvailable("This parcel has no label yet.")
        raise LabelNotAvailable(f"The carrier gave no {fmt.upper()} label for this parcel.")
    try:
        data = labels.label_read(account_id=parcel.account_id, relative=path)
    except labels.LabelFileMissing:
        raise LabelNotAvailable("The label file is missing on this server.") from None
    return labels.impose_a4([data]) if fmt == "a4" else data


def label_batch_get(*, account: Any, batch_id: int, fmt: str = "pdf") -> bytes:
    batch = LabelBatch.objects.filter(account=account, id=batch_id).first()
    if batch is None:
        raise NotFound("No such label batch.")
    if not batch.label_pdf:
        raise LabelNotAvailable("No label was created in this batch.")
    data = labels.label_read(account_id=batch.account_id, relative=batch.label_pdf)
    return labels.impose_a4([data]) if fmt == "a4" else data


@dataclass(frozen=True)
class AmazonShipment:
    """What to tell Amazon about a parcel (shipment confirmation), for the feedback outbox."""

    carrier_code: str
    carrier_name: str | None  # required by Amazon when carrier_code is "Other"
    shipping_method: str
    tracking_number: str
    items: list[tuple[str, int]]  # (Amazon order item id, quantity)


def parcel_amazon_shipment(*, account: Any, parcel_id: int) -> AmazonShipment:
    parcel = parcel_get(account=account, parcel_id=parcel_id)
    mappings = {
        m.marketplace_id: m
        for m in AmazonCarrierMapping.objects.filter(
            account=account, shipping_method_id=parcel.shipping_method_id
        )
    }
    mapping = mappings.get(parcel.order.marketplace_id) or mappings.get("")
    if mapping is not None:
        code, name, method = (
            mapping.carrier_code,
            mapping.carrier_name,
            mapping.shipping_method_name or parcel.shipping_method.name,
        )
    else:  # no mapping: "Other" + the carrier's name, always accepted
        code, name, method = "Other", parcel.carrier_account.name, parcel.shipping_method.name
    return AmazonShipment(
        carrier_code=code,
        carrier_name=(name or parcel.carrier_account.name) if code == "Other" else (name or None),
        shipping_method=method,
        tracking_number=parcel.tracking_number,
        items=[(pi.order_item.external_id, pi.quantity) for pi in parcel.items.all()],
    )
