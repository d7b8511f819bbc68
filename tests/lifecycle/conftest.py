"""Fixtures of the authorization lifecycle tests: a driven clock (colis reads the time only
through `colis.common.clock.now`), e-mails sent as the worker would after commit, shops."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from colis.integrations.models import Integration

# A whole hour, so that hourly sweeps land exactly on every reminder's threshold.
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
YEAR = dt.timedelta(days=365)


class DrivenClock:
    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def set(self, when: dt.datetime) -> dt.datetime:
        self.current = when
        return when

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        self.current += delta
        return self.current


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> DrivenClock:
    driven = DrivenClock(T0)
    monkeypatch.setattr("colis.common.clock.now", driven.now)
    return driven


@pytest.fixture(autouse=True)
def _emails_sent_by_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The huey task, run in-process (what a worker does after commit), not the real queue."""
    from colis.notifications import services

    enqueued: list[int] = []

    def task(email_id: int) -> None:
        enqueued.append(email_id)
        services.notification_email_send(email_id=email_id)

    monkeypatch.setattr("colis.notifications.tasks.notification_email_send_task", task)
    yield enqueued


@pytest.fixture
def make_shop() -> Callable[..., Integration]:
    def make(account: Any, **fields: Any) -> Integration:
        from colis.common import clock as colis_clock

        now = colis_clock.now()
        values: dict[str, Any] = {
            "name": "Bottega DE",
            "auth_kind": Integration.AuthKind.SPAPI_OAUTH,
            "seller_id": "A1SBXSELLERIT1",
            "marketplace_id": "A1PA6795UKMFR9",
            "country_code": "DE",
            "region": "EU",
            "credentials": {"refresh_token": "Atzr|lifecycle-test-token"},
            "authorized_at": now,
            "expires_at": now + YEAR,
        }
        values.update(fields)
        return Integration.objects.create(account=account, **values)

    return make
