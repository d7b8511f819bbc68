"""Writes of the orders app: the import pipeline, product weights and import scheduling.

The pipeline speaks only the marketplace port (`colis.integrations.ports`): any connector
returned by `connector_for` works. Idempotency comes from the database:

* one import per integration at a time: a lease (`lock_owner`, `locked_until`) taken by a
  conditional UPDATE, renewed with every page, lapsing by itself when a worker dies;
* orders and items are upserted on their unique keys, one page per transaction, together
  with the page checkpoint (`resume_token`, `resume_from`);
* the cursor (`Integration.cursor`) moves only when the whole run is committed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from colis.common import clock
from colis.common.config import env_bool, env_int
from colis.integrations.errors import IntegrationError, IntegrationNotFound, InvalidIntegrationInput
from colis.integrations.models import Integration
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConnectorError,
    InvalidCredentials,
    InvalidRequest,
    MarketplaceConnector,
    OrderData,
    OrderPage,
    OrderStatus,
    ProductWeight,
)
from colis.orders.models import Order, OrderItem, Product
from colis.orders.weights import (
    MAX_GRAMS,
    WEIGHT_MISSING,
    InvalidWeight,
    grams_check,
    grams_from_decimal,
    order_weight,
    unit_weight,
    weight_missing_error,
)

log = logging.getLogger(__name__)

OVERLAP = dt.timedelta(minutes=10)  # re-read this much before the cursor: clock skew, late writes
WEIGHT_RECHECK = dt.timedelta(days=7)  # ask Amazon again for a missing weight after this
REIMPORT_MAX_DAYS = 365
MAX_BACKOFF_MINUTES = 60

OPEN_STATUSES = (Order.Status.PENDING, Order.Status.UNSHIPPED, Order.Status.PARTIALLY_SHIPPED)
BUYER_CANCEL = "buyer_cancel_requested"
CANCELLED_AFTER_IMPORT = "order_cancelled"
MAPPING_ERROR = "mapping_error"
# Error codes the import owns (recomputed on every import); others are kept as they are.
IMPORT_ERROR_CODES = frozenset(
    {WEIGHT_MISSING, BUYER_CANCEL, CANCELLED_AFTER_IMPORT, MAPPING_ERROR}
)

ORDER_UPDATE_FIELDS = [  # on conflict: everything but the keys, on_hold and creation dates
    "marketplace_id",
    "status",
    "marketplace_status",
    "purchased_at",
    "marketplace_updated_at",
    "fulfilled_by_marketplace",
    "is_prime",
    "is_business",
    "buyer_cancel_requested",
    "ship_by",
    "ship_from",
    "deliver_from",
    "deliver_by",
    "ship_service_level",
    "order_total",
    "currency",
    "recipient_country",
    "recipient_postal_code",
    "recipient_city",
    "recipient_name",
    "recipient_company",
    "recipient_lines",
    "recipient_region",
    "recipient_phone",
    "buyer_name",
    "buyer_email",
    "gift_message",
    "weight_grams",
    "has_error",
    "errors",
    "skus",
    "updated_at",
]
PII_FIELDS = (
    "recipient_name",
    "recipient_company",
    "recipient_lines",
    "recipient_region",
    "recipient_phone",
    "buyer_name",
    "buyer_email",
    "gift_message",
)
ITEM_UPDATE_FIELDS = [
    "sku",
    "asin",
    "title",
    "quantity",
    "quantity_shipped",
    "unit_price",
    "buyer_cancel_requested",
    "buyer_cancel_reason",
    "weight_grams",
    "weight_source",
    "updated_at",
]


# --- errors -----------------------------------------------------------------------------


class IntegrationNotActive(IntegrationError):
    """Expired, revoked or disconnected integrations do not import until reconnected."""

    code = "integration_not_active"


class ImportLeaseLost(Exception):
    """Another worker took this integration's lease over (ours had lapsed): stop quietly."""


# --- results ----------------------------------------------------------------------------


@dataclass
class PageStats:
    seen: int = 0
    created: int = 0
    updated: int = 0
    skipped_afn: int = 0
    mapping_errors: list[str] = field(default_factory=list)
    latest_update: dt.datetime | None = None

    @property
    def written(self) -> int:
        return self.created + self.updated


@dataclass
class ImportResult:
    integration_id: int
    status: str  # "ok", "skipped" or "failed"
    reason: str = ""
    pages: int = 0
    created: int = 0
    updated: int = 0
    skipped_afn: int = 0
    mapping_errors: int = 0
    weights_fetched: int = 0
    started_from: dt.datetime | None = None
    cursor: dt.datetime | None = None

    @property
    def orders(self) -> int:
        return self.created + self.updated

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["orders"] = self.orders
        return data


