"""Reads of the feedback outbox. Every tenant read takes `account=` (CONVENTIONS rule 5)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from colis.feedback.models import FeedbackAttempt, FeedbackDelivery
from colis.shipping.errors import NotFound
from colis.shipping.models import Parcel


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
