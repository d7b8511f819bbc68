"""Writes of the privacy app: retention window, archive key, the PII purge, the access trail.

The purge (CONVENTIONS rules 4 and 7): one bounded batch per call, keyset by order id; each
batch is one transaction that (1) picks the due, not yet purged orders (locked, skipping rows
another worker holds, on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers),
(2) appends the tax fields of archiving accounts to an age file, (3) overwrites the PII with a
tombstone through an UPDATE conditional on `pii_purged_at IS NULL` and on the order still being
due, and (4) adds the UPDATE's own row count to the run's audit row. A crash anywhere rolls the
batch back whole; a second scheduler finds those rows already purged and counts nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from colis.common import clock
from colis.orders.models import Order, OrderItem
from colis.privacy.archive import (
    ITEM_FIELDS,
    ORDER_FIELDS,
    ArchiveFile,
    ArchiveNotWritable,
    InvalidArchiveKey,
    account_archive_dir,
    archive_discard,
    archive_write,
    order_tax_record,
    recipient_parse,
)
from colis.privacy.models import MAX_RETENTION_DAYS, PiiAccess, PurgeAudit, RetentionPolicy
from colis.privacy.selectors import pii_due_filter
from colis.shipping.services import parcel_labels_purge

log = logging.getLogger(__name__)

PURGED = "[purged]"
# What buyer PII becomes. Country, postal code and city stay (plain, for statistics and VAT).
TOMBSTONE: dict[str, str] = {
    "recipient_name": PURGED,
    "recipient_company": "",
    "recipient_lines": "",
    "recipient_region": "",
    "recipient_phone": "",
    "buyer_name": PURGED,
    "buyer_email": "",
    "gift_message": "",
}
PII_FIELDS = tuple(TOMBSTONE)


# --- retention window and archive key ----------------------------------------------------


def _policy_for_update(account: Any) -> RetentionPolicy:
    policy, _ = RetentionPolicy.objects.select_for_update().get_or_create(account=account)
    return policy


def retention_policy_set(*, account: Any, days: int) -> RetentionPolicy:
    """A shorter retention window for the account; never longer than 30 days."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ValidationError(
            {"days": ValidationError("Enter a whole number of days.", code="invalid")}
        )
    if days > MAX_RETENTION_DAYS:
        raise ValidationError(
            {
                "days": ValidationError(
                    f"At most {MAX_RETENTION_DAYS} days: Amazon's Data Protection Policy allows "
                    "no longer retention after delivery.",
                    code="max_retention",
                )
            }
        )
    if days < 0:
        raise ValidationError(
            {"days": ValidationError("Days cannot be negative.", code="min_value")}
        )
    with transaction.atomic():
        policy = _policy_for_update(account)
        policy.days = days
        policy.save(update_fields=["days", "updated_at"])
    return policy


def archive_key_set(*, account: Any, public_key: str) -> RetentionPolicy:
    """Register the account's age public key (age1…): tax fields are archived before a purge.

    An invalid key, or a private key, is refused with a field error on `public_key`. The
    archive folder is tried at once, so an unwritable one shows before the first purge.
    """
    key = (public_key or "").strip()
    try:
        recipient_parse(key)
    except InvalidArchiveKey as exc:
        raise ValidationError(
            {"public_key": ValidationError(str(exc), code="invalid_age_key")}
        ) from exc
    now = clock.now()
    with transaction.atomic():
        policy = _policy_for_update(account)
        policy.archive_public_key = key
        policy.archive_key_set_at = now
        policy.archive_error, policy.archive_error_at = _archive_dir_problem(account.pk), None
        if policy.archive_error:
            policy.archive_error_at = now
        policy.save(
            update_fields=[
                "archive_public_key",
                "archive_key_set_at",
                "archive_error",
                "archive_error_at",
                "updated_at",
            ]
        )
    return policy


def archive_key_delete(*, account: Any) -> None:
    """Stop archiving: later purges erase the buyer data without keeping tax fields."""
    RetentionPolicy.objects.filter(account=account).update(
        archive_public_key="", archive_key_set_at=None, archive_error="", archive_error_at=None
    )


def _archive_dir_problem(account_id: int) -> str:
    folder = account_archive_dir(account_id)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        return f"{exc.strerror or exc.__class__.__name__} ({exc.filename or folder})"
    return ""


# --- the purge ------------------------------------------------------------------------


