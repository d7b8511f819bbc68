"""The hourly authorization sweep (reminders, expiry, revocations, LWA secret): thin."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from colis.integrations.lifecycle import integration_lifecycle_sweep

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def integration_lifecycle_sweep_task() -> None:
    """Hourly; safe to run more often, twice, or on several workers (unique dedupe keys)."""
    result = integration_lifecycle_sweep()
    if result.reminders or result.expired or result.revoked_notified or result.lwa_reminders:
        log.info(
            "authorizations: %s reminders, %s expired, %s revoked, %s LWA reminders, %s e-mails",
            len(result.reminders),
            len(result.expired),
            len(result.revoked_notified),
            result.lwa_reminders,
            result.emails_sent,
        )