ProgressCallback = Callable[[int], object]


# --- settings ---------------------------------------------------------------------------


def import_lease_seconds() -> int:
    """How long an import lease lasts without renewal (a dead worker's lapses after this)."""
    value = getattr(settings, "COLIS_IMPORT_LEASE_SECONDS", None)
    return int(value) if value else env_int("COLIS_IMPORT_LEASE_SECONDS", 600)


def import_prefetch() -> bool:
    """Whether the import fetches the next page while it stores the current one."""
    value = getattr(settings, "COLIS_IMPORT_PREFETCH", None)
    return bool(value) if value is not None else env_bool("COLIS_IMPORT_PREFETCH", default=True)


def _owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


# --- the lease --------------------------------------------------------------------------


def integration_lease_take(*, integration_id: int, owner: str, now: dt.datetime) -> bool:
    """Take the import lease if it is free or lapsed, and only for an active integration."""
    free = Q(lock_owner="") | Q(locked_until__isnull=True) | Q(locked_until__lt=now)
    taken = Integration.objects.filter(
        free, id=integration_id, state=Integration.State.ACTIVE
    ).update(lock_owner=owner, locked_until=now + dt.timedelta(seconds=import_lease_seconds()))
    return taken == 1


def _lease_renew(*, integration_id: int, owner: str, **fields: Any) -> None:
    until = clock.now() + dt.timedelta(seconds=import_lease_seconds())
    renewed = Integration.objects.filter(id=integration_id, lock_owner=owner).update(
        locked_until=until, **fields
    )
    if renewed != 1:
        raise ImportLeaseLost(f"integration {integration_id}: import lease lost")


def _lease_release(*, integration_id: int, owner: str) -> None:
    Integration.objects.filter(id=integration_id, lock_owner=owner).update(
        lock_owner="", locked_until=None
    )


# --- the import run ---------------------------------------------------------------------