@dataclass
class PurgeResult:
    run_id: str
    now: dt.datetime
    purged: int = 0
    archived: int = 0
    batches: int = 0
    last_id: int = 0
    done: bool = False
    per_account: dict[int, int] = field(default_factory=dict)  # account id -> orders purged
    waiting: dict[int, str] = field(default_factory=dict)  # account id -> why it waits

    def add(self, other: PurgeResult) -> None:
        self.purged += other.purged
        self.archived += other.archived
        self.batches += other.batches
        self.last_id = other.last_id
        self.done = other.done
        for account_id, count in other.per_account.items():
            self.per_account[account_id] = self.per_account.get(account_id, 0) + count
        self.waiting.update(other.waiting)


def privacy_purge_due(
    *,
    now: dt.datetime | None = None,
    batch_size: int = 1000,
    after_id: int = 0,
    run_id: str | None = None,
) -> PurgeResult:
    """Purge ONE bounded batch of due orders after `after_id`; `done` when none is left.

    The caller (privacy_purge_task) re-enqueues with `after_id=result.last_id` and the same
    `run_id` until `done`. Idempotent: purged rows are never touched or counted again.
    """
    at = now or clock.now()
    result = PurgeResult(run_id=run_id or uuid.uuid4().hex, now=at, last_id=after_id)
    due = pii_due_filter(now=at)
    written: list[ArchiveFile] = []
    try:
        with transaction.atomic():
            candidates = Order.objects.filter(due, id__gt=after_id).order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                candidates = candidates.select_for_update(skip_locked=True)
            rows = list(candidates.values_list("id", "account_id")[:batch_size])
            result.batches = 1
            if len(rows) < batch_size:
                result.done = True
            if not rows:
                return result
            result.last_id = rows[-1][0]
            by_account: dict[int, list[int]] = defaultdict(list)
            for order_id, account_id in rows:
                by_account[account_id].append(order_id)
            _purge_batch(by_account=by_account, due=due, result=result, written=written)
    except BaseException:
        for file in written:
            archive_discard(file)
        raise
    if result.purged or result.waiting:
        log.info(
            "privacy purge %s: %s orders purged (%s archived) in %s accounts; %s accounts waiting",
            result.run_id,
            result.purged,
            result.archived,
            len(result.per_account),
            len(result.waiting),
        )
    return result


class _CountMismatch(Exception):
    """The one-statement UPDATE touched fewer rows than picked: count account by account."""


def _purge_batch(
    *,
    by_account: dict[int, list[int]],
    due: Any,
    result: PurgeResult,
    written: list[ArchiveFile],
) -> None:
    at = result.now
    policies = {p.account_id: p for p in RetentionPolicy.objects.filter(account_id__in=by_account)}
    ready: dict[int, list[int]] = {}
    archived: dict[int, int] = {}
    for account_id, ids in by_account.items():
        policy = policies.get(account_id)
        if policy is not None and policy.archive_public_key:
            try:
                file = _archive_orders(account_id=account_id, policy=policy, ids=ids, now=at)
            except ArchiveNotWritable as exc:
                # This account's rows stay untouched; the others go on.
                reason = str(exc)
                result.waiting[account_id] = f"archive not writable: {reason}"
                RetentionPolicy.objects.filter(pk=policy.pk).update(
                    archive_error=reason, archive_error_at=at
                )
                log.warning("privacy purge: account %s waits: archive not writable", account_id)
                continue
            written.append(file)
            archived[account_id] = file.records
            RetentionPolicy.objects.filter(pk=policy.pk).update(
                archive_error="", archive_error_at=None, archive_last_written_at=at
            )
        ready[account_id] = ids
    if not ready:
        return
    counts = _tombstone(ready=ready, due=due, at=at)
    # Labels print the buyer's name and address: they go with the order's PII.
    parcel_labels_purge(order_ids=[order_id for ids in ready.values() for order_id in ids])
    rows = []
    for account_id, purged in counts.items():
        if not purged:
            continue
        policy = policies.get(account_id)
        days = min(policy.days, MAX_RETENTION_DAYS) if policy else MAX_RETENTION_DAYS
        rows.append((account_id, days, purged, archived.get(account_id, 0)))
        result.purged += purged
        result.archived += archived.get(account_id, 0)
        result.per_account[account_id] = result.per_account.get(account_id, 0) + purged
    _audit_add(run_id=result.run_id, at=at, rows=rows)


