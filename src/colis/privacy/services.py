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
from django.db.models import F

from colis.common import clock
from colis.orders.models import Order
from colis.privacy.archive import (
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
from colis.privacy.selectors import pii_due_filter, retention_days_of

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


def _purge_batch(
    *,
    by_account: dict[int, list[int]],
    due: Any,
    result: PurgeResult,
    written: list[ArchiveFile],
) -> None:
    at = result.now
    account_ids = list(by_account)
    policies = {p.account_id: p for p in RetentionPolicy.objects.filter(account_id__in=account_ids)}
    days_of = retention_days_of(account_ids)
    for account_id, ids in by_account.items():
        policy = policies.get(account_id)
        archived = 0
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
            archived = file.records
            RetentionPolicy.objects.filter(pk=policy.pk).update(
                archive_error="", archive_error_at=None, archive_last_written_at=at
            )
        purged = Order.objects.filter(due, id__in=ids, pii_purged_at__isnull=True).update(
            **TOMBSTONE, pii_purged_at=at
        )
        if not purged:
            continue
        result.purged += purged
        result.archived += archived
        result.per_account[account_id] = result.per_account.get(account_id, 0) + purged
        _audit_add(
            run_id=result.run_id,
            account_id=account_id,
            at=at,
            days=days_of[account_id],
            purged=purged,
            archived=archived,
        )


def _archive_orders(
    *, account_id: int, policy: RetentionPolicy, ids: list[int], now: dt.datetime
) -> ArchiveFile:
    problem = _archive_dir_problem(account_id)
    if problem:
        raise ArchiveNotWritable(problem)
    orders = (
        Order.objects.filter(id__in=ids, account_id=account_id)
        .select_related("integration")
        .prefetch_related("items")
        .order_by("id")
    )
    records = [order_tax_record(order, archived_at=now) for order in orders]
    return archive_write(
        account_id=account_id, public_key=policy.archive_public_key, records=records, now=now
    )


def _audit_add(
    *, run_id: str, account_id: int, at: dt.datetime, days: int, purged: int, archived: int
) -> None:
    files = 1 if archived else 0
    audit, created = PurgeAudit.objects.get_or_create(
        run_id=run_id,
        account_id=account_id,
        defaults={
            "started_at": at,
            "finished_at": clock.now(),
            "retention_days": days,
            "orders_purged": purged,
            "orders_archived": archived,
            "archive_files": files,
        },
    )
    if not created:
        PurgeAudit.objects.filter(pk=audit.pk).update(
            orders_purged=F("orders_purged") + purged,
            orders_archived=F("orders_archived") + archived,
            archive_files=F("archive_files") + files,
            finished_at=clock.now(),
        )


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
