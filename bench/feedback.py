"""Feedback figures: shipment confirmations of N parcels through the Amazon sandbox at
Amazon's real confirmShipment plan (2/s, burst 10) under a time scale.

1. setup (not timed): a sandbox process (`--time-scale S`) with N new orders of seller 1
   in Amazon.de; a scratch colis database (SQLite WAL or PostgreSQL); the orders, their
   items, N labelled parcels (local carrier, "Other" + "colis local") made with the ORM,
   and their deliveries made by the outbox's own sweep (`feedback_owe_sweep`);
2. the run: W worker threads (or processes) call `feedback_deliver` until every delivery
   is sent; colis' shared limiter runs the same plan scaled by S
   (`COLIS_AMAZON_RATE_SCALE`); a throttled call (429) comes back through the outbox;
3. the figures: time over the plan's minimum ceil((N - burst) / rate) / S (goal ≤ 1.10),
   and the sandbox's ground truth: accepted, duplicates (goal 0), rejected, dropped.
   The read-back of each confirmation (getOrder 0.5/s) runs later and is not timed.

Usage: .venv/bin/python bench/feedback.py [--n 5000] [--scale 50] [--workers 4]
       [--db sqlite|postgres] [--redis redis://127.0.0.1:6379/7] [--processes]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DE, SELLER_ID, SandboxProcess, colis_environment, make_integration

RATE, BURST = 2.0, 10


def sandbox_orders(sb: SandboxProcess, n: int) -> list[dict[str, Any]]:
    ids: list[str] = []
    while len(ids) < n:
        count = min(n - len(ids), 5000)
        body = {"seller_id": SELLER_ID, "marketplace_id": DE, "count": count}
        ids += sb.control("POST", "orders", body)["order_ids"]
    wanted = set(ids)
    found: dict[str, dict[str, Any]] = {}
    offset = 0
    while len(found) < n:
        page = sb.control("GET", "orders", seller_id=SELLER_ID, limit=1000, offset=offset)
        for o in page["orders"]:
            if o["orderId"] in wanted:
                found[o["orderId"]] = o
        if len(page["orders"]) < 1000:
            break
        offset += 1000
    return [found[i] for i in ids]


def make_parcels(integration: Any, orders: list[dict[str, Any]]) -> None:
    import datetime as dt

    from django.db import transaction

    from colis.accounts.models import Address
    from colis.orders.models import Order, OrderItem
    from colis.shipping.models import Parcel, ParcelItem
    from colis.shipping.services import shipping_seed_demo

    account = integration.account
    Address.objects.create(
        account=account,
        kind="sender",
        is_default=True,
        name="Lager Berlin",
        street="Hauptstr. 1",
        postal_code="10115",
        city="Berlin",
        country="DE",
    )
    method = shipping_seed_demo(account=account)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        rows = Order.objects.bulk_create(
            [
                Order(
                    account=account,
                    integration=integration,
                    external_id=o["orderId"],
                    marketplace_id=DE,
                    status="unshipped",
                    marketplace_status="Unshipped",
                    purchased_at=now,
                    marketplace_updated_at=now,
                    recipient_country="DE",
                    weight_grams=500,
                )
                for o in orders
            ],
            batch_size=1000,
        )
        items = OrderItem.objects.bulk_create(
            [
                OrderItem(
                    account=account,
                    order=row,
                    external_id=item["orderItemId"],
                    sku=item["product"]["sellerSku"],
                    quantity=item["quantityOrdered"],
                )
                for row, o in zip(rows, orders, strict=True)
                for item in o["orderItems"]
            ],
            batch_size=1000,
        )
        parcels = Parcel.objects.bulk_create(
            [
                Parcel(
                    account=account,
                    order=row,
                    shipping_method=method,
                    carrier_account=method.carrier_account,
                    carrier="local",
                    service_code=method.service_code,
                    status="ready_to_send",
                    idempotency_key=f"bench-{row.id}",
                    weight_grams=500,
                    tracking_number=f"CLB{row.id:010d}",
                    label_created_at=now,
                )
                for row in rows
            ],
            batch_size=1000,
        )
        by_order = {p.order_id: p for p in parcels}
        ParcelItem.objects.bulk_create(
            [
                ParcelItem(
                    account=account,
                    parcel=by_order[item.order_id],
                    order_item=item,
                    quantity=item.quantity,
                )
                for item in items
            ],
            batch_size=1000,
        )


def _work(ids: list[int], out: Any) -> None:
    """One worker process: its own database connection and HTTP connections."""
    from colis.feedback import services

    counts = services.feedback_deliver_many(delivery_ids=ids)
    out.put(counts)


def deliver_all(workers: int, processes: bool = False) -> dict[str, int]:
    """W workers (threads, or processes as Huey's process workers) deliver what is due,
    until nothing is pending (a throttled one comes back in about a second)."""
    import multiprocessing as mp
    import threading

    from django.db import connection, connections

    from colis.feedback import services
    from colis.feedback.models import FeedbackDelivery

    ctx = mp.get_context("fork")
    counts: dict[str, int] = {}
    waiting = FeedbackDelivery.State.PENDING

    def thread_work(ids: list[int], out: Any) -> None:
        try:
            out.put(services.feedback_deliver_many(delivery_ids=ids))
        finally:
            connection.close()

    while True:
        ids = services.feedback_due(limit=100_000)
        ids = list(
            FeedbackDelivery.objects.filter(id__in=ids, state=waiting).values_list("id", flat=True)
        )
        if not ids:
            if not FeedbackDelivery.objects.filter(state=waiting).exists():
                return counts
            time.sleep(0.05)
            continue
        out: Any
        if processes:
            connections.close_all()  # each child opens its own
            out = ctx.Queue()
            workers_: list[Any] = [
                ctx.Process(target=_work, args=(ids[k::workers], out)) for k in range(workers)
            ]
        else:
            import queue

            out = queue.Queue()
            workers_ = [
                threading.Thread(target=thread_work, args=(ids[k::workers], out))
                for k in range(workers)
            ]
        for w in workers_:
            w.start()
        for _ in workers_:
            for state, n in out.get().items():
                counts[str(state)] = counts.get(str(state), 0) + n
        for w in workers_:
            w.join()


def run(
    n: int,
    scale: float,
    workers: int,
    database: str,
    redis_url: str = "",
    processes: bool = False,
) -> dict[str, Any]:
    sb = SandboxProcess(orders=0, time_scale=scale, rate_limits=True)
    os.environ["COLIS_AMAZON_RATE_SCALE"] = str(scale)
    env, done = colis_environment(database=database, sandbox_url=sb.url)
    try:
        from django.conf import settings

        settings.COLIS_FEEDBACK_VERIFY_SECONDS = 3600  # the read-back is not timed here
        if redis_url:  # the shared limiter in Redis instead of database rows
            import redis

            redis.Redis.from_url(redis_url).flushdb()
            settings.COLIS_RATE_LIMIT_REDIS_URL = redis_url

        from colis.feedback import services
        from colis.feedback.models import FeedbackDelivery

        orders = sandbox_orders(sb, n)
        integration = make_integration()
        make_parcels(integration, orders)
        made = services.feedback_owe_sweep(limit=n)
        assert made == n, made
        sb.control("DELETE", "calls")

        started = time.perf_counter()
        counts = deliver_all(workers, processes)
        took = time.perf_counter() - started

        truth = sb.control("GET", "shipments")["summary"]
        calls = sb.control("GET", "calls", limit=0)
        minimum = math.ceil((n - BURST) / RATE) / scale
        sent = FeedbackDelivery.objects.filter(state=FeedbackDelivery.State.SENT).count()
        return {
            "parcels": n,
            "db": database,
            "scale": scale,
            "workers": workers,
            "limiter": "redis" if redis_url else "database",
            "worker_kind": "process" if processes else "thread",
            "seconds": round(took, 2),
            "plan_minimum_seconds": round(minimum, 2),
            "ratio": round(took / minimum, 3),
            "sent": sent,
            "outcomes": counts,
            "amazon_accepted": truth.get("accepted", 0),
            "amazon_duplicates": truth.get("duplicate", 0),
            "amazon_rejected": truth.get("rejected", 0),
            "amazon_dropped": truth.get("dropped", 0),
            "calls": {k: v for k, v in calls.items() if k != "last"},
        }
    finally:
        done()
        sb.stop()
        del env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--scale", type=float, default=50.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--redis", default="", help="the rate limiter in Redis, e.g. redis://127.0.0.1:6379/7"
    )
    parser.add_argument("--processes", action="store_true", help="worker processes, not threads")
    args = parser.parse_args()
    figures = run(args.n, args.scale, args.workers, args.db, args.redis, args.processes)
    sys.stdout.write(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
