"""The buyer-PII purge: when rows are due, what it leaves, idempotence, crashes, clock jumps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from huey.contrib.djhuey import HUEY

from colis.orders.models import Order
from colis.privacy import services, tasks
from colis.privacy.archive import archive_files, archive_records
from colis.privacy.models import PurgeAudit, RetentionPolicy
from colis.privacy.services import (
    PURGED,
    TOMBSTONE,
    archive_key_set,
    privacy_purge_all,
    privacy_purge_due,
    retention_policy_set,
)
from tests.privacy.conftest import DAY, PII, T0, delivered, make_order, pii_of
from tests.test_db_dump import dump_database

pytestmark = pytest.mark.django_db


def audit_total(account: Any = None) -> int:
    rows = (
        PurgeAudit.objects.all() if account is None else PurgeAudit.objects.filter(account=account)
    )
    return sum(rows.values_list("orders_purged", flat=True))


def assert_purged(order: Order, at: dt.datetime | None = None) -> None:
    assert pii_of(order) == TOMBSTONE
    assert order.pii_purged_at is not None
    if at is not None:
        assert order.pii_purged_at == at
    # What stays: the order itself, its plain location fields and items.
    assert order.recipient_country == "SE" and order.recipient_city == "Stockholm"
    assert order.items.count() == 1


def assert_intact(order: Order) -> None:
    assert pii_of(order) == PII
    assert order.pii_purged_at is None


@pytest.mark.django_db(transaction=True)
def test_pii_gone_from_a_raw_dump_and_back_from_the_archive(
    account: Any, fake_clock: Any, archive_dir: Any, identity: Any
) -> None:
    # transaction=True: committed rows, so pg_dump (another connection) sees them.
    archive_key_set(account=account, public_key=str(identity.to_public()))
    due = [make_order(account, **delivered(31)) for _ in range(3)]
    kept = make_order(account, **delivered(5))

    result = privacy_purge_all(batch_size=2)

    assert result.purged == 3 and result.archived == 3
    dump = dump_database()
    for order in due:
        assert order.external_id in dump, "the order row itself stays"
        assert_purged(order, at=T0)
    assert_intact(kept)
    # The buyer data of the purged orders is nowhere in the dump, in any form; the kept
    # order's is only ciphertext (encrypted at rest), so it is not there either.
    for value in (*PII.values(), "Kungsgatan 47", "Lägenhet 1102", "q7zz3k9v"):
        assert value not in dump, f"{value!r} found in the raw database dump"

    # The archive holds the tax fields; only the private key opens it.
    files = archive_files(archive_dir / str(account.pk))
    assert len(files) == 2  # one file per batch (2 + 1)
    records = list(archive_records(files, [identity]))
    assert sorted(r["external_id"] for r in records) == sorted(o.external_id for o in due)
    record = records[0]
    assert record["buyer_name"] == PII["buyer_name"]
    assert record["recipient"]["lines"] == ["Kungsgatan 47", "Lägenhet 1102"]
    assert record["recipient"]["name"] == PII["recipient_name"]
    assert record["vat_country"] == "SE" and record["order_total"] == "49.90"
    assert record["items"][0]["sku"] == "MUG-BLUE" and record["items"][0]["unit_price"] == "24.95"
    assert "buyer_email" not in record and "gift_message" not in record  # minimal
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"age-encryption.org/v1")
        assert b"Lindqvist" not in raw and b"Kungsgatan" not in raw


def test_which_orders_are_due(account: Any, fake_clock: Any) -> None:
    shipped_old: dict[str, Any] = {"status": Order.Status.SHIPPED, "marketplace_status": "Shipped"}
    cases = {
        "delivered 31 days ago": (make_order(account, **delivered(31)), True),
        "delivered exactly 30 days ago": (make_order(account, **delivered(30)), True),
        "delivered 29 days ago": (make_order(account, **delivered(29)), False),
        # Delivery known: it rules, even when shipment was long ago.
        "shipped 45 days ago, delivered 10 days ago": (
            make_order(account, **{**delivered(10), "shipped_at": T0 - 45 * DAY}),
            False,
        ),
        "shipped 31 days ago, no delivery known": (
            make_order(account, **shipped_old, shipped_at=T0 - 31 * DAY),
            True,
        ),
        "shipped 20 days ago, no delivery known": (
            make_order(account, **shipped_old, shipped_at=T0 - 20 * DAY),
            False,
        ),
        "marketplace says shipped 31 days ago": (
            make_order(account, **shipped_old, marketplace_updated_at=T0 - 31 * DAY),
            True,
        ),
        "marketplace says shipped 3 days ago": (
            make_order(account, **shipped_old, marketplace_updated_at=T0 - 3 * DAY),
            False,
        ),
        "cancelled 31 days ago": (
            make_order(account, status=Order.Status.CANCELLED, cancelled_at=T0 - 31 * DAY),
            True,
        ),
        "cancelled 12 days ago (updated long ago)": (
            make_order(
                account,
                status=Order.Status.CANCELLED,
                cancelled_at=T0 - 12 * DAY,
                marketplace_updated_at=T0 - 90 * DAY,
            ),
            False,
        ),
        "cancelled, no date, updated 40 days ago": (
            make_order(
                account, status=Order.Status.CANCELLED, marketplace_updated_at=T0 - 40 * DAY
            ),
            True,
        ),
        "unshipped, bought 60 days ago": (make_order(account), False),
        "partially shipped 60 days ago": (
            make_order(account, status=Order.Status.PARTIALLY_SHIPPED),
            False,
        ),
        "pending": (make_order(account, status=Order.Status.PENDING), False),
    }
    result = privacy_purge_all()
    for name, (order, due) in cases.items():
        order.refresh_from_db()
        assert (order.pii_purged_at is not None) is due, name
        if due:
            assert_purged(order, at=T0)
        else:
            assert_intact(order)
    assert result.purged == sum(1 for _o, due in cases.values() if due)


def test_a_shorter_window_per_account(account: Any, other_account: Any, fake_clock: Any) -> None:
    retention_policy_set(account=account, days=7)
    mine = make_order(account, **delivered(8))
    mine_recent = make_order(account, **delivered(6))
    theirs = make_order(other_account, **delivered(8))

    result = privacy_purge_all()

    assert result.per_account == {account.pk: 1}
    assert_purged(mine)
    assert_intact(mine_recent)
    assert_intact(theirs)  # 30 days for them
    assert PurgeAudit.objects.get(account=account).retention_days == 7


def test_never_longer_than_30_days(account: Any) -> None:
    with pytest.raises(ValidationError) as info:
        retention_policy_set(account=account, days=31)
    assert "days" in info.value.error_dict
    assert info.value.error_dict["days"][0].code == "max_retention"
    with pytest.raises(ValidationError):
        retention_policy_set(account=account, days=-1)
    # Whatever writes the row, the database refuses a longer window.
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.create(account=account, days=45)
    assert retention_policy_set(account=account, days=30).days == 30


def test_clock_jumps_never_purge_early_nor_count_twice(account: Any, fake_clock: Any) -> None:
    order = make_order(account, **delivered(29))  # due at T0 + 1 day

    assert privacy_purge_all().purged == 0
    fake_clock.jump(-365 * DAY)  # the clock goes back a year
    assert privacy_purge_all().purged == 0
    fake_clock.set(T0 + dt.timedelta(hours=23))  # an hour short
    assert privacy_purge_all().purged == 0
    assert_intact(order)

    fake_clock.set(T0 + DAY)
    assert privacy_purge_all().purged == 1
    purged_at = pii_of(order) and order.pii_purged_at

    fake_clock.jump(-10 * DAY)  # back again, then forward: nothing more happens
    assert privacy_purge_all().purged == 0
    fake_clock.jump(400 * DAY)
    assert privacy_purge_all().purged == 0
    order.refresh_from_db()
    assert order.pii_purged_at == purged_at == T0 + DAY
    assert audit_total() == 1


def test_task_chain_uses_no_later_time_than_its_start(
    account: Any, fake_clock: Any, monkeypatch: Any
) -> None:
    """A continuation enqueued at T runs after the clock jumped ahead: it still purges as of T."""
    make_order(account, **delivered(31))
    early = make_order(account, **delivered(29))  # due at T0 + 1 day
    seen: list[dt.datetime] = []
    real = services.privacy_purge_due

    def spy(**kw: Any) -> Any:
        seen.append(kw["now"])
        return real(**kw)

    monkeypatch.setattr(tasks, "privacy_purge_due", spy)
    fake_clock.jump(5 * DAY)  # the worker's clock is ahead of the chain's start
    tasks.privacy_purge_task.call_local(0, None, T0.isoformat())
    assert seen and all(at == T0 for at in seen)
    assert_intact(early)


def test_double_run_and_two_schedulers_count_once(
    account: Any, other_account: Any, fake_clock: Any
) -> None:
    orders = [make_order(account, **delivered(40)) for _ in range(5)]
    orders += [make_order(other_account, **delivered(40)) for _ in range(4)]

    # Two schedulers interleaving their batches over the same rows.
    a = privacy_purge_due(batch_size=3, run_id="a" * 32)
    b = privacy_purge_due(batch_size=3, run_id="b" * 32)
    a2 = privacy_purge_due(batch_size=3, after_id=a.last_id, run_id="a" * 32)
    b2 = privacy_purge_due(batch_size=3, after_id=b.last_id, run_id="b" * 32)
    rest = privacy_purge_all(batch_size=3)
    again = privacy_purge_all(batch_size=3)

    assert again.purged == 0
    assert sum(r.purged for r in (a, b, a2, b2, rest)) == 9
    assert audit_total(account) == 5 and audit_total(other_account) == 4
    for order in orders:
        assert_purged(order, at=T0)


def test_crash_in_the_second_batch_loses_nothing_and_purges_nothing_early(
    account: Any, fake_clock: Any, archive_dir: Any, identity: Any, monkeypatch: Any
) -> None:
    archive_key_set(account=account, public_key=str(identity.to_public()))
    due = [make_order(account, **delivered(31)) for _ in range(5)]
    not_yet = make_order(account, **delivered(3))
    real_audit = services._audit_add
    calls = {"n": 0}

    def crash_on_second(**kw: Any) -> None:
        calls["n"] += 1
        real_audit(**kw)
        if calls["n"] == 2:
            raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_audit_add", crash_on_second)
    with pytest.raises(RuntimeError, match="worker killed"):
        privacy_purge_all(batch_size=2)

    purged = [o for o in due if pii_of(o) == TOMBSTONE]
    intact = [o for o in due if pii_of(o) == PII]
    assert len(purged) == 2 and len(intact) == 3  # first batch committed, the second rolled back
    assert all(o.pii_purged_at is None for o in intact)
    assert audit_total() == 2
    # The rolled-back batch's archive file was removed with it.
    assert len(archive_files(archive_dir / str(account.pk))) == 1

    monkeypatch.setattr(services, "_audit_add", real_audit)
    assert privacy_purge_all(batch_size=2).purged == 3
    for order in due:
        assert_purged(order)
    assert_intact(not_yet)
    assert audit_total() == 5
    records = list(archive_records(archive_files(archive_dir / str(account.pk)), [identity]))
    assert sorted(r["order_id"] for r in records) == sorted(o.pk for o in due)


def test_the_task_re_enqueues_itself_until_done(
    account: Any, fake_clock: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    orders = [make_order(account, **delivered(31)) for _ in range(7)]
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "SECONDS_PER_TASK", 0.0)  # one batch per task run

    monkeypatch.setattr(HUEY, "immediate", True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.privacy_purge_hourly_task.call_local()
    assert len(callbacks) >= 3  # 7 orders, 2 per batch: it came back for more
    for order in orders:
        assert_purged(order)
    assert PurgeAudit.objects.filter(account=account).count() == 1  # one run, one audit row
    assert audit_total() == 7


def test_purged_value_is_the_tombstone() -> None:
    assert TOMBSTONE["buyer_name"] == PURGED == "[purged]"
    assert set(TOMBSTONE) == set(PII)
