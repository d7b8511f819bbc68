"""Reads of the orders app, always scoped to one account (CONVENTIONS rule 5).

`order_list` pages with a keyset on (purchased_at, id), newest first: stable under
inserts, no OFFSET scans. PII is decrypted only by `order_get` (one order's detail).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from colis.common import clock
from colis.integrations.models import Integration
from colis.orders.models import Order, Product

MAX_LIMIT = 200

# Columns the list needs; the encrypted PII columns stay out of list queries.
LIST_FIELDS = (
    "id",
    "account_id",
    "integration_id",
    "external_id",
    "marketplace_id",
    "status",
    "marketplace_status",
    "purchased_at",
    "marketplace_updated_at",
    "fulfilled_by_marketplace",
    "is_prime",
    "is_business",
    "on_hold",
    "buyer_cancel_requested",
    "ship_by",
    "ship_service_level",
    "order_total",
    "currency",
    "recipient_country",
    "recipient_postal_code",
    "recipient_city",
    "weight_grams",
    "has_error",
    "errors",
    "skus",
    "imported_at",
)


class InvalidCursor(ValueError):
    code = "invalid_cursor"

    def __init__(self) -> None:
        super().__init__("The page cursor is not valid; start again from the first page.")
        self.message = str(self)


@dataclass(frozen=True)
class OrderListPage:
    orders: list[Order]
    next: str | None  # pass as `after` for the next page; None on the last page


def cursor_encode(order: Order) -> str:
    raw = f"{order.purchased_at.isoformat()}|{order.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(value: str) -> tuple[dt.datetime, int]:
    try:
        padded = value + "=" * (-len(value) % 4)
        when, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition("|")
        moment = dt.datetime.fromisoformat(when)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc


def _today_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    from django.utils import timezone

    local = timezone.localtime(now)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def order_queryset(
    *,
    account: Any,
    integration_id: int | None = None,
    status: str | None = None,
    has_error: bool | None = None,
    ship_by: str | None = None,
    prime: bool | None = None,
    q: str | None = None,
) -> QuerySet[Order]:
    """The account's orders with the panel's and the API's filters applied (no ordering)."""
    qs: QuerySet[Order] = Order.objects.filter(account=account)
    if integration_id is not None:
        qs = qs.filter(integration_id=integration_id)
    if status:
        qs = qs.filter(status=status)
    if has_error is not None:
        qs = qs.filter(has_error=has_error)
    if prime is not None:
        qs = qs.filter(is_prime=prime)
    if ship_by:
        now = clock.now()
        open_statuses = ("pending", "unshipped", "partially_shipped")
        if ship_by == "today":
            start, end = _today_bounds(now)
            qs = qs.filter(ship_by__gte=start, ship_by__lt=end, status__in=open_statuses)
        elif ship_by == "overdue":
            qs = qs.filter(ship_by__lt=now, status__in=open_statuses)
        else:
            raise ValueError("ship_by must be 'today' or 'overdue'")
    if q:
        term = q.strip()[:100]
        if term:
            qs = qs.filter(Q(external_id=term) | Q(items__sku=term)).distinct()
    return qs


def order_list(
    *,
    account: Any,
    integration_id: int | None = None,
    status: str | None = None,
    has_error: bool | None = None,
    ship_by: str | None = None,
    prime: bool | None = None,
    q: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> OrderListPage:
    """One page of the account's orders, newest purchase first, with a `next` cursor."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    qs = order_queryset(
        account=account,
        integration_id=integration_id,
        status=status,
        has_error=has_error,
        ship_by=ship_by,
        prime=prime,
        q=q,
    )
    if after:
        when, pk = cursor_decode(after)
        qs = qs.filter(Q(purchased_at__lt=when) | Q(purchased_at=when, id__lt=pk))
    rows = list(qs.only(*LIST_FIELDS).order_by("-purchased_at", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return OrderListPage(rows, cursor_encode(rows[-1]) if more and rows else None)


def order_get(*, account: Any, order_id: int) -> Order:
    """One order of the account with its items (raises Order.DoesNotExist otherwise)."""
    return (
        Order.objects.filter(account=account)
        .select_related("integration")
        .prefetch_related("items")
        .get(id=order_id)
    )


def product_get(*, account: Any, sku: str) -> Product:
    return Product.objects.get(account=account, sku=sku)


@dataclass(frozen=True)
class IntegrationHealth:
    integration_id: int
    name: str
    state: str
    healthy: bool
    importing: bool
    last_success_at: dt.datetime | None
    failing_since: dt.datetime | None
    consecutive_failures: int
    last_error: str
    next_import_at: dt.datetime | None
    cursor: dt.datetime | None
    imported_orders: int
    orders_with_errors: int


def integration_health(*, account: Any, integration_id: int) -> IntegrationHealth:
    """An integration's import health in plain terms (raises Integration.DoesNotExist)."""
    integration = Integration.objects.for_account(account).get(id=integration_id)
    now = clock.now()
    importing = bool(
        integration.lock_owner and integration.locked_until and integration.locked_until > now
    )
    errors = Order.objects.filter(
        account=account, integration_id=integration.id, has_error=True
    ).count()
    return IntegrationHealth(
        integration_id=integration.id,
        name=integration.name,
        state=integration.state,
        healthy=integration.state == Integration.State.ACTIVE
        and integration.consecutive_failures == 0,
        importing=importing,
        last_success_at=integration.last_success_at,
        failing_since=integration.failing_since,
        consecutive_failures=integration.consecutive_failures,
        last_error=integration.last_error,
        next_import_at=integration.next_import_at,
        cursor=integration.cursor,
        imported_orders=integration.imported_orders,
        orders_with_errors=errors,
    )