def order_import_run(
    *,
    integration_id: int,
    since: dt.datetime | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import an integration's new and changed orders; safe to run again at any time.

    `since` re-imports from that date (orders already known are updated, never duplicated).
    `progress(n)` is called after each committed page with the number of orders written.
    Marketplace failures are recorded on the integration (plain words) and returned as a
    "failed" result; nothing is raised to the caller for them.
    """
    from colis.integrations.registry import connector_for

    try:
        integration = Integration.objects.get(id=integration_id)
    except Integration.DoesNotExist:
        return ImportResult(integration_id, "skipped", reason="The integration no longer exists.")
    if integration.state != Integration.State.ACTIVE:
        return ImportResult(integration_id, "skipped", reason=_not_active_reason(integration))
    owner = _owner()
    if not integration_lease_take(integration_id=integration_id, owner=owner, now=clock.now()):
        integration.refresh_from_db(fields=["state"])
        if integration.state != Integration.State.ACTIVE:
            reason = _not_active_reason(integration)
        else:
            reason = "Another import of this shop is running."
        return ImportResult(integration_id, "skipped", reason=reason)
    result = ImportResult(integration_id, "failed")
    try:
        connector = connector_for(integration)
        _import_pages(integration, connector, owner, since, progress, result)
        result.status = "ok"
        return result
    except ImportLeaseLost:
        log.warning("integration %s: import lease lost; another worker carries on", integration_id)
        result.reason = "Another worker took this import over."
        return result
    except ConnectorError as exc:
        result.reason = exc.message
        _record_failure(integration=integration, exc=exc, message=exc.message)
        return result
    except Exception as exc:
        log.exception("integration %s: import failed", integration_id)
        message = (
            f"colis could not finish the import (internal error: {type(exc).__name__}); "
            "it will try again. The worker log has the details."
        )
        result.reason = message
        _record_failure(integration=integration, exc=exc, message=message)
        return result
    finally:
        _lease_release(integration_id=integration_id, owner=owner)


class _PageFetch:
    """One page fetched on a daemon thread (a dead run never waits for it to finish)."""

    def __init__(self, connector: MarketplaceConnector, start: dt.datetime, token: str) -> None:
        self._page: OrderPage | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(connector, start, token), name="colis-page-fetch", daemon=True
        )
        self._thread.start()

    def _run(self, connector: MarketplaceConnector, start: dt.datetime, token: str) -> None:
        from django.db import connections

        try:
            self._page = connector.fetch_orders_page(updated_after=start, page_token=token)
        except BaseException as exc:
            self._error = exc
        finally:
            connections.close_all()  # this thread's own connections (rate-limit buckets)

    def result(self) -> OrderPage:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._page is not None
        return self._page


def _not_active_reason(integration: Integration) -> str:
    return f"Not imported: {integration.get_state_display()}. Reconnect the shop to import again."


def _import_pages(
    integration: Integration,
    connector: MarketplaceConnector,
    owner: str,
    since: dt.datetime | None,
    progress: ProgressCallback | None,
    result: ImportResult,
) -> None:
    now = clock.now()
    token: str | None = None
    if since is not None:
        start = since
    elif integration.resume_from is not None:
        # A previous run stopped mid-way: go on from its last committed page.
        start, token = integration.resume_from, integration.resume_token or None
    elif integration.cursor is not None:
        start = integration.cursor - OVERLAP
    else:
        start = now - dt.timedelta(days=integration.first_import_days)
    result.started_from = start
    resumed = token is not None
    checkpoint: dt.datetime | None = None
    latest: dt.datetime | None = None
    mapping_errors: list[str] = []
    # Fetch page k+1 while page k is stored: the rate-limit wait and Amazon's answer overlap
    # the database work. Not inside a caller's transaction (its locks would be held across
    # threads); then pages are fetched one after the other.
    prefetch = import_prefetch() and not transaction.get_connection().in_atomic_block
    ahead: _PageFetch | None = None
    while True:
        try:
            if ahead is not None:
                page = ahead.result()
            else:
                page = connector.fetch_orders_page(updated_after=start, page_token=token)
        except InvalidRequest:
            if not resumed:
                raise
            # The saved page token is no longer accepted (they expire): redo that window.
            log.info("integration %s: saved page token refused; restarting window", integration.id)
            token, resumed, ahead = None, False, None
            continue
        resumed = False
        ahead = None
        if prefetch and page.next_token:
            ahead = _PageFetch(connector, start, page.next_token)
        result.weights_fetched += product_weights_refresh(
            integration=integration, connector=connector, orders=page.orders
        )
        with transaction.atomic():
            stats = order_import_page(integration=integration, orders=page.orders)
            _lease_renew(
                integration_id=integration.id,
                owner=owner,
                resume_token=page.next_token or "",
                resume_from=start,
                imported_orders=F("imported_orders") + stats.created,
            )
        result.pages += 1
        result.created += stats.created
        result.updated += stats.updated
        result.skipped_afn += stats.skipped_afn
        mapping_errors.extend(stats.mapping_errors)
        mapping_errors.extend(_page_mapping_errors(page))
        checkpoint = _later(checkpoint, page.checkpoint)
        latest = _later(latest, stats.latest_update)
        if progress is not None:
            progress(stats.written)
        if not page.next_token:
            break
        token = page.next_token
    result.mapping_errors = len(mapping_errors)
    new_cursor = checkpoint or latest or start
    if integration.cursor is not None and integration.cursor > new_cursor:
        new_cursor = integration.cursor  # a re-import from an earlier date never moves it back
    result.cursor = new_cursor
    last_error = ""
    if mapping_errors:
        last_error = (
            f"{len(mapping_errors)} order(s) could not be read and were left out: "
            f"{mapping_errors[0]}"
        )[:2000]
    with transaction.atomic():
        _lease_renew(
            integration_id=integration.id,
            owner=owner,
            cursor=new_cursor,
            resume_token="",
            resume_from=None,
            last_success_at=clock.now(),
            consecutive_failures=0,
            failing_since=None,
            last_error=last_error,
        )


def _page_mapping_errors(page: OrderPage) -> list[str]:
    """Orders a connector could not map, if it reports them beside the page (optional)."""
    errors = getattr(page, "errors", None) or ()
    out = []
    for err in errors:
        order_id = getattr(err, "order_id", "")
        message = getattr(err, "message", str(err))
        out.append(f"order {order_id}: {message}" if order_id else message)
    return out


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _record_failure(*, integration: Integration, exc: BaseException, message: str) -> None:
    """Health after a failed run: counted, dated from the first failure, never silent."""
    now = clock.now()
    failures = integration.consecutive_failures + 1
    backoff = min(
        integration.import_interval_minutes * 2 ** min(failures - 1, 6), MAX_BACKOFF_MINUTES
    )
    fields: dict[str, Any] = {
        "consecutive_failures": F("consecutive_failures") + 1,
        "failing_since": Coalesce(
            F("failing_since"), Value(now), output_field=models.DateTimeField()
        ),
        "last_error": message[:2000],
        "next_import_at": now + dt.timedelta(minutes=max(backoff, 1)),
    }
    if isinstance(exc, AuthorizationRevoked):
        fields["state"] = Integration.State.REVOKED
    elif isinstance(exc, AuthorizationExpired):
        fields["state"] = Integration.State.EXPIRED
    Integration.objects.filter(id=integration.id).update(**fields)
    log.warning("integration %s: import failed: %s", integration.id, message)


# --- bulk upsert ------------------------------------------------------------------------

MAX_PARAMS = 30_000  # under SQLite's 32,766 host parameters (and PostgreSQL's 65,535)


def _converter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How one column's Python value becomes a driver value (None: as it is)."""
    if getattr(field, "encrypted", False) or isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.DecimalField):
        return lambda value: connection.ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def bulk_upsert(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    unique: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
    keep_if_set: tuple[str, Sequence[str]] | None = None,
) -> list[tuple[Any, ...]]:
    """INSERT … ON CONFLICT (unique) DO UPDATE SET update… [RETURNING …], in few statements.

    The same statement on SQLite (≥ 3.35) and PostgreSQL. Unlike `bulk_create` it prepares
    each column's values with one converter chosen per column (encryption, dates, JSON,
    decimals) instead of Django's per-value field machinery: the import's hot path.
    """
    if not objs:
        return []
    connection = transaction.get_connection()
    qn = connection.ops.quote_name
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    converters = [_converter(f, connection) for f in fields]
    attnames = [f.attname for f in fields]

    def column(name: str) -> str:
        return str(qn(getattr(meta.get_field(name), "column", name)))

    conflict = ", ".join(column(name) for name in unique)
    guard_column, guarded = keep_if_set if keep_if_set else ("", ())
    table = qn(meta.db_table)

    def assignment(name: str) -> str:
        col = column(name)
        if name in guarded:
            # The stored row wins once the guard column is set (e.g. PII already purged):
            # decided by the database at write time, so a purge committing meanwhile holds.
            guard = f"{table}.{column(guard_column)}"
            return f"{col} = CASE WHEN {guard} IS NULL THEN EXCLUDED.{col} ELSE {table}.{col} END"
        return f"{col} = EXCLUDED.{col}"

    assignments = ", ".join(assignment(name) for name in update)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Identifiers come from the model's meta, quoted; every value is a bound parameter.
    head = f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({conflict}) DO UPDATE SET {assignments}"
    if returning:
        tail += " RETURNING " + ", ".join(column(name) for name in returning)
    if connection.vendor == "postgresql":
        return _bulk_upsert_pg(connection, meta, fields, objs, conflict, assignments, tail)
    batch = max(1, MAX_PARAMS // len(fields))
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params: list[Any] = []
            for obj in chunk:
                for attname, convert in zip(attnames, converters, strict=True):
                    value = getattr(obj, attname)
                    params.append(value if convert is None else convert(value))
            cursor.execute(head + ", ".join([placeholder] * len(chunk)) + tail, params)
            if returning:
                out.extend(tuple(row) for row in cursor.fetchall())
    return out


def _json_value(field: Any) -> Callable[[Any], Any] | None:
    """PostgreSQL path: how one column's value goes into the JSON document of rows."""
    if getattr(field, "encrypted", False):
        return field.get_prep_value  # type: ignore[no-any-return]
    if isinstance(field, models.DateTimeField | models.DateField):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    return None


def _bulk_upsert_pg(
    connection: Any,
    meta: Any,
    fields: list[Any],
    objs: Sequence[models.Model],
    conflict: str,
    assignments: str,
    tail: str,
) -> list[tuple[Any, ...]]:
    """PostgreSQL: the rows travel as ONE jsonb parameter (jsonb_populate_recordset), so
    the driver does not parse thousands of placeholders per page."""
    import orjson

    qn = connection.ops.quote_name
    converters = [_json_value(f) for f in fields]
    attnames = [f.attname for f in fields]
    columns = [f.column for f in fields]
    rows = []
    for obj in objs:
        row = {}
        for column, attname, convert in zip(columns, attnames, converters, strict=True):
            value = getattr(obj, attname)
            row[column] = value if convert is None else convert(value)
        rows.append(row)
    names = ", ".join(qn(c) for c in columns)
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({names}) "  # noqa: S608 - quoted identifiers only
        f"SELECT {names} FROM jsonb_populate_recordset(NULL::{qn(meta.db_table)}, %s::jsonb)" + tail
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [orjson.dumps(rows).decode()])
        if " RETURNING " in tail:
            return [tuple(row) for row in cursor.fetchall()]
    return []


