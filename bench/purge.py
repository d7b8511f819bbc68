"""Purge figures: the buyer-PII purge of N orders beside a bare UPDATE of the same rows.

For each database (SQLite file in WAL mode, PostgreSQL), in a fresh data folder:
1. setup (its own process): migrate, then bulk-insert N due orders (delivered 40 days ago)
   with encrypted PII, spread over 10 accounts;
2. run (a second process, so the insert's memory is not counted): the bound, a single bare
   `UPDATE` writing the same tombstone to the same rows, timed before and after (the best is
   kept); the purge, `privacy_purge_due` batch after batch exactly as the task runs it; peak
   and current RSS before and after the purge (flat memory: the purge holds one batch).

Usage: .venv/bin/python bench/purge.py [--n 1000000] [--db sqlite|postgres|both]
       [--batch-size 1000] [--pg-url postgres://postgres@127.0.0.1:5432/colis_bench_purge]
       [--archive]   (every account archives its tax fields first: age files, decryption of PII)
Goal: the purge within 3x of the bound.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ACCOUNTS = 10
CHUNK = 10_000


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB."""
    current = 0.0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "colis.settings")
    import django

    django.setup()


# --- phase: setup -----------------------------------------------------------------------


def setup(n: int, archive: bool) -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from colis.accounts.models import Account
    from colis.integrations.models import Integration
    from colis.orders.models import Order

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(dt.UTC)
    delivered = now - dt.timedelta(days=40)
    integrations = []
    for index in range(ACCOUNTS):
        account = Account.objects.create(name=f"bench {index}")
        integrations.append(
            Integration.objects.create(
                account=account,
                name="Amazon DE",
                auth_kind="spapi_oauth",
                seller_id=f"ABENCH{index:06d}",
                marketplace_id="A1PA6795UKMFR9",
            )
        )
    if archive:
        import pyrage

        from colis.privacy.models import RetentionPolicy

        public_key = str(pyrage.x25519.Identity.generate().to_public())
        for integration in integrations:
            RetentionPolicy.objects.create(
                account_id=integration.account_id, archive_public_key=public_key
            )
    template = Order(
        account_id=integrations[0].account_id,
        integration=integrations[0],
        external_id="x",
        marketplace_id="A1PA6795UKMFR9",
        status="shipped",
        marketplace_status="Shipped",
        purchased_at=delivered - dt.timedelta(days=3),
        marketplace_updated_at=delivered - dt.timedelta(days=2),
        shipped_at=delivered - dt.timedelta(days=2),
        delivered_at=delivered,
        currency="EUR",
        recipient_country="DE",
        recipient_postal_code="10115",
        recipient_city="Berlin",
        recipient_name="Jürgen Weißmüller",
        recipient_company="Weißmüller Feinkost GmbH",
        recipient_lines="Friedrichstraße 123\nHinterhaus, 3. OG",
        recipient_region="Berlin",
        recipient_phone="+49 30 12345678",
        buyer_name="Jürgen Weißmüller",
        buyer_email="k3j4h5g6f7d8@marketplace.amazon.de",
        gift_message="Alles Gute zum Geburtstag!",
        created_at=now,
        updated_at=now,
        imported_at=now,
    )
    fields = [f for f in Order._meta.concrete_fields if not f.primary_key]
    # Distinct ciphertexts for a pool of rows, reused: encrypting 8 million values would
    # measure Fernet, not the insert; the rows have the real shape and sizes.
    pool = []
    for _ in range(256):
        pool.append([f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields])
    ext_index = [f.attname for f in fields].index("external_id")
    account_index = [f.attname for f in fields].index("account_id")
    integration_index = [f.attname for f in fields].index("integration_id")
    table = connection.ops.quote_name(Order._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    started = time.monotonic()
    for start in range(0, n, CHUNK):
        rows = []
        for i in range(start, min(n, start + CHUNK)):
            row = list(pool[i % len(pool)])
            integration = integrations[i % ACCOUNTS]
            row[ext_index] = f"305-{i:07d}-{i:07d}"
            row[account_index] = integration.account_id
            row[integration_index] = integration.pk
            rows.append(row)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE orders_order")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    took = time.monotonic() - started
    json.dump({"inserted": n, "insert_seconds": round(took, 1)}, sys.stdout)


# --- phase: run -------------------------------------------------------------------------


def run(n: int, batch_size: int) -> None:
    django_setup()
    from django.db import connection, transaction

    from colis.orders.models import Order
    from colis.privacy.services import TOMBSTONE, privacy_purge_due

    table = connection.ops.quote_name(Order._meta.db_table)
    pii = list(TOMBSTONE)
    raw_original = _raw_values(connection, table, pii)

    def vacuum() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE orders_order")
            else:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def restore() -> None:
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in pii)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {sets}, pii_purged_at = NULL",  # noqa: S608
                [raw_original[c] for c in pii],
            )
        vacuum()

    def bare_update() -> float:
        """The bound: one UPDATE of the same rows with the same (encrypted) tombstone."""
        now = dt.datetime.now(dt.UTC)
        started = time.monotonic()
        with transaction.atomic():
            count = Order.objects.filter(pii_purged_at__isnull=True).update(
                **TOMBSTONE, pii_purged_at=now
            )
        took = time.monotonic() - started
        assert count == n, (count, n)
        return took

    bound_before = bare_update()
    restore()

    rss_before, peak_before = rss_mb()
    started = time.monotonic()
    after_id, run_id, batches, purged = 0, None, 0, 0
    now = dt.datetime.now(dt.UTC)
    while True:
        result = privacy_purge_due(now=now, batch_size=batch_size, after_id=after_id, run_id=run_id)
        after_id, run_id = result.last_id, result.run_id
        batches += 1
        purged += result.purged
        if result.done:
            break
    purge_seconds = time.monotonic() - started
    rss_after, peak_after = rss_mb()
    assert purged == n, (purged, n)
    left = Order.objects.filter(pii_purged_at__isnull=True).count()
    assert left == 0, left
    archives = list((Path(os.environ["COLIS_DATA_DIR"]) / "archives").rglob("*.age"))

    restore()
    bound_after = bare_update()
    bound = min(bound_before, bound_after)
    json.dump(
        {
            "vendor": connection.vendor,
            "n": n,
            "batch_size": batch_size,
            "batches": batches,
            "purge_seconds": round(purge_seconds, 2),
            "bound_seconds": round(bound, 2),
            "bound_before_seconds": round(bound_before, 2),
            "bound_after_seconds": round(bound_after, 2),
            "ratio": round(purge_seconds / bound, 2),
            "archive_files": len(archives),
            "archive_mb": round(sum(p.stat().st_size for p in archives) / 1e6, 1),
            "orders_per_second": round(n / purge_seconds),
            "rss_mb_before": round(rss_before, 1),
            "rss_mb_after": round(rss_after, 1),
            "peak_rss_mb_before": round(peak_before, 1),
            "peak_rss_mb_after": round(peak_after, 1),
        },
        sys.stdout,
    )


