"""Background jobs of shipping: thin, they take ids, re-read and call one service.

`parcel_tracking_poll_task` runs every minute: real carriers' parcels are tracked when
due (every 2 hours until final), the local carrier's advance on its clock.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.accounts.models import Account
from colis.shipping.services import parcel_create_bulk, parcel_tracking_poll

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def parcel_tracking_poll_task() -> None:
    changed = parcel_tracking_poll()
    if changed:
        log.info("tracking: %s parcels changed status", changed)


@db_task()
def parcel_create_bulk_task(
    account_id: int, order_ids: list[int], method_id: int | None = None, key: str | None = None
) -> None:
    """A large batch in the background (enqueue with transaction.on_commit)."""
    account = Account.objects.get(id=account_id)
    result = parcel_create_bulk(
        account=account, order_ids=order_ids, method_id=method_id, idempotency_key=key
    )
    log.info(
        "account %s: bulk labels %s made, %s failed, batch %s",
        account_id,
        len(result.parcels),
        len(result.failures),
        result.batch_id,
    )