# --- one page ---------------------------------------------------------------------------


def _trunc(value: str | None, size: int) -> str:
    return (value or "")[:size]


def _is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def order_import_page(*, integration: Integration, orders: Sequence[OrderData]) -> PageStats:
    """Upsert one page of orders and their items (call it inside a transaction).

    Idempotent on (integration, external_id) and (order, item external_id). AFN orders are
    left out unless the integration imports them (read-only). Weights come from the
    account's products (see `product_weights_refresh`).
    """
    stats = PageStats(seen=len(orders))
    wanted: dict[str, OrderData] = {}
    for data in orders:
        stats.latest_update = _later(stats.latest_update, data.last_updated_at)
        if data.fulfilled_by_marketplace and not integration.import_afn:
            stats.skipped_afn += 1
            continue
        problem = _order_problem(data)
        if problem:
            stats.mapping_errors.append(f"order {data.external_id}: {problem}")
            continue
        wanted[data.external_id] = data  # a repeated order in one page: the last one wins
    if not wanted:
        return stats

    existing: dict[str, dict[str, Any]] = {
        row["external_id"]: dict(row)
        for row in Order.objects.filter(
            integration_id=integration.id, external_id__in=list(wanted)
        ).values("external_id", "status", "errors", "pii_purged_at")
    }
    skus = {item.sku for data in wanted.values() for item in data.items}
    products = _products(integration.account_id, skus)
    now = clock.now()

    rows: list[Order] = []
    item_rows: list[tuple[Order, list[OrderItem]]] = []
    for data in wanted.values():
        before = existing.get(data.external_id)
        order, items = _order_rows(integration, data, products, before, now)
        rows.append(order)
        item_rows.append((order, items))

    ids = dict(
        bulk_upsert(
            Order,
            rows,
            unique=["integration", "external_id"],
            update=ORDER_UPDATE_FIELDS,
            returning=["external_id", "id"],
            keep_if_set=("pii_purged_at", PII_FIELDS),
        )
    )
    all_items: list[OrderItem] = []
    for order, items in item_rows:
        order.pk = ids[order.external_id]
        for item in items:
            item.order_id = order.pk
            all_items.append(item)
    bulk_upsert(OrderItem, all_items, unique=["order", "external_id"], update=ITEM_UPDATE_FIELDS)
    stats.updated = len(existing)
    stats.created = len(wanted) - len(existing)
    if stats.created:
        from colis.webhooks.services import ORDER_IMPORTED, webhook_emit

        webhook_emit(
            account_id=integration.account_id,
            event=ORDER_IMPORTED,
            payload={
                "integration_id": integration.id,
                "orders": [
                    {"id": ids[x], "external_id": x, "marketplace_id": wanted[x].marketplace_id}
                    for x in wanted
                    if x not in existing
                ],
            },
        )
    return stats


