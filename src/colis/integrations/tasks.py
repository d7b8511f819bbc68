"""Background jobs of integrations: thin, they take ids, re-read and call one service.

`integrations_import_due_task` runs every minute (enqueued by `colis scheduler`) and
enqueues the imports that are due; `integration_import_task` runs one import.
"""

from __future__ import annotations

import datetime as dt
import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.orders.services import integration_schedule_due, order_import_run

log = logging.getLogger(__name__)


@db_task()
def integration_import_task(integration_id: int, since: str | None = None) -> None:
    """Import one integration's orders (`since`: ISO 8601 date-time to re-import from)."""
    start = dt.datetime.fromisoformat(since) if since else None
    result = order_import_run(integration_id=integration_id, since=start)
    log.info(
        "integration %s: import %s (%s orders, %s pages)%s",
        integration_id,
        result.status,
        result.orders,
        result.pages,
        f": {result.reason}" if result.reason else "",
    )


@db_periodic_task(crontab(minute="*"))
def integrations_import_due_task() -> None:
    """Enqueue the imports that are due (each integration at most once per interval)."""
    integration_schedule_due()


# The authorization lifecycle's hourly sweep lives beside its services; importing it here
# registers it with huey (which discovers `tasks` modules only).
from colis.integrations import lifecycle_tasks  # noqa: E402, F401
