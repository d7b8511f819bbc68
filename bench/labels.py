"""Label figures: a bulk batch of N orders with the local carrier, beside karrio alone.

In a fresh data folder (SQLite in WAL mode by default, or PostgreSQL):
1. setup: migrate, one ready account, the demo local carrier and method, N unshipped
   orders (two items each, encrypted recipient) made with the ORM;
2. the bound, in the same run: karrio's generic carrier alone making the same labels
   (`karrio.Shipment.create` on the generic gateway with colis' A6 template, no database,
   no files), and karrio's own PDF path (its raster renderer) on a sample for reference;
3. the run: `parcel_create_bulk` for the N orders (reservation, karrio, vector PDF + ZPL,
   files, status updates, the merged PDF of the batch); then the merge and the A4
   imposition of the N labels timed alone, with their sizes.

Usage: .venv/bin/python bench/labels.py [--n 500] [--db sqlite|postgres]
       [--pg-url postgres://postgres@127.0.0.1:5432/colis_bench_labels]
Goal: ≥ 20 labels/s for the bulk batch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def django_setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "colis.settings")
    import django

    django.setup()


def make_orders(n: int) -> tuple[Any, list[int]]:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from colis.accounts.models import Account, Address
    from colis.integrations.models import Integration
    from colis.orders.models import Order, OrderItem
    from colis.shipping.services import shipping_seed_demo

    call_command("migrate", verbosity=0)
    account = Account.objects.create(name="bench labels")
    for kind in ("sender", "return"):
        Address.objects.create(
            account=account,
            kind=kind,
            is_default=kind == "sender",
            name="Lager Berlin",
            street="Hauptstr. 1",
            postal_code="10115",
            city="Berlin",
            country="DE",
        )
    integration = Integration.objects.create(
        account=account,
        name="Amazon FR",
        auth_kind="spapi_oauth",
        seller_id="ABENCHLABELS",
        marketplace_id="A13V1IB3VIYZZH",
    )
    shipping_seed_demo(account=account)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        orders = Order.objects.bulk_create(
            [
                Order(
                    account=account,
                    integration=integration,
                    external_id=f"407-{i:07d}-{i:07d}",
                    marketplace_id="A13V1IB3VIYZZH",
                    status="unshipped",
                    marketplace_status="Unshipped",
                    purchased_at=now,
                    marketplace_updated_at=now,
                    recipient_country="FR",
                    recipient_postal_code="75011",
                    recipient_city="Paris",
                    recipient_name=f"Élodie Müller-Dupré {i}",
                    recipient_lines="12 rue Oberkampf\nBâtiment B, 3e étage",
                    weight_grams=950,
                )
                for i in range(n)
            ]
        )
        OrderItem.objects.bulk_create(
            [
                OrderItem(
                    account=account,
                    order=order,
                    external_id=f"{order.external_id}-{k}",
                    sku=sku,
                    title=title,
                    quantity=qty,
                    weight_grams=w,
                )
                for order in orders
                for k, (sku, title, qty, w) in enumerate(
                    [("MUG-BLUE", "Blue mug", 2, 350), ("TEA-250", "Earl Grey 250 g", 1, 250)]
                )
            ]
        )
    return account, [o.id for o in orders]


def karrio_alone(n: int, sample_pdf: int) -> dict[str, float]:
    """The bound: karrio's generic carrier making the same labels, nothing else."""
    from colis.shipping import ports
    from colis.shipping.carriers import karrio_common as kc
    from colis.shipping.carriers.local import LocalCarrier

    connection = LocalCarrier().connect(credentials={}, test_mode=True)
    karrio = kc.karrio_sdk()
    gateway = connection.gateway
    party = ports.Party(
        name="Élodie Müller-Dupré",
        street1="12 rue Oberkampf",
        postal_code="75011",
        city="Paris",
        country_code="FR",
    )
    payload = {
        "service": "colis_local_standard",
        "label_type": "SVG",
        "shipper": kc.address(party),
        "recipient": kc.address(party),
        "reference": "407-0000001-0000001",
        "parcels": [
            {
                "weight": 0.95,
                "weight_unit": "KG",
                "reference_number": "CL0000000001",
                "items": [
                    {"sku": "MUG-BLUE", "title": "Blue mug", "quantity": 2},
                    {"sku": "TEA-250", "title": "Earl Grey 250 g", "quantity": 1},
                ],
            }
        ],
    }
    karrio.Shipment.create(payload).from_(gateway).parse()  # warm
    started = time.perf_counter()
    for _ in range(n):
        details, messages = karrio.Shipment.create(payload).from_(gateway).parse()
    svg_s = time.perf_counter() - started
    assert details is not None, messages
    # karrio as shipped compiles the label template on every label; colis caches it.
    import karrio.addons.label as karrio_label

    cached = karrio_label.Template
    karrio_label.Template = cached.__wrapped__
    try:
        started = time.perf_counter()
        for _ in range(min(n, 100)):
            karrio.Shipment.create(payload).from_(gateway).parse()
        stock_s = time.perf_counter() - started
    finally:
        karrio_label.Template = cached
    started = time.perf_counter()
    for _ in range(sample_pdf):
        details, messages = (
            karrio.Shipment.create({**payload, "label_type": "PDF"}).from_(gateway).parse()
        )
    pdf_s = time.perf_counter() - started
    assert details is not None, messages
    return {
        "karrio_svg_labels_per_s": round(n / svg_s, 1),
        "karrio_stock_svg_labels_per_s": round(min(n, 100) / stock_s, 1),
        "karrio_raster_pdf_labels_per_s": round(sample_pdf / pdf_s, 1),
        "karrio_raster_pdf_kb": round(len(details.docs.label) * 3 / 4 / 1024, 1),
    }


