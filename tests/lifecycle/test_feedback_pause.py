"""Shipment feedback across an expiry: the sweep expires the shop, a label made meanwhile
owes a confirmation that waits (nothing sent, nothing dropped); `integration_renew` (MWS,
the same token) releases it after commit, and Amazon gets exactly one confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from amazon_sandbox import defaults
from colis.accounts.models import Account
from colis.feedback.models import FeedbackDelivery
from colis.integrations import lifecycle
from colis.integrations.lifecycle import integration_lifecycle_sweep
from colis.integrations.models import Integration
from colis.shipping import services as shipping
from colis.shipping.models import ShippingMethod
from tests.feedback.conftest import (  # noqa: F401 - shared fixtures
    SELLER,
    Sandbox,
    account,
    enqueued,
    make_shop,
    method,
    mirror_order,
    run_outbox,
    running_sandbox,
    sandbox,
    ship,
)

pytestmark = pytest.mark.django_db(transaction=True)
S = FeedbackDelivery.State


@pytest.fixture(autouse=True)
def _emails_sent_by_worker() -> None:
    """Overrides the lifecycle conftest's: these tests run on the real clock."""


def test_feedback_waits_while_expired_and_is_sent_once_after_renewal(
    sandbox: Sandbox,  # noqa: F811 - the feedback tests' fixtures
    account: Account,  # noqa: F811 - the feedback tests' fixtures
    make_shop: Callable[..., Integration],  # noqa: F811 - the feedback tests' fixtures
    method: ShippingMethod,  # noqa: F811 - the feedback tests' fixtures
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("colis.notifications.tasks.notification_email_send_task", lambda i: None)
    shop = make_shop("eager", mws=True)
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="DHL", shipping_method_name="Paket"
    )
    now = dt.datetime.now(dt.UTC)
    Integration.objects.filter(pk=shop.pk).update(
        authorized_at=now - dt.timedelta(days=365), expires_at=now - dt.timedelta(minutes=1)
    )
    assert integration_lifecycle_sweep().expired == [shop.pk]
    shop.refresh_from_db()
    assert shop.state == Integration.State.EXPIRED

    order = mirror_order(account, shop, sandbox.add_order())
    [parcel] = ship(account, order, method_id=method.id)
    run_outbox()
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert delivery.state == S.WAITING_AUTHORIZATION
    assert sandbox.summary(order.external_id) == {}

    grant = {"seller_id": SELLER.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID}
    sandbox.control("POST", "authorizations/renew", grant)
    renewed = lifecycle.integration_renew(account=account, integration_id=shop.pk)
    assert renewed.state == Integration.State.ACTIVE
    delivery.refresh_from_db()
    assert delivery.state == S.PENDING  # released by the renewal (after commit)
    run_outbox()  # MWS: the fulfillment feed is submitted...
    sandbox.control("POST", "clock", {"advance_seconds": 31})  # ...and processed in 30 s
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED, delivery.last_error
    assert sandbox.summary(order.external_id) == {"accepted": 1}