def _tombstone(*, ready: dict[int, list[int]], due: Any, at: dt.datetime) -> dict[int, int]:
    """Overwrite the PII of the picked rows that are still due and not yet purged.

    One UPDATE for the whole batch; its row count is checked against the rows picked. Under
    the batch's lock (SKIP LOCKED on PostgreSQL, SQLite's single writer) they always match;
    if they ever do not, the statement is undone and each account is counted by its own
    UPDATE, so the audit never counts a row another run purged.
    """
    values = {**TOMBSTONE, "pii_purged_at": at}
    ids = [order_id for account_ids in ready.values() for order_id in account_ids]
    try:
        with transaction.atomic():
            purged = Order.objects.filter(due, id__in=ids, pii_purged_at__isnull=True).update(
                **values
            )
            if purged != len(ids):
                raise _CountMismatch
        return {account_id: len(account_ids) for account_id, account_ids in ready.items()}
    except _CountMismatch:
        pass
    return {
        account_id: Order.objects.filter(
            due, id__in=account_ids, pii_purged_at__isnull=True
        ).update(**values)
        for account_id, account_ids in ready.items()
    }


def _archive_orders(
    *, account_id: int, policy: RetentionPolicy, ids: list[int], now: dt.datetime
) -> ArchiveFile:
    problem = _archive_dir_problem(account_id)
    if problem:
        raise ArchiveNotWritable(problem)
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in (
        OrderItem.objects.filter(order_id__in=ids).order_by("order_id", "id").values(*ITEM_FIELDS)
    ):
        items[item["order_id"]].append(item)
    orders = (
        Order.objects.filter(id__in=ids, account_id=account_id).order_by("id").values(*ORDER_FIELDS)
    )
    records = [order_tax_record(o, items[o["id"]], archived_at=now) for o in orders]
    return archive_write(
        account_id=account_id, public_key=policy.archive_public_key, records=records, now=now
    )


def _audit_add(*, run_id: str, at: dt.datetime, rows: list[tuple[int, int, int, int]]) -> None:
    """Add (account id, window days, purged, archived) to the run's audit rows: one upsert.

    In the batch's transaction, so the counts are exactly the rows this batch purged.
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(PurgeAudit._meta.db_table)
    started = ops.adapt_datetimefield_value(at)
    finished = ops.adapt_datetimefield_value(clock.now())
    values: list[Any] = []
    for account_id, days, purged, archived in rows:
        files = 1 if archived else 0
        values += [account_id, run_id, started, finished, days, purged, archived, files]
        values += [finished, finished]
    marks = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    sql = (
        f"INSERT INTO {table} (account_id, run_id, started_at, finished_at, retention_days, "  # noqa: S608 - quoted names
        "orders_purged, orders_archived, archive_files, created_at, updated_at) "
        f"VALUES {marks} ON CONFLICT (run_id, account_id) DO UPDATE SET "
        f"orders_purged = {table}.orders_purged + excluded.orders_purged, "
        f"orders_archived = {table}.orders_archived + excluded.orders_archived, "
        f"archive_files = {table}.archive_files + excluded.archive_files, "
        "finished_at = excluded.finished_at, updated_at = excluded.updated_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def privacy_purge_all(*, now: dt.datetime | None = None, batch_size: int = 1000) -> PurgeResult:
    """Every due batch in this process, one transaction each (command line, tests, bench)."""
    at = now or clock.now()
    total = PurgeResult(run_id=uuid.uuid4().hex, now=at)
    while True:
        step = privacy_purge_due(
            now=at, batch_size=batch_size, after_id=total.last_id, run_id=total.run_id
        )
        total.add(step)
        if step.done:
            return total


# --- PII access trail -------------------------------------------------------------------


def pii_access_record(
    *, account: Any, user: Any, order_id: int, channel: str, order_external_id: str = ""
) -> PiiAccess:
    """Note that `user` opened order `order_id`'s buyer data through `channel` ("panel"|"api").

    Who, when and which order; never the data itself.
    """
    if channel not in PiiAccess.Channel.values:
        raise ValueError(f"unknown channel {channel!r} (panel or api)")
    return PiiAccess.objects.create(
        account=account,
        user=user,
        user_email=getattr(user, "email", "") or "",
        order_id=order_id,
        order_external_id=order_external_id,
        channel=channel,
        at=clock.now(),
    )