def _order_problem(data: OrderData) -> str:
    """Why an order cannot be stored as it came, or "" when it can."""
    if not data.external_id or len(data.external_id) > 64:
        return "the order id is missing or too long"
    if data.purchased_at is None or data.purchased_at.tzinfo is None:
        return "the purchase date is missing or has no time zone"
    if data.last_updated_at is None or data.last_updated_at.tzinfo is None:
        return "the update date is missing or has no time zone"
    if not data.items:
        return "the order has no items"
    for item in data.items:
        if not item.external_id or len(item.external_id) > 64:
            return "an item id is missing or too long"
        if not item.sku or len(item.sku) > 100:
            return f"item {item.external_id}: the SKU is missing or too long"
        if item.quantity < 0 or item.quantity_shipped < 0:
            return f"item {item.external_id}: negative quantity"
    if data.order_total is not None and abs(data.order_total) >= 10**10:
        return "the order total is out of range"
    try:
        OrderStatus(data.status)
    except ValueError:
        return f"unknown status {data.status!r}"
    return ""


@dataclass(frozen=True, slots=True)
class _ProductWeightRow:
    grams: int | None
    source: str


def _products(account_id: int, skus: Iterable[str]) -> dict[str, _ProductWeightRow]:
    skus = list(skus)
    if not skus:
        return {}
    return {
        sku: _ProductWeightRow(grams, source)
        for sku, grams, source in Product.objects.filter(
            account_id=account_id, sku__in=skus
        ).values_list("sku", "weight_grams", "weight_source")
    }


