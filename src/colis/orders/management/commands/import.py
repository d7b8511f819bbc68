"""`colis import [--integration ID] [--since YYYY-MM-DD]`: import orders now, in this process."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from colis.integrations.models import Integration
from colis.orders.services import order_import_run


def _date(value: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since {value!r} is not a date (YYYY-MM-DD)") from exc
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Import new and changed orders of active integrations now (in this process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--integration", type=int, help="only this integration (its ID)")
        parser.add_argument(
            "--since", help="re-import orders updated since this date (YYYY-MM-DD, UTC)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _date(options["since"]) if options["since"] else None
        integrations = Integration.objects.order_by("id")
        if options["integration"] is not None:
            integrations = integrations.filter(id=options["integration"])
            if not integrations.exists():
                raise CommandError(f"no integration with ID {options['integration']}")
        else:
            integrations = integrations.filter(state=Integration.State.ACTIVE)
        failed = 0
        for integration in list(integrations):
            with tqdm(
                desc=f"{integration.name} (#{integration.id})",
                unit=" orders",
                disable=options["no_progress"],
                file=getattr(self.stderr, "_out", None),
            ) as bar:
                result = order_import_run(
                    integration_id=integration.id, since=since, progress=bar.update
                )
            line = (
                f"#{integration.id} {integration.name}: {result.status}, "
                f"{result.created} new, {result.updated} updated, {result.pages} page(s)"
            )
            if result.skipped_afn:
                line += f", {result.skipped_afn} Amazon-fulfilled skipped"
            if result.reason:
                line += f" — {result.reason}"
            if result.status == "failed":
                failed += 1
                self.stderr.write(line)
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"{failed} import(s) failed (see above)")
