"""Orders ingested per second by the import (rate plans off), beside a plain bulk insert.

For each database (SQLite in a temporary data folder; PostgreSQL in a scratch database on
DATABASE_URL's server) a child process:

1. starts the sandbox in its own process without rate limits and adds N merchant-fulfilled
   orders; fetches them once through the real connector (pages of 100) and learns the
   SKUs' weights (not timed: this bench is about the database side);
2. times `order_import_page` over those pages, one transaction per page, into a new
   integration: the import's whole per-page work (checks, weights, errors, encryption of
   the PII, the upsert of orders and items) -> "ingest";
3. times the same again into the same integration (every order already there: updates);
4. times the bound: the very rows the import wrote (already encrypted and adapted), read
   back and inserted again with a plain multi-row INSERT per page (executemany), no logic.

Goal: ≥ 1,000 orders/s on SQLite, and ≥ 25 % of the bound.

Usage: .venv/bin/python bench/ingest.py [--n 5000] [--database sqlite --database postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PAGE = 100


def child(database: str, n: int) -> dict[str, Any]:
    from _common import SandboxProcess, colis_environment, make_integration, point_at

    # Throttling off; the scaled x-amzn-RateLimit-Limit keeps colis' own pacing out of the way.
    sandbox = SandboxProcess(orders=0, rate_limits=False, time_scale=100_000)
    _env, cleanup = colis_environment(database=database, sandbox_url=sandbox.url)
    point_at(sandbox.url)
    try:
        sandbox.add_orders(n)
        from django.db import connection, transaction

        from colis.integrations.registry import connector_for
        from colis.orders.models import Order, OrderItem
        from colis.orders.services import order_import_page, product_weights_refresh

        source = make_integration(first_import_days=1)
        connector = connector_for(source)
        pages = []
        token = None
        import datetime as dt

        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        while True:
            page = connector.fetch_orders_page(updated_after=since, page_token=token)
            pages.append(page.orders)
            product_weights_refresh(integration=source, connector=connector, orders=page.orders)
            if not page.next_token:
                break
            token = page.next_token
        total = sum(len(p) for p in pages)
        from colis.integrations.models import Integration

        target = Integration.objects.create(
            account=source.account,
            name="target",
            auth_kind=source.auth_kind,
            seller_id=source.seller_id,
            marketplace_id="APJ6JRA9NG5V4",
            region="EU",
        )

        def ingest() -> float:
            started = time.perf_counter()
            for orders in pages:
                with transaction.atomic():
                    order_import_page(integration=target, orders=orders)
            return time.perf_counter() - started

        insert_s = ingest()
        assert Order.objects.filter(integration=target).count() == total
        update_s = ingest()
        assert Order.objects.filter(integration=target).count() == total

        # The bound: the same stored rows, inserted again with no logic.
        order_fields = [f for f in Order._meta.concrete_fields if not f.primary_key]
        item_fields = [f for f in OrderItem._meta.concrete_fields if not f.primary_key]
        qn = connection.ops.quote_name
        ocols = ", ".join(qn(str(f.column)) for f in order_fields)
        icols = ", ".join(qn(str(f.column)) for f in item_fields)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT id, {ocols} FROM {qn(Order._meta.db_table)} "  # noqa: S608
                "WHERE integration_id = %s ORDER BY id",
                [target.id],
            )
            orders_raw = [list(r) for r in cur.fetchall()]
            cur.execute(
                f"SELECT {icols} FROM {qn(OrderItem._meta.db_table)} "  # noqa: S608
                "WHERE order_id IN (SELECT id FROM orders_order WHERE integration_id = %s)",
                [target.id],
            )
            items_raw = [list(r) for r in cur.fetchall()]
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM orders_order")
            base = int(cur.fetchone()[0]) + 1_000_000
            cur.execute("SELECT COALESCE(MAX(id), 0) FROM orders_orderitem")
            item_base = int(cur.fetchone()[0]) + 10_000_000
        bound_target = Integration.objects.create(
            account=source.account,
            name="bound",
            auth_kind=source.auth_kind,
            seller_id=source.seller_id,
            marketplace_id="A1F83G8C2ARO7P",
            region="EU",
        )
        integration_pos = 1 + [f.name for f in order_fields].index("integration")
        order_pos = [f.name for f in item_fields].index("order")
        new_id = {}
        for k, row in enumerate(orders_raw):
            new_id[row[0]] = base + k
            row[0] = base + k
            row[integration_pos] = bound_target.id
        items_by_order: dict[int, list[list[Any]]] = {}
        for k, row in enumerate(items_raw):
            old = row[order_pos]
            row[order_pos] = new_id[old]
            items_by_order.setdefault(new_id[old], []).append([item_base + k, *row])
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            for rows in (orders_raw, *items_by_order.values()):
                for row in rows:
                    for j, value in enumerate(row):
                        if isinstance(value, list | dict):
                            row[j] = Jsonb(value)
        osql = (
            f"INSERT INTO orders_order (id, {ocols}) VALUES "  # noqa: S608
            f"({', '.join(['%s'] * (len(order_fields) + 1))})"
        )
        isql = (
            f"INSERT INTO orders_orderitem (id, {icols}) VALUES "  # noqa: S608
            f"({', '.join(['%s'] * (len(item_fields) + 1))})"
        )
        started = time.perf_counter()
        for start in range(0, len(orders_raw), PAGE):
            chunk = orders_raw[start : start + PAGE]
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(osql, chunk)
                cur.executemany(isql, [i for o in chunk for i in items_by_order.get(o[0], [])])
        bound_s = time.perf_counter() - started
        assert Order.objects.filter(integration=bound_target).count() == total
        return {
            "database": database,
            "orders": total,
            "items": len(items_raw),
            "insert_per_s": total / insert_s,
            "update_per_s": total / update_s,
            "bound_per_s": total / bound_s,
            "share_of_bound": bound_s / insert_s,
        }
    finally:
        sandbox.stop()
        cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--database", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 100 <= args.n <= 100_000:
        parser.error("--n must be between 100 and 100000")
    if args.child:
        print(json.dumps(child(args.child, args.n)))
        return 0
    databases = args.database or ["sqlite", "postgres"]
    print(f"ingest of {args.n} orders, pages of {PAGE}, one transaction a page")
    for database in databases:
        done = subprocess.run(
            [sys.executable, __file__, "--child", database, "--n", str(args.n)],
            capture_output=True,
            text=True,
            env={**os.environ},
            timeout=1800,
        )
        if done.returncode != 0:
            print(f"{database}: failed\n{done.stderr[-2000:]}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{database}: {r['orders']} orders ({r['items']} items): import "
            f"{r['insert_per_s']:.0f} orders/s new, {r['update_per_s']:.0f} orders/s re-imported; "
            f"plain insert of the same rows {r['bound_per_s']:.0f} orders/s; "
            f"import = {100 * r['share_of_bound']:.0f} % of the bound "
            f"(goals: ≥ 1000/s on SQLite, ≥ 25 %)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
