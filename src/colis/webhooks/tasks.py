"""Background jobs of webhooks and tracking e-mails: thin, ids in, one service call."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.webhooks.services import webhook_deliver, webhook_due


@db_task()
def webhook_deliver_task(delivery_id: int) -> None:
    webhook_deliver(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="*"))
def webhook_sweep_task() -> None:
    """Deliveries due whose task was lost (a restart between commit and enqueue)."""
    for delivery_id in webhook_due():
        webhook_deliver_task(delivery_id)


@db_task()
def tracking_email_send_task(parcel_id: int, status: str) -> None:
    from colis.notifications.tracking import tracking_email_send_quietly

    tracking_email_send_quietly(parcel_id=parcel_id, status=status)
