"""Reads of the feedback outbox. Every tenant read takes `account=` (CONVENTIONS rule 5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from colis.feedback.models import FeedbackAttempt, FeedbackDelivery
from colis.shipping.errors import NotFound
from colis.shipping.models import AmazonCarrierMapping, Parcel, ParcelItem
from colis.shipping.selectors import AmazonShipment


def parcel_feedback_list(*, account: Any, parcel_id: int) -> QuerySet[FeedbackDelivery]:
    """A parcel's deliveries with their attempts; "not yours" is the same 404 as missing."""
    if not Parcel.objects.filter(account=account, id=parcel_id).exists():
        raise NotFound("No such parcel.")
    return FeedbackDelivery.objects.filter(account=account, parcel_id=parcel_id).prefetch_related(
        Prefetch("attempt_log", queryset=FeedbackAttempt.objects.order_by("id"))
    )


def feedback_delivery_get(*, account: Any, delivery_id: int) -> FeedbackDelivery:
    delivery = (
        FeedbackDelivery.objects.filter(account=account, id=delivery_id)
        .prefetch_related(Prefetch("attempt_log", queryset=FeedbackAttempt.objects.order_by("id")))
        .first()
    )
    if delivery is None:
        raise NotFound("No such feedback delivery.")
    return delivery


def feedback_attention(*, account: Any) -> QuerySet[FeedbackDelivery]:
    """Deliveries the seller should look at: refused, dropped or waiting for authorization."""
    return FeedbackDelivery.objects.filter(
        account=account,
        state__in=[
            FeedbackDelivery.State.FAILED,
            FeedbackDelivery.State.DROPPED,
            FeedbackDelivery.State.WAITING_AUTHORIZATION,
        ],
    ).select_related("parcel")


@dataclass(frozen=True)
class ParcelShipmentFacts:
    shipment: AmazonShipment
    order_external_id: str
    marketplace_id: str
    status: str
    label_created_at: dt.datetime | None
    first_scan_at: dt.datetime | None


def parcel_shipment_facts(*, parcel_id: int) -> ParcelShipmentFacts:
    """`shipping.selectors.parcel_amazon_shipment`'s answer (the same rules: the method's
    mapping for the order's marketplace, else its any-marketplace mapping, else "Other" +
    the carrier account's name) in three narrow queries: the outbox sends thousands, and
    loading the order decrypts its PII, which a confirmation does not need. A test checks
    both give the same answer. Internal to the outbox (the delivery is already scoped)."""
    p = (
        Parcel.objects.filter(id=parcel_id)
        .values(
            "account_id",
            "status",
            "label_created_at",
            "first_scan_at",
            "tracking_number",
            "shipping_method_id",
            "shipping_method__name",
            "carrier_account__name",
            "order__external_id",
            "order__marketplace_id",
        )
        .get()
    )
    mappings = {
        m.marketplace_id: m
        for m in AmazonCarrierMapping.objects.filter(
            account_id=p["account_id"], shipping_method_id=p["shipping_method_id"]
        )
    }
    mapping = mappings.get(p["order__marketplace_id"]) or mappings.get("")
    carrier = p["carrier_account__name"]
    if mapping is not None:
        code, name = mapping.carrier_code, mapping.carrier_name
        method = mapping.shipping_method_name or p["shipping_method__name"]
    else:
        code, name, method = "Other", carrier, p["shipping_method__name"]
    items = [
        (str(external_id), int(quantity))
        for external_id, quantity in ParcelItem.objects.filter(parcel_id=parcel_id)
        .order_by("id")
        .values_list("order_item__external_id", "quantity")
    ]
    return ParcelShipmentFacts(
        shipment=AmazonShipment(
            carrier_code=code,
            carrier_name=(name or carrier) if code == "Other" else (name or None),
            shipping_method=method,
            tracking_number=p["tracking_number"],
            items=items,
        ),
        order_external_id=p["order__external_id"],
        marketplace_id=p["order__marketplace_id"],
        status=p["status"],
        label_created_at=p["label_created_at"],
        first_scan_at=p["first_scan_at"],
    )
