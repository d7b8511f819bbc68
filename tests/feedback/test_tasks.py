"""The outbox's Huey tasks are thin: they call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from colis.accounts.models import Account
from colis.feedback import tasks
from colis.feedback.models import FeedbackDelivery
from colis.integrations.models import Integration
from colis.shipping.models import ShippingMethod
from tests.feedback.conftest import Sandbox, mirror_order, ship

pytestmark = pytest.mark.django_db(transaction=True)


def test_sweep_task_enqueues_and_deliver_task_delivers(
    sandbox: Sandbox,
    account: Account,
    make_shop: Callable[..., Integration],
    method: ShippingMethod,
    enqueued: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = make_shop("eager")
    order = mirror_order(account, shop, sandbox.add_order())
    [parcel] = ship(account, order, method_id=method.id)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert enqueued == [delivery.id]  # the shipping flow's hook enqueued it after commit

    FeedbackDelivery.objects.filter(id=delivery.id).update(queued_until=None)
    enqueued.clear()
    tasks.feedback_sweep_task.call_local()
    assert enqueued == [delivery.id]
    tasks.feedback_sweep_task.call_local()
    assert enqueued == [delivery.id]  # queued: not enqueued twice

    monkeypatch.undo()  # the real task, run in this process
    real: Any = tasks.feedback_deliver_task
    real.call_local(delivery.id)
    delivery.refresh_from_db()
    assert delivery.state in (FeedbackDelivery.State.SENT, FeedbackDelivery.State.CONFIRMED)
    assert sandbox.summary(order.external_id) == {"accepted": 1}
