"""`colis demo`: seed the demo seller (what `colis up --demo` does before starting)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from colis.devtools.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    demo_connect_sandbox,
    demo_seed,
    demo_shipping_seed,
)


class Command(BaseCommand):
    help = (
        "Seed a demo seller whose onboarding is complete, with the local carrier; with "
        "--sandbox (what `colis up --demo` does) also an Amazon shop on the local sandbox."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sandbox",
            action="store_true",
            help="connect the demo seller to the local Amazon sandbox and enqueue an import",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_seed()
        verb = "created" if created else "already present"
        self.stdout.write(f"demo seller {verb}: log in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
        demo_shipping_seed()
        if options.get("sandbox") or os.environ.get("COLIS_DEMO_SANDBOX") == "1":
            shop = demo_connect_sandbox()
            if shop is not None:
                self.stdout.write(
                    f"demo shop: {shop.name} on the Amazon sandbox; its orders are imported "
                    "by the worker (Imported orders, then Create label)"
                )