def _raw_values(connection: Any, table: str, columns: list[str]) -> dict[str, Any]:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} ORDER BY id LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True))


# --- driver -----------------------------------------------------------------------------


def _phase(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{args[:2]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def bench(db: str, n: int, batch_size: int, pg_url: str, archive: bool) -> dict[str, Any]:
    from cryptography.fernet import Fernet

    with tempfile.TemporaryDirectory(prefix="colis-bench-purge-") as data:
        env = {
            **os.environ,
            "COLIS_DATA_DIR": data,
            "COLIS_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "COLIS_SECRET_KEY": "bench-" + Fernet.generate_key().decode(),
            "PYTHONPATH": str(ROOT / "src"),
        }
        env.pop("DATABASE_URL", None)
        if db == "postgres":
            _fresh_postgres(pg_url)
            env["DATABASE_URL"] = pg_url
        made = _phase(["--phase", "setup", "--n", str(n), *(["--archive"] if archive else [])], env)
        print(
            f"[{db}] inserted {made['inserted']:,} orders in {made['insert_seconds']} s", flush=True
        )
        figures = _phase(["--phase", "run", "--n", str(n), "--batch-size", str(batch_size)], env)
    figures["insert_seconds"] = made["insert_seconds"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/colis_bench_purge")
    parser.add_argument(
        "--archive",
        action="store_true",
        help="every account has an age key: the tax fields are archived before the purge",
    )
    parser.add_argument("--phase", choices=["setup", "run"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "setup":
        setup(args.n, args.archive)
        return
    if args.phase == "run":
        run(args.n, args.batch_size)
        return
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        f = bench(db, args.n, args.batch_size, args.pg_url, args.archive)
        print(
            f"[{db}] purge {f['n']:,} orders: {f['purge_seconds']} s "
            f"({f['orders_per_second']:,}/s, {f['batches']} batches of {f['batch_size']}); "
            f"bound (bare UPDATE of the same rows): {f['bound_seconds']} s "
            f"[{f['bound_before_seconds']} before, {f['bound_after_seconds']} after]; "
            f"ratio {f['ratio']}x (goal <= 3x)"
            + (
                f"; {f['archive_files']} archive files, {f['archive_mb']} MB"
                if args.archive
                else ""
            )
        )
        print(
            f"[{db}] RSS {f['rss_mb_before']} MB -> {f['rss_mb_after']} MB; "
            f"peak {f['peak_rss_mb_before']} MB -> {f['peak_rss_mb_after']} MB"
        )
        print(f"[{db}] {json.dumps(f)}", flush=True)


if __name__ == "__main__":
    main()
