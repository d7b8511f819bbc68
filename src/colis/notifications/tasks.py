"""Background jobs of notifications: thin, they take ids and call one service."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from colis.notifications.services import (
    notification_email_send,
    notification_emails_send_pending,
)


@db_task()
def notification_email_send_task(email_id: int) -> None:
    notification_email_send(email_id=email_id)


@db_periodic_task(crontab(minute="*/10"))
def notification_emails_pending_task() -> None:
    """E-mails owed but unsent (a crash between commit and send, a lost task)."""
    notification_emails_send_pending()