def _import_errors(
    *,
    status: str,
    read_only: bool,
    missing_skus: Sequence[str],
    buyer_cancel: bool,
    cancel_reason: str,
    before: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if before is not None:
        # Keep what other parts of colis recorded; the import's own codes are recomputed.
        errors.extend(
            e
            for e in before.get("errors") or []
            if isinstance(e, dict) and e.get("code") not in IMPORT_ERROR_CODES
        )
    if read_only:
        return errors
    was_flagged = before is not None and any(
        isinstance(e, dict) and e.get("code") == CANCELLED_AFTER_IMPORT
        for e in before.get("errors") or []
    )
    if status == Order.Status.CANCELLED and (
        was_flagged or (before is not None and before.get("status") != Order.Status.CANCELLED)
    ):
        errors.append(
            {
                "code": CANCELLED_AFTER_IMPORT,
                "message": "The order was cancelled on the marketplace after it was imported: do not ship it.",
            }
        )
    if buyer_cancel and status != Order.Status.CANCELLED:
        message = "The buyer asked to cancel this order: do not ship it."
        if cancel_reason:
            message = f"{message} Reason given: {cancel_reason}"
        errors.append({"code": BUYER_CANCEL, "message": message})
    if _is_open(status):
        errors.extend(weight_missing_error(sku) for sku in missing_skus)
    return errors


def _order_rows(
    integration: Integration,
    data: OrderData,
    products: dict[str, _ProductWeightRow],
    before: dict[str, Any] | None,
    now: dt.datetime,
) -> tuple[Order, list[OrderItem]]:
    account_id = integration.account_id
    default = integration.default_weight_grams
    items: list[OrderItem] = []
    weight_rows: list[tuple[str, int, int | None]] = []
    cancel_reason = ""
    for item in data.items:
        known = products.get(item.sku)
        weight = unit_weight(
            product_grams=known.grams if known else None,
            product_source=known.source if known else "",
            default_grams=default,
        )
        weight_rows.append((item.sku, item.quantity, weight.grams if weight else None))
        if item.buyer_cancel_requested and not cancel_reason:
            cancel_reason = item.buyer_cancel_reason
        items.append(
            OrderItem(
                account_id=account_id,
                external_id=item.external_id,
                sku=item.sku,
                asin=_trunc(item.asin, 20),
                title=_trunc(item.title, 500),
                quantity=item.quantity,
                quantity_shipped=item.quantity_shipped,
                unit_price=item.unit_price,
                buyer_cancel_requested=item.buyer_cancel_requested,
                buyer_cancel_reason=_trunc(item.buyer_cancel_reason, 200),
                weight_grams=weight.grams if weight else None,
                weight_source=weight.source if weight else "",
                created_at=now,
                updated_at=now,
            )
        )
    total = order_weight(weight_rows)
    status = str(OrderStatus(data.status))
    read_only = data.fulfilled_by_marketplace
    errors = _import_errors(
        status=status,
        read_only=read_only,
        missing_skus=total.missing_skus,
        buyer_cancel=data.buyer_cancel_requested,
        cancel_reason=cancel_reason,
        before=before,
    )
    recipient = data.recipient
    purged = before is not None and before.get("pii_purged_at") is not None
    lines = (
        "\n".join(x for x in (recipient.line1, recipient.line2, recipient.line3) if x)
        if recipient
        else ""
    )
    order = Order(
        account_id=account_id,
        integration_id=integration.id,
        external_id=data.external_id,
        marketplace_id=_trunc(data.marketplace_id, 20),
        status=status,
        marketplace_status=_trunc(data.marketplace_status, 40),
        purchased_at=data.purchased_at,
        marketplace_updated_at=data.last_updated_at,
        fulfilled_by_marketplace=data.fulfilled_by_marketplace,
        is_prime=data.is_prime,
        is_business=data.is_business,
        on_hold=bool(data.is_prime and integration.hold_prime and not read_only),  # on insert only
        buyer_cancel_requested=data.buyer_cancel_requested,
        ship_by=data.ship_by,
        ship_from=data.ship_from,
        deliver_from=data.deliver_from,
        deliver_by=data.deliver_by,
        ship_service_level=_trunc(data.ship_service_level, 100),
        order_total=data.order_total,
        currency=_trunc(data.currency, 3),
        recipient_country=_trunc(recipient.country_code if recipient else "", 2),
        recipient_postal_code=_trunc(recipient.postal_code if recipient else "", 20),
        recipient_city=_trunc(recipient.city if recipient else "", 100),
        recipient_name="" if purged or not recipient else recipient.name,
        recipient_company="" if purged or not recipient else recipient.company,
        recipient_lines="" if purged else lines,
        recipient_region="" if purged or not recipient else recipient.region,
        recipient_phone="" if purged or not recipient else recipient.phone,
        buyer_name="" if purged else data.buyer_name,
        buyer_email="" if purged else data.buyer_email,
        gift_message="" if purged else data.gift_message,
        weight_grams=total.grams,
        has_error=bool(errors),
        errors=errors,
        skus=" ".join(dict.fromkeys(item.sku for item in data.items)),
        imported_at=now,
        created_at=now,
        updated_at=now,
    )
    return order, items


# --- weights ----------------------------------------------------------------------------


def _needs_weight(product: Product | None, now: dt.datetime) -> bool:
    if product is None:
        return True
    if product.weight_source == Product.Source.MANUAL or product.weight_grams is not None:
        return False
    return product.missing_checked_at is None or now - product.missing_checked_at >= WEIGHT_RECHECK


def product_weights_refresh(
    *, integration: Integration, connector: MarketplaceConnector, orders: Sequence[OrderData]
) -> int:
    """Ask the marketplace for the weights of this page's SKUs colis does not know yet.

    Known weights are cached per account and SKU; a SKU the marketplace has no weight for
    is asked again only after `WEIGHT_RECHECK`. Returns how many weights were learnt.
    Authorization failures propagate (the run fails visibly); other marketplace errors
    leave the weights missing (the orders show it) and the import goes on.
    """
    if not integration.import_weight:
        return 0
    wanted: dict[str, str] = {}
    for data in orders:
        if data.fulfilled_by_marketplace:
            continue
        for item in data.items:
            if item.sku and len(item.sku) <= 100:
                wanted.setdefault(item.sku, item.asin or "")
    if not wanted:
        return 0
    now = clock.now()
    account_id = integration.account_id
    known = {p.sku: p for p in Product.objects.filter(account_id=account_id, sku__in=list(wanted))}
    ask = {sku: asin for sku, asin in wanted.items() if _needs_weight(known.get(sku), now)}
    if not ask:
        return 0
    try:
        found = connector.fetch_weights(skus=ask)
    except (AuthorizationRevoked, AuthorizationExpired, InvalidCredentials):
        raise
    except ConnectorError as exc:
        log.warning("integration %s: weights not fetched: %s", integration.id, exc.message)
        return 0
    return _products_store_weights(account_id=account_id, asked=ask, found=found, now=now)


def _products_store_weights(
    *, account_id: int, asked: dict[str, str], found: dict[str, ProductWeight], now: dt.datetime
) -> int:
    # Create the rows that do not exist yet; never overwrite a manual weight.
    Product.objects.bulk_create(
        [
            Product(account_id=account_id, sku=sku, asin=_trunc(asin, 20))
            for sku, asin in asked.items()
        ],
        ignore_conflicts=True,
    )
    learnt: list[str] = []
    missing: list[str] = []
    for sku in asked:
        weight = found.get(sku)
        grams = grams_from_decimal(weight.grams) if weight is not None else 0
        if weight is None or not 0 < grams <= MAX_GRAMS:
            missing.append(sku)
            continue
        updated = (
            Product.objects.filter(account_id=account_id, sku=sku)
            .exclude(weight_source=Product.Source.MANUAL)
            .update(
                weight_grams=grams,
                weight_source=_trunc(weight.source, 30) or Product.Source.AMAZON_CATALOG,
                weight_fetched_at=now,
                missing_checked_at=None,
                updated_at=now,
            )
        )
        if updated:
            learnt.append(sku)
    if missing:
        Product.objects.filter(
            account_id=account_id, sku__in=missing, weight_grams__isnull=True
        ).update(missing_checked_at=now, updated_at=now)
    if learnt:
        order_weights_recompute(account_id=account_id, skus=learnt)
    return len(learnt)


def order_weights_recompute(*, account_id: int, skus: Iterable[str]) -> int:
    """Recompute the weights and weight errors of the account's open orders with these SKUs."""
    skus = list(skus)
    if not skus:
        return 0
    order_ids = set(
        OrderItem.objects.filter(
            account_id=account_id, sku__in=skus, order__status__in=OPEN_STATUSES
        ).values_list("order_id", flat=True)
    )
    if not order_ids:
        return 0
    with transaction.atomic():
        orders = list(
            Order.objects.filter(account_id=account_id, id__in=order_ids)
            .select_related("integration")
            .prefetch_related("items")
        )
        all_skus = {item.sku for order in orders for item in order.items.all()}
        products = _products(account_id, all_skus)
        changed_items: list[OrderItem] = []
        for order in orders:
            rows = []
            for item in order.items.all():
                known = products.get(item.sku)
                weight = unit_weight(
                    product_grams=known.grams if known else None,
                    product_source=known.source if known else "",
                    default_grams=order.integration.default_weight_grams,
                )
                grams = weight.grams if weight else None
                source = weight.source if weight else ""
                if (item.weight_grams, item.weight_source) != (grams, source):
                    item.weight_grams, item.weight_source = grams, source
                    changed_items.append(item)
                rows.append((item.sku, item.quantity, grams))
            total = order_weight(rows)
            kept = [
                e
                for e in order.errors or []
                if not (isinstance(e, dict) and e.get("code") == WEIGHT_MISSING)
            ]
            if not order.fulfilled_by_marketplace:
                kept.extend(weight_missing_error(sku) for sku in total.missing_skus)
            order.weight_grams = total.grams
            order.errors = kept
            order.has_error = bool(kept)
        OrderItem.objects.bulk_update(changed_items, ["weight_grams", "weight_source"])
        Order.objects.bulk_update(orders, ["weight_grams", "errors", "has_error"])
    return len(orders)


def product_set_weight(*, account: Any, sku: str, grams: int) -> Product:
    """Enter a SKU's weight by hand: remembered for the SKU, ahead of Amazon's and the default.

    Re-computes the weight of the account's open orders with that SKU and clears their
    `weight_missing` error. Raises `InvalidWeight` for 0, negative or over 70 000 g.
    """
    grams = grams_check(grams)
    sku = (sku or "").strip()
    if not sku or len(sku) > 100:
        raise InvalidWeight("The SKU must be 1 to 100 characters.")
    now = clock.now()
    with transaction.atomic():
        Product.objects.bulk_create(
            [
                Product(
                    account=account,
                    sku=sku,
                    weight_grams=grams,
                    weight_source=Product.Source.MANUAL,
                    weight_fetched_at=now,
                    created_at=now,
                    updated_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["account", "sku"],
            update_fields=["weight_grams", "weight_source", "weight_fetched_at", "updated_at"],
        )
        order_weights_recompute(account_id=account.id, skus=[sku])
    return Product.objects.get(account=account, sku=sku)


# --- scheduling -------------------------------------------------------------------------


def _enqueue_import(integration_id: int, since: dt.datetime | None = None) -> None:
    from colis.integrations.tasks import integration_import_task

    transaction.on_commit(
        lambda: integration_import_task(integration_id, since.isoformat() if since else None)
    )


def integration_schedule_due(*, now: dt.datetime | None = None) -> list[int]:
    """Enqueue an import for every active integration whose next import is due.

    Each enqueue is a compare-and-set UPDATE of `next_import_at`: two schedulers running at
    once enqueue each integration once.
    """
    now = now or clock.now()
    due = Integration.objects.filter(
        Q(next_import_at__isnull=True) | Q(next_import_at__lte=now), state=Integration.State.ACTIVE
    ).values_list("id", "next_import_at", "import_interval_minutes")
    enqueued: list[int] = []
    for integration_id, next_at, interval in due:
        same = Q(next_import_at__isnull=True) if next_at is None else Q(next_import_at=next_at)
        claimed = Integration.objects.filter(
            same, id=integration_id, state=Integration.State.ACTIVE
        ).update(next_import_at=now + dt.timedelta(minutes=max(interval, 1)))
        if claimed:
            _enqueue_import(integration_id)
            enqueued.append(integration_id)
    return enqueued


def _integration_for_import(*, account: Any, integration_id: int) -> Integration:
    try:
        integration = Integration.objects.for_account(account).get(id=integration_id)
    except Integration.DoesNotExist:
        raise IntegrationNotFound("No such integration.") from None
    if integration.state != Integration.State.ACTIVE:
        raise IntegrationNotActive(
            f"This shop's authorization is {integration.get_state_display().lower()}: "
            "reconnect it before importing."
        )
    return integration


def integration_sync_now(*, account: Any, integration_id: int) -> Integration:
    """Sync now: enqueue an import of this integration once the transaction commits."""
    integration = _integration_for_import(account=account, integration_id=integration_id)
    now = clock.now()
    Integration.objects.filter(id=integration.id).update(
        next_import_at=now + dt.timedelta(minutes=max(integration.import_interval_minutes, 1))
    )
    _enqueue_import(integration.id)
    return integration


def integration_reimport_from(
    *, account: Any, integration_id: int, since: dt.date | dt.datetime
) -> Integration:
    """Re-import from date: enqueue an import from `since` (known orders are updated)."""
    integration = _integration_for_import(account=account, integration_id=integration_id)
    now = clock.now()
    if isinstance(since, dt.datetime):
        start = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    else:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    if start > now:
        raise InvalidIntegrationInput("The date cannot be in the future.", field="since")
    if start < now - dt.timedelta(days=REIMPORT_MAX_DAYS):
        raise InvalidIntegrationInput(
            f"colis re-imports at most {REIMPORT_MAX_DAYS} days back.", field="since"
        )
    _enqueue_import(integration.id, start)
    return integration


__all__ = [
    "ImportLeaseLost",
    "ImportResult",
    "IntegrationNotActive",
    "InvalidWeight",
    "PageStats",
    "integration_lease_take",
    "integration_reimport_from",
    "integration_schedule_due",
    "integration_sync_now",
    "order_import_page",
    "order_import_run",
    "order_weights_recompute",
    "product_set_weight",
    "product_weights_refresh",
]
