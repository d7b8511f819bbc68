"""Reads for the panel's parcel pages (the list with its feedback state). Scoped to the
account like every tenant read (CONVENTIONS rule 5)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from colis.feedback.models import FeedbackDelivery
from colis.shipping.models import Parcel
from colis.shipping.selectors import parcel_list

NO_FEEDBACK = "none"


def parcel_panel_list(
    *,
    account: Any,
    status: str | None = None,
    integration_id: int | None = None,
    feedback_state: str | None = None,
    order_id: int | None = None,
) -> QuerySet[Parcel]:
    """`parcel_list` plus the feedback filter ("none": no delivery owed) and the order's
    integration for display."""
    qs = parcel_list(
        account=account, status=status, integration_id=integration_id, order_id=order_id
    ).select_related("order__integration", "carrier_account")
    if feedback_state == NO_FEEDBACK:
        qs = qs.filter(
            ~Exists(FeedbackDelivery.objects.filter(account=account, parcel=OuterRef("pk")))
        )
    elif feedback_state:
        qs = qs.filter(
            Exists(
                FeedbackDelivery.objects.filter(
                    account=account, parcel=OuterRef("pk"), state=feedback_state
                )
            )
        )
    return qs


def parcel_feedback_states(*, account: Any, parcel_ids: list[int]) -> dict[int, FeedbackDelivery]:
    """The shipment-confirmation delivery of each parcel that has one."""
    return {
        d.parcel_id: d
        for d in FeedbackDelivery.objects.filter(
            account=account, parcel_id__in=parcel_ids, kind=FeedbackDelivery.Kind.SHIPMENT
        )
    }
