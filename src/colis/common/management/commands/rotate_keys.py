"""`colis rotate-keys`: re-encrypt every encrypted column with the first key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from colis.common.services import encrypted_columns_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column with the first key of COLIS_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = encrypted_columns_rotate(batch_size=500)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} row(s) re-encrypted")
        from colis.shipping.labels import label_files_rotate

        self.stdout.write(f"label files: {label_files_rotate()} re-encrypted")
        self.stdout.write(
            "done: remove the old key from COLIS_ENCRYPTION_KEYS once every instance has run this."
        )
