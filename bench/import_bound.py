"""Import N orders through Amazon's real rate plans and compare with what the plans allow.

The sandbox runs in its own process with Amazon's rate plans (token buckets) sped up by
`--time-scale`; colis imports N merchant-fulfilled orders through the real connector
(Orders 2026-01-01 `searchOrders`, 100 a page; weights from Catalog Items, then Listings).

The bound is computed from the plans, burst included: each operation's bucket starts full
(burst b) and refills at r × time_scale per second, so k calls of it need at least
max(0, k − b) / (r × time_scale) seconds; the buckets refill side by side, so the run's
minimum is the largest of them. k is ceil(N / 100) for searchOrders and, for weights, the
catalog batches (20 ASINs a call) and the listing look-ups of SKUs the catalog has no
weight for. Printed: measured time / that minimum, SP-API calls per order (from the
sandbox's call log) and the share of calls throttled (HTTP 429).

Goals: ratio ≤ 1.10, ≤ 1.02 calls per order on the 2026 path, ≤ 1 % throttled.

Usage: .venv/bin/python bench/import_bound.py [--n 1000 --n 20000] [--time-scale 1000]
       [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    SELLER_ID,
    SandboxProcess,
    colis_environment,
    make_integration,
    point_at,
)

SPAPI_OPERATIONS = ("searchOrders", "searchCatalogItems", "getListingsItem", "getCatalogItem")


def plan_minimum(*, n: int, skus: list[dict[str, object]], time_scale: float) -> dict[str, float]:
    from amazon_sandbox.constants import SPAPI_RATE_PLANS

    needed = {
        "searchOrders": math.ceil(n / 100),
        "searchCatalogItems": math.ceil(len({s["asin"] for s in skus}) / 20),
        "getListingsItem": sum(1 for s in skus if not s["catalog_weight"]),
    }
    out = {}
    for op, calls in needed.items():
        plan = SPAPI_RATE_PLANS[op]
        out[op] = max(0.0, calls - plan.burst) / (plan.rate * time_scale)
    return out


def run_one(n: int, time_scale: float) -> dict[str, object]:
    from colis.marketplaces.models import RateBucket
    from colis.orders.models import Order
    from colis.orders.services import order_import_run

    sandbox = SandboxProcess(orders=0, time_scale=time_scale, rate_limits=True)
    point_at(sandbox.url)
    try:
        sandbox.add_orders(n)
        skus = sandbox.control("GET", "skus", seller_id=SELLER_ID)["skus"]
        RateBucket.objects.all().delete()  # colis' mirror starts full, like Amazon's buckets
        integration = make_integration(first_import_days=1)
        sandbox.control("DELETE", "calls")
        started = time.monotonic()
        result = order_import_run(integration_id=integration.id)
        elapsed = time.monotonic() - started
        calls = sandbox.control("GET", "calls", limit=0)["operations"]
    finally:
        sandbox.stop()
    assert result.status == "ok", result.reason
    imported = Order.objects.filter(integration=integration).count()
    used = {s["sku"]: s for s in skus}
    minimum = plan_minimum(n=n, skus=list(used.values()), time_scale=time_scale)
    bound = max(minimum.values())
    spapi = {op: calls[op] for op in calls if op in SPAPI_OPERATIONS}
    total = sum(int(c["count"]) for c in spapi.values())
    throttled = sum(int(c["throttled"]) for c in spapi.values())
    return {
        "n": n,
        "imported": imported,
        "elapsed": elapsed,
        "bound": bound,
        "bound_by_op": minimum,
        "ratio": elapsed / bound if bound > 0 else float("inf"),
        "calls": {op: int(c["count"]) for op, c in spapi.items()},
        "calls_per_order": total / max(imported, 1),
        "throttled_share": throttled / max(total, 1),
        "throttled": throttled,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="orders to import (repeatable)")
    parser.add_argument("--time-scale", type=float, default=1000.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    sizes = args.n or [1000, 20000]
    if any(n <= 0 or n > 100_000 for n in sizes):
        parser.error("--n must be between 1 and 100000")
    _env, cleanup = colis_environment(database=args.database, sandbox_url="")
    try:
        print(f"import through the rate plans, time scale {args.time_scale:g}, {args.database}")
        for n in sizes:
            r = run_one(n, args.time_scale)
            bound = float(r["bound"])  # type: ignore[arg-type]
            ratio = f"{r['ratio']:.3f}"
            if bound < 1.0:
                ratio += " (not meaningful: the bursts cover almost every call; processing-bound)"
            print(
                f"N={n}: imported {r['imported']} in {r['elapsed']:.2f} s; plan minimum "
                f"{bound:.2f} s {r['bound_by_op']}; ratio {ratio} (goal ≤ 1.10); "
                f"{r['calls_per_order']:.4f} calls/order (goal ≤ 1.02) {r['calls']}; "
                f"throttled {100 * float(r['throttled_share']):.2f} % (goal ≤ 1 %)"  # type: ignore[arg-type]
            )
    finally:
        cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
