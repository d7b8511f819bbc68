"""Reads the panel's order list needs beyond `colis.orders.selectors.order_list`.

Kept apart from the import pipeline's selectors: one aggregate per page, scoped to the
account like every tenant read (CONVENTIONS rule 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Sum

from colis.orders.models import OrderItem


def order_item_counts(*, account: Any, order_ids: Iterable[int]) -> dict[int, int]:
    """Units ordered per order (the sum of its items' quantities), for one list page."""
    ids = list(order_ids)
    if not ids:
        return {}
    rows = (
        OrderItem.objects.filter(account=account, order_id__in=ids)
        .values("order_id")
        .annotate(units=Sum("quantity"))
        .values_list("order_id", "units")
    )
    return {order_id: int(units or 0) for order_id, units in rows}
