"""Background jobs of the privacy app: thin, they call the purge service batch by batch.

`privacy_purge_task` purges bounded batches for a few seconds, then re-enqueues itself with
its cursor until nothing is left (CONVENTIONS rule 7). The daily run and the hourly catch-up
both start it; two chains at once are safe (each batch's UPDATE is conditional, and counts
come from its own row count).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.common import clock
from colis.privacy.services import privacy_purge_due

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
SECONDS_PER_TASK = 10.0


@db_task()
def privacy_purge_task(
    after_id: int = 0, run_id: str | None = None, started_at: str | None = None
) -> None:
    """Purge due buyer PII from order id `after_id` on; re-enqueue until done.

    The time used is never later than the chain's start: a clock that jumps forward and back
    mid-chain cannot make a later batch purge early.
    """
    now = clock.now()
    if started_at:
        now = min(now, dt.datetime.fromisoformat(started_at))
    deadline = time.monotonic() + SECONDS_PER_TASK
    while True:
        result = privacy_purge_due(now=now, batch_size=BATCH_SIZE, after_id=after_id, run_id=run_id)
        after_id, run_id = result.last_id, result.run_id
        if result.done:
            return
        if time.monotonic() >= deadline:
            break
    next_after, next_run, next_start = after_id, run_id, now.isoformat()
    transaction.on_commit(lambda: privacy_purge_task(next_after, next_run, next_start))


@db_periodic_task(crontab(hour="3", minute="10"))
def privacy_purge_daily_task() -> None:
    """The daily purge of buyer PII that is due."""
    privacy_purge_task()


@db_periodic_task(crontab(minute="40"))
def privacy_purge_hourly_task() -> None:
    """Hourly catch-up: orders that came due since, or whose archive was not writable."""
    privacy_purge_task()
