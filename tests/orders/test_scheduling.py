"""Scheduling: due integrations are enqueued once per interval, through the real huey queue."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from colis.integrations.errors import IntegrationNotFound, InvalidIntegrationInput
from colis.integrations.models import Integration
from colis.integrations.tasks import integration_import_task, integrations_import_due_task
from colis.orders.models import Order
from colis.orders.services import (
    IntegrationNotActive,
    integration_reimport_from,
    integration_schedule_due,
    integration_sync_now,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(tmp_path: Any, monkeypatch: Any) -> Iterator[Any]:
    """colis' HUEY with its storage moved to a private queue (Redis db or SQLite file)."""
    import huey.contrib.djhuey as djhuey
    from huey.storage import RedisStorage, SqliteStorage

    # A worker closes stale connections around each task; here the task runs inside the
    # test's transaction, whose connection must stay open.
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)

    saved, immediate = HUEY.storage, HUEY.immediate
    HUEY.immediate = False
    name = f"colis-test-{uuid.uuid4().hex[:8]}"
    if os.environ.get("REDIS_URL"):
        HUEY.storage = RedisStorage(name=name, url=os.environ["REDIS_URL"])
    else:
        HUEY.storage = SqliteStorage(name=name, filename=str(tmp_path / "queue.sqlite3"))
    try:
        yield HUEY
    finally:
        HUEY.flush()
        HUEY.storage, HUEY.immediate = saved, immediate


def _drain(huey: Any) -> list[str]:
    """Run what the queue holds, as the worker would (dequeue, deserialize, execute)."""
    names = []
    while (task := huey.dequeue()) is not None:
        names.append(task.name)
        huey.execute(task)
    return names


def test_due_integrations_enqueued_once(
    make_integration: Any, django_capture_on_commit_callbacks: Any
) -> None:
    due = make_integration(first_import_days=1)
    later = make_integration(
        marketplace_id="APJ6JRA9NG5V4",
        next_import_at=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3),
    )
    revoked = make_integration(marketplace_id="A1F83G8C2ARO7P", state="revoked")
    with django_capture_on_commit_callbacks() as callbacks:
        first = integration_schedule_due()
        second = integration_schedule_due()  # a second scheduler in the same minute
    assert first == [due.id] and second == []
    assert len(callbacks) == 1
    due.refresh_from_db()
    assert due.next_import_at is not None
    assert due.next_import_at > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=4)
    assert later.id not in first and revoked.id not in first


def test_two_schedulers_racing_on_a_stale_read_enqueue_once(make_integration: Any) -> None:
    integration = make_integration(next_import_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
    now = dt.datetime.now(dt.UTC)
    # Scheduler B read the same due row but A's UPDATE landed first.
    Integration.objects.filter(id=integration.id).update(
        next_import_at=now + dt.timedelta(minutes=5)
    )
    assert integration_schedule_due(now=now) == []


def test_periodic_task_and_worker_import_through_the_queue(
    sandbox: Any, make_integration: Any, queue: Any, django_capture_on_commit_callbacks: Any
) -> None:
    integration = make_integration(first_import_days=30)
    with django_capture_on_commit_callbacks(execute=True):
        integrations_import_due_task.call_local()
    assert _drain(queue) == ["integration_import_task"]
    assert Order.objects.filter(integration=integration).exists()
    integration.refresh_from_db()
    assert integration.last_success_at is not None


def test_sync_now_and_reimport_enqueue_on_commit(
    sandbox: Any,
    make_integration: Any,
    make_user: Any,
    queue: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    integration = make_integration(first_import_days=1)
    account = integration.account
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        integration_sync_now(account=account, integration_id=integration.id)
        assert queue.pending_count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queue.pending_count() == 1
    _drain(queue)
    integration.refresh_from_db()
    few = Order.objects.filter(integration=integration).count()

    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        integration_reimport_from(account=account, integration_id=integration.id, since=since)
    _drain(queue)
    assert Order.objects.filter(integration=integration).count() > few

    stranger = make_user().account
    with pytest.raises(IntegrationNotFound):
        integration_sync_now(account=stranger, integration_id=integration.id)
    with pytest.raises(InvalidIntegrationInput):
        integration_reimport_from(
            account=account,
            integration_id=integration.id,
            since=dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2),
        )
    Integration.objects.filter(id=integration.id).update(state="expired")
    with pytest.raises(IntegrationNotActive):
        integration_sync_now(account=account, integration_id=integration.id)


def test_task_for_a_vanished_integration_does_nothing(queue: Any, db: Any) -> None:
    integration_import_task(987654)
    _drain(queue)
