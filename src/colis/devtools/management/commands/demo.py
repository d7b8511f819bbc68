"""`colis demo`: seed the demo seller (what `colis up --demo` does before starting)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from colis.devtools.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Seed a demo seller whose onboarding is complete."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_seed()
        verb = "created" if created else "already present"
        self.stdout.write(f"demo seller {verb}: log in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
