"""A crash between the notification's insert and its e-mail's send: exactly one e-mail.

The notification and its `NotificationEmail` rows commit together; the e-mail leaves after
commit. When the process dies there (here: the after-commit hook raises SystemExit, which
nothing catches), the next sweep finds the unsent row and sends it once; later sweeps send
nothing. A worker that died holding the send lease is replaced once the lease lapses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from colis.integrations.lifecycle import integration_lifecycle_sweep
from colis.integrations.models import Integration
from colis.notifications.models import Notification, NotificationEmail, OutboxMessage
from tests.lifecycle.conftest import T0, YEAR, DrivenClock

DAY = dt.timedelta(days=1)


def _die(email_id: int) -> None:
    raise SystemExit("worker killed after commit, before sending")


@pytest.mark.django_db(transaction=True)
def test_crash_after_commit_before_send_gives_one_email(
    clock: DrivenClock,
    make_user: Callable[..., Any],
    make_shop: Callable[..., Integration],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"
    user = make_user(email="anna@example.test")
    make_shop(user.account)
    clock.set(T0 + YEAR - 30 * DAY)
    with monkeypatch.context() as m:
        m.setattr("colis.notifications.tasks.notification_email_send_task", _die)
        with pytest.raises(SystemExit):
            integration_lifecycle_sweep()
    # Committed: the notification and the e-mail owed; nothing sent.
    assert Notification.objects.count() == 1
    assert NotificationEmail.objects.filter(sent_at__isnull=True).count() == 1
    assert OutboxMessage.objects.count() == 0

    # The process restarts; the sweep runs again (hourly), and again.
    for _ in range(3):
        clock.advance(dt.timedelta(hours=1))
        integration_lifecycle_sweep()
    assert Notification.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    message = OutboxMessage.objects.get()
    assert message.recipients() == ["anna@example.test"]
    assert "Bottega DE" in message.subject
    assert NotificationEmail.objects.get().sent_at == T0 + YEAR - 30 * DAY + dt.timedelta(hours=1)


@pytest.mark.django_db
def test_worker_died_holding_the_lease(
    clock: DrivenClock, make_user: Callable[..., Any], make_shop: Callable[..., Integration]
) -> None:
    user = make_user()
    make_shop(user.account)
    clock.set(T0 + YEAR - 30 * DAY)
    from colis.notifications import services

    real = services.notification_emails_send_pending
    services.notification_emails_send_pending = lambda **kw: 0  # type: ignore[assignment]
    try:
        import colis.integrations.lifecycle as lifecycle

        saved = lifecycle.notification_emails_send_pending
        lifecycle.notification_emails_send_pending = lambda **kw: 0  # type: ignore[assignment]
        try:
            integration_lifecycle_sweep()
        finally:
            lifecycle.notification_emails_send_pending = saved
    finally:
        services.notification_emails_send_pending = real
    # A worker took the lease and died before sending.
    NotificationEmail.objects.update(
        lease_owner="dead-worker", lease_until=clock.now() + dt.timedelta(minutes=5)
    )
    integration_lifecycle_sweep()
    assert len(mail.outbox) == 0  # the lease is still held
    clock.advance(dt.timedelta(minutes=6))
    integration_lifecycle_sweep()
    integration_lifecycle_sweep()
    assert len(mail.outbox) == 1
    row = NotificationEmail.objects.get()
    assert row.sent_at is not None and row.lease_owner == ""
