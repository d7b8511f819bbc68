"""Reads of the privacy app: which orders are due for purge, an account's status, audit trails."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, Sum

from colis.common import clock
from colis.orders.models import Order
from colis.privacy.models import MAX_RETENTION_DAYS, PiiAccess, PurgeAudit, RetentionPolicy

# An order is over when it is shipped (completely), delivered, cancelled or unfulfillable.
ENDED_STATUSES = (Order.Status.CANCELLED, Order.Status.UNFULFILLABLE)


def pii_due_after(*, cutoff: dt.datetime) -> Q:
    """Orders whose retention clock started at or before `cutoff`.

    The clock starts at delivery when it is known; otherwise at shipment (Order.shipped_at,
    or, until parcels record it, the marketplace's last update of a shipped order); for a
    cancelled (or unfulfillable) order at its cancellation (cancelled_at, else the
    marketplace's last update). Open orders (pending, unshipped, partially shipped without
    shipped_at) are never due.
    """
    return (
        Q(delivered_at__lte=cutoff)
        | Q(delivered_at__isnull=True, shipped_at__lte=cutoff)
        | Q(
            delivered_at__isnull=True,
            shipped_at__isnull=True,
            status=Order.Status.SHIPPED,
            marketplace_updated_at__lte=cutoff,
        )
        | Q(status__in=ENDED_STATUSES, cancelled_at__lte=cutoff)
        | Q(
            status__in=ENDED_STATUSES, cancelled_at__isnull=True, marketplace_updated_at__lte=cutoff
        )
    )


def retention_windows() -> list[tuple[int, Q]]:
    """(days, which accounts) for every window in use: 30 for accounts without a shorter one."""
    custom = RetentionPolicy.objects.exclude(days=MAX_RETENTION_DAYS)
    windows: list[tuple[int, Q]] = [
        (MAX_RETENTION_DAYS, ~Q(account_id__in=custom.values("account_id")))
    ]
    for days in sorted(set(custom.values_list("days", flat=True))):
        accounts = RetentionPolicy.objects.filter(days=days).values("account_id")
        windows.append((days, Q(account_id__in=accounts)))
    return windows


def pii_due_filter(*, now: dt.datetime) -> Q:
    """Orders whose buyer PII is due for purge at `now` (not yet purged), every account."""
    due = Q()
    for days, accounts in retention_windows():
        due |= accounts & pii_due_after(cutoff=now - dt.timedelta(days=days))
    return Q(pii_purged_at__isnull=True) & due


def retention_days_of(account_ids: list[int]) -> Mapping[int, int]:
    policies = dict(
        RetentionPolicy.objects.filter(account_id__in=account_ids).values_list("account_id", "days")
    )
    return {a: min(policies.get(a, MAX_RETENTION_DAYS), MAX_RETENTION_DAYS) for a in account_ids}


def retention_policy_get(*, account: Any) -> RetentionPolicy:
    """The account's policy, or an unsaved default (30 days, no archive key)."""
    policy = RetentionPolicy.objects.filter(account=account).first()
    return policy or RetentionPolicy(account=account, days=MAX_RETENTION_DAYS)


@dataclass(frozen=True)
class PrivacyStatus:
    retention_days: int
    max_retention_days: int
    archive_enabled: bool
    archive_public_key: str
    archive_key_set_at: dt.datetime | None
    archive_waiting: bool  # the purge of this account waits for a writable archive
    message: str
    archive_error_at: dt.datetime | None
    archive_last_written_at: dt.datetime | None
    last_purge_at: dt.datetime | None
    orders_purged_total: int
    orders_due: int  # due now and not yet purged (waiting, or the next run's)


def archive_state(policy: RetentionPolicy) -> tuple[bool, str]:
    """(whether the purge of the account waits for its archive, a sentence saying why/what)."""
    if policy.archive_public_key and policy.archive_error:
        return True, f"archive not writable: {policy.archive_error}"
    if policy.archive_public_key:
        return False, "tax fields are archived (age-encrypted) before each purge"
    return False, "no archive key: buyer data is purged without an archive"


def privacy_status(*, account: Any, now: dt.datetime | None = None) -> PrivacyStatus:
    """What the panel shows: the window, the archive key and whether the purge waits, and why."""
    policy = retention_policy_get(account=account)
    audits = PurgeAudit.objects.filter(account=account).aggregate(
        last=Max("finished_at"), total=Sum("orders_purged")
    )
    waiting, message = archive_state(policy)
    return PrivacyStatus(
        retention_days=policy.days,
        max_retention_days=MAX_RETENTION_DAYS,
        archive_enabled=bool(policy.archive_public_key),
        archive_public_key=policy.archive_public_key,
        archive_key_set_at=policy.archive_key_set_at,
        archive_waiting=waiting,
        message=message,
        archive_error_at=policy.archive_error_at,
        archive_last_written_at=policy.archive_last_written_at,
        last_purge_at=audits["last"],
        orders_purged_total=int(audits["total"] or 0),
        orders_due=privacy_purge_pending_count(account=account, now=now),
    )


def privacy_purge_pending_count(*, account: Any, now: dt.datetime | None = None) -> int:
    at = now or clock.now()
    return Order.objects.filter(pii_due_filter(now=at), account=account).count()


def purge_audit_list(*, account: Any, limit: int = 100) -> list[PurgeAudit]:
    """The account's purge runs, newest first: counts only."""
    return list(PurgeAudit.objects.filter(account=account).order_by("-started_at", "-id")[:limit])


def pii_access_list(
    *, account: Any, order_id: int | None = None, limit: int = 200
) -> list[PiiAccess]:
    """Who opened which order's buyer data, newest first.

    With `order_id`, an order of another account (or none) raises Order.DoesNotExist: the
    same answer for "not yours" and "does not exist".
    """
    rows = PiiAccess.objects.filter(account=account)
    if order_id is not None:
        if not Order.objects.filter(account=account, id=order_id).exists():
            raise Order.DoesNotExist
        rows = rows.filter(order_id=order_id)
    return list(rows.order_by("-at", "-id")[:limit])
