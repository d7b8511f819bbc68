"""Background jobs of the feedback outbox: thin, they take ids and call one service.

`feedback_sweep_task` runs every minute: it makes the deliveries the shipping flow missed
and enqueues those due (bounded); `feedback_deliver_task` sends one.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.feedback.services import feedback_deliver, feedback_sweep

log = logging.getLogger(__name__)


@db_task()
def feedback_deliver_task(delivery_id: int) -> None:
    state = feedback_deliver(delivery_id=delivery_id)
    log.info("feedback %s: %s", delivery_id, state)


@db_periodic_task(crontab(minute="*"))
def feedback_sweep_task() -> None:
    enqueued = feedback_sweep()
    if enqueued:
        log.info("feedback: %s deliveries enqueued", len(enqueued))
