"""`colis check`: Django's system checks plus keys, database and queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheck
from django.db import connection


class Command(DjangoCheck):
    help = "Check the configuration: system checks, encryption keys, database and queue."

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        problems: list[str] = []
        try:
            connection.ensure_connection()
            self.stdout.write(f"database: ok ({connection.vendor})")
        except Exception as exc:
            problems.append(f"database: cannot connect ({type(exc).__name__})")
        if not problems:
            from django.db.migrations.executor import MigrationExecutor

            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if pending:
                problems.append(
                    f"database: {len(pending)} migration(s) not applied; run `colis migrate` or `colis up`"
                )
            else:
                from colis.common.crypto import EncryptionKeyError
                from colis.common.keycheck import encryption_keys_check

                try:
                    encryption_keys_check()
                    self.stdout.write("encryption keys: ok")
                except EncryptionKeyError as exc:
                    problems.append(f"encryption keys: {exc}")
        try:
            from huey.contrib.djhuey import HUEY

            pending_tasks = HUEY.pending_count()
            self.stdout.write(f"queue: ok ({type(HUEY).__name__}, {pending_tasks} pending)")
        except Exception as exc:
            problems.append(f"queue: unreachable ({type(exc).__name__}: {exc})")
        self.stdout.write(_lwa_secret_line())
        if problems:
            raise CommandError("\n".join(problems))


def _lwa_secret_line() -> str:
    """The Amazon LWA client secret's rotation (every 180 days): a warning, never an error."""
    from colis.integrations.lifecycle import LWA_ROTATED_ON, lwa_secret_rotation

    status = lwa_secret_rotation()
    if status.problem:
        return f"amazon lwa client secret: WARNING {status.problem}"
    if status.due_on is None:
        return (
            f"amazon lwa client secret: rotation date unknown; set {LWA_ROTATED_ON}=YYYY-MM-DD "
            "(Amazon asks for a new secret every 180 days)"
        )
    if status.state == "overdue":
        return (
            f"amazon lwa client secret: WARNING rotation overdue since {status.due_on} "
            f"(rotated {status.rotated_on}); every Amazon call fails once it lapses"
        )
    word = "WARNING rotate soon" if status.state == "soon" else "ok"
    return (
        f"amazon lwa client secret: {word}, rotate by {status.due_on} "
        f"({status.days_left} days; rotated {status.rotated_on})"
    )