def run(n: int) -> dict[str, Any]:
    django_setup()
    from colis.shipping import labels, services
    from colis.shipping.models import Parcel

    account, order_ids = make_orders(n)
    figures: dict[str, Any] = {"orders": n}
    figures.update(karrio_alone(n, sample_pdf=min(n, 20)))

    started = time.perf_counter()
    result = services.parcel_create_bulk(account=account, order_ids=order_ids)
    took = time.perf_counter() - started
    assert not result.failures, result.failures[:3]
    assert Parcel.objects.filter(account=account, status="ready_to_send").count() == n
    figures["bulk_seconds"] = round(took, 2)
    figures["bulk_labels_per_s"] = round(n / took, 1)

    pdfs = [labels.label_read(account_id=account.id, relative=p.label_pdf) for p in result.parcels]
    figures["label_pdf_kb"] = round(sum(map(len, pdfs)) / len(pdfs) / 1024, 2)
    started = time.perf_counter()
    merged, pages = labels.merge(pdfs)
    figures["merge_seconds"] = round(time.perf_counter() - started, 2)
    figures["merged_pdf_kb"] = round(len(merged) / 1024, 1)
    figures["merged_pages"] = pages
    started = time.perf_counter()
    sheets = labels.impose_a4([merged])
    figures["a4_seconds"] = round(time.perf_counter() - started, 2)
    figures["a4_pdf_kb"] = round(len(sheets) / 1024, 1)
    figures["bulk_vs_karrio_alone"] = round(
        figures["karrio_svg_labels_per_s"] / figures["bulk_labels_per_s"], 1
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/colis_bench_labels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="colis-bench-labels-") as data:
        os.environ["COLIS_DATA_DIR"] = data
        os.environ.setdefault("COLIS_LOG_LEVEL", "WARNING")
        if args.db == "postgres":
            os.environ["DATABASE_URL"] = args.pg_url
            _pg_recreate(args.pg_url)
        figures = run(args.n)
    figures["database"] = args.db
    print(json.dumps(figures, indent=2))
    print(
        f"bulk: {figures['bulk_labels_per_s']} labels/s ({args.n} in {figures['bulk_seconds']} s);"
        f" karrio alone: {figures['karrio_svg_labels_per_s']} labels/s"
        f" (stock, template compiled per label: {figures['karrio_stock_svg_labels_per_s']})"
        f" ({figures['bulk_vs_karrio_alone']}x); merged PDF of {figures['merged_pages']} pages:"
        f" {figures['merge_seconds']} s, {figures['merged_pdf_kb']} KiB; goal >= 20 labels/s"
    )


def _pg_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
