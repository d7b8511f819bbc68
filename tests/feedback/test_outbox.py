"""The feedback outbox over real HTTP against the Amazon sandbox: exactly one shipment
confirmation per parcel reaches Amazon despite faults, crashes and expiry."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from amazon_sandbox import defaults
from colis.accounts.models import Account
from colis.common import clock
from colis.feedback import services as feedback
from colis.feedback.models import FeedbackAttempt, FeedbackDelivery
from colis.integrations.models import Integration
from colis.shipping import services as shipping
from colis.shipping.models import ShippingMethod
from tests.feedback.conftest import SELLER, Sandbox, mirror_order, run_outbox, ship

pytestmark = pytest.mark.django_db(transaction=True)
S = FeedbackDelivery.State
Shop = Callable[..., Integration]


def _one_order(sandbox: Sandbox, account: Account, shop: Integration, **kw: Any) -> Any:
    return mirror_order(account, shop, sandbox.add_order(**kw))


def test_eager_one_confirmation_right_after_the_label(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert (delivery.state, delivery.trigger, delivery.package_reference_id) == (
        S.PENDING,
        "label_created",
        "1",
    )
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    truth = sandbox.shipments(order.external_id)
    assert truth["summary"] == {"accepted": 1}
    body = truth["shipments"][0]["body"]["packageDetail"]
    assert body["carrierCode"] == "Other" and body["carrierName"] == "colis local"
    assert body["trackingNumber"] == parcel.tracking_number
    assert body["packageReferenceId"] == "1"
    assert [a.action for a in delivery.attempt_log.all()] == ["send", "read_back"]
    first = delivery.attempt_log.first()
    assert first is not None and "Lukas" not in str(first.request_summary)  # no PII


def test_mapped_carrier_code_is_sent(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="DHL", shipping_method_name="Paket"
    )
    order = _one_order(sandbox, account, shop)
    ship(account, order, method_id=method.id)
    run_outbox()
    [row] = sandbox.shipments(order.external_id)["shipments"]
    assert row["outcome"] == "accepted"
    assert row["body"]["packageDetail"]["carrierCode"] == "DHL"
    assert row["body"]["packageDetail"]["shippingMethod"] == "Paket"
    assert "carrierName" not in row["body"]["packageDetail"]


def test_delayed_waits_for_the_first_scan(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("delayed")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    feedback.feedback_sweep()
    run_outbox()
    assert not FeedbackDelivery.objects.exists()
    assert sandbox.summary(order.external_id) == {}
    shipping.parcel_local_advance(account=account, parcel_id=parcel.id, to="picked_up")
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert delivery.trigger == "first_scan"
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}


def test_none_never_sends(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("none")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    shipping.parcel_local_advance(account=account, parcel_id=parcel.id, to="in_transit")
    feedback.feedback_sweep()
    run_outbox()
    assert not FeedbackDelivery.objects.exists()
    assert sandbox.summary(order.external_id) == {}


def test_split_order_sends_one_package_per_parcel(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    skus = sandbox.skus()
    order = _one_order(sandbox, account, shop, items=[(skus[1], 2), (skus[2], 1)])
    a, b = order.items.order_by("id")
    parcels = ship(
        account,
        order,
        method_id=method.id,
        items=[
            [{"order_item_id": a.id, "quantity": 1}],
            [{"order_item_id": a.id, "quantity": 1}, {"order_item_id": b.id, "quantity": 1}],
        ],
    )
    assert len(parcels) == 2
    run_outbox()
    rows = sandbox.shipments(order.external_id)["shipments"]
    assert [r["outcome"] for r in rows] == ["accepted", "accepted"]
    sent = {
        r["body"]["packageDetail"]["packageReferenceId"]: r["body"]["packageDetail"]["orderItems"]
        for r in rows
    }
    assert sent == {
        "1": [{"orderItemId": a.external_id, "quantity": 1}],
        "2": [
            {"orderItemId": a.external_id, "quantity": 1},
            {"orderItemId": b.external_id, "quantity": 1},
        ],
    }
    assert set(FeedbackDelivery.objects.values_list("state", flat=True)) == {S.CONFIRMED}


def test_bad_carrier_code_fails_with_amazons_reason_then_retry_after_fix(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="Mondial Relay"
    )
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    run_outbox()
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert delivery.state == S.FAILED
    assert "carrierCode" in delivery.amazon_reason and "Mondial Relay" in delivery.amazon_reason
    assert delivery.attempts == 1  # no automatic retry of a 400
    assert sandbox.summary(order.external_id) == {"rejected": 1}

    shipping.amazon_carrier_mapping_set(account=account, method_id=method.id, carrier_code="DHL")
    feedback.feedback_retry(account=account, delivery_id=delivery.id)
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED and delivery.amazon_reason == ""
    assert sandbox.summary(order.external_id) == {"rejected": 1, "accepted": 1}


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_errors_are_retried_and_amazon_gets_one(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod, kind: str
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    sandbox.fault("confirmShipment", kind, 1)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.PENDING
    assert feedback.feedback_deliver(delivery_id=delivery.id) in (S.PENDING, S.IN_FLIGHT)
    time.sleep(0.1)
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.PENDING
    delivery.refresh_from_db()
    assert delivery.outcome_unknown and delivery.attempts >= 2
    sandbox.clear_faults()
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}  # duplicates: none
    actions = list(delivery.attempt_log.values_list("action", "outcome"))
    assert ("read_back", "absent") in actions  # read back before sending again


def test_timeout_is_read_back_then_sent_once(
    sandbox: Sandbox,
    account: Account,
    make_shop: Shop,
    method: ShippingMethod,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A time-out leaves the outcome unknown: the next try reads back first. (The sandbox's
    latency comes before it reads the body, so here Amazon did not keep it; the case where
    Amazon kept it is the crash test below.)"""
    from colis.marketplaces.amazon import client

    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    monkeypatch.setattr(client, "TIMEOUT", httpx.Timeout(0.3))
    sandbox.fault("confirmShipment", "latency", 0.8)
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.PENDING
    delivery.refresh_from_db()
    assert delivery.outcome_unknown and "in time" in delivery.last_error
    time.sleep(0.8)
    sandbox.clear_faults()
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}
    assert list(delivery.attempt_log.values_list("action", "outcome")) == [
        ("send", "unknown"),
        ("read_back", "absent"),
        ("send", "accepted"),
        ("read_back", "present"),
    ]


def test_throttled_calls_are_retried(
    running_sandbox: Sandbox,
    account: Account,
    make_shop: Shop,
    method: ShippingMethod,
    settings: Any,
    tmp_path: Any,
) -> None:
    """A sandbox at Amazon's real confirmShipment plan (2/s, burst 10) and a colis limiter
    that does not pace: the 429s come back, and each parcel still reaches Amazon once."""
    from amazon_sandbox.runner import start_sandbox
    from tests.feedback.conftest import configure

    # Half Amazon's refill (1/s after the burst of 10): throttling is certain, not timing.
    sb = Sandbox(start_sandbox(seed=6, orders=5, time_scale=0.5, rate_limits=True))
    try:
        configure(settings, sb.url)
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.COLIS_FEEDBACK_THROTTLE_SECONDS = 0.4
        shop = make_shop("eager")
        orders = [_one_order(sb, account, shop) for _ in range(13)]
        for order in orders:
            ship(account, order, method_id=method.id)
        run_outbox(rounds=200)
        throttled = FeedbackAttempt.objects.filter(outcome="throttled").count()
        assert throttled > 0
        assert set(FeedbackDelivery.objects.values_list("state", flat=True)) == {S.CONFIRMED}
        summary = sb.control("GET", "shipments")["summary"]
        assert summary == {"accepted": 13}
    finally:
        sb.http.close()
        sb.running.stop()


class Crash(BaseException):
    """A worker dying between Amazon's answer and the record of it."""


def test_crash_after_the_call_before_the_record_is_not_sent_twice(
    sandbox: Sandbox,
    account: Account,
    make_shop: Shop,
    method: ShippingMethod,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)

    real = feedback._attempt

    def crash_after_send(d: Any, action: str, *a: Any, **kw: Any) -> None:
        if action == "send":
            raise Crash
        real(d, action, *a, **kw)

    monkeypatch.setattr(feedback, "_attempt", crash_after_send)
    with pytest.raises(Crash):
        feedback.feedback_deliver(delivery_id=delivery.id)
    monkeypatch.setattr(feedback, "_attempt", real)
    delivery.refresh_from_db()
    assert delivery.state == S.IN_FLIGHT and delivery.outcome_unknown
    assert sandbox.summary(order.external_id) == {"accepted": 1}

    # Another worker, while the lease holds: nothing. Once it lapsed: read back, no re-send.
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.IN_FLIGHT
    later = clock.now() + feedback.LEASE + dt.timedelta(seconds=1)
    assert delivery.id in feedback.feedback_due(now=later)
    assert feedback.feedback_deliver(delivery_id=delivery.id, now=later) == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}


def test_silent_drop_is_flagged_and_retried(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    sandbox.fault("confirmShipment", "silent_drop", 1)
    run_outbox()
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert delivery.state == S.DROPPED
    assert "does not show" in delivery.last_error
    sandbox.clear_faults()
    feedback.feedback_retry(account=account, delivery_id=delivery.id)
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"dropped": 1, "accepted": 1}


def test_expired_authorization_waits_then_resumes_after_renewal(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    grant = {"seller_id": SELLER.selling_partner_id, "application_id": defaults.APPLICATION_ID}
    sandbox.control("POST", "authorizations/expire", grant)
    try:
        [parcel] = ship(account, order, method_id=method.id)
        run_outbox()
        delivery = FeedbackDelivery.objects.get(parcel=parcel)
        shop.refresh_from_db()
        assert delivery.state == S.WAITING_AUTHORIZATION
        # LWA answers invalid_grant; the client reads it as expired or revoked.
        assert shop.state in (Integration.State.EXPIRED, Integration.State.REVOKED)
        assert sandbox.summary(order.external_id) == {}
        # The sweep leaves it alone while the shop is expired.
        feedback.feedback_sweep()
        run_outbox()
        delivery.refresh_from_db()
        assert delivery.state == S.WAITING_AUTHORIZATION
    finally:
        sandbox.control("POST", "authorizations/renew", grant)
    Integration.objects.filter(id=shop.id).update(state=Integration.State.ACTIVE)
    assert feedback.feedback_resume_for_integration(integration_id=shop.id) == 1
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}


def test_mws_feed_path(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager", mws=True)
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="DHL", shipping_method_name="Paket"
    )
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    delivery = FeedbackDelivery.objects.get(parcel=parcel)
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.SENT
    delivery.refresh_from_db()
    assert delivery.submission_id
    # Not processed yet (30 s on the sandbox clock): still sent, asked again later.
    assert feedback.feedback_deliver(delivery_id=delivery.id) == S.SENT
    sandbox.control("POST", "clock", {"advance_seconds": 31})
    run_outbox()
    delivery.refresh_from_db()
    assert delivery.state == S.CONFIRMED
    [row] = sandbox.shipments(order.external_id)["shipments"]
    assert (row["outcome"], row["source"]) == ("accepted", "mws-feed")
    assert row["body"]["packageDetail"]["carrierCode"] == "DHL"
    assert row["body"]["packageDetail"]["packageReferenceId"] == "1"


def test_sweep_makes_a_delivery_the_shipping_flow_missed(
    sandbox: Sandbox, account: Account, make_shop: Shop, method: ShippingMethod
) -> None:
    shop = make_shop("eager")
    order = _one_order(sandbox, account, shop)
    [parcel] = ship(account, order, method_id=method.id)
    FeedbackDelivery.objects.all().delete()  # as if the process died after the label
    [made] = feedback.feedback_sweep()
    assert FeedbackDelivery.objects.get(id=made).parcel_id == parcel.id
    assert feedback.feedback_sweep() == []  # queued: not enqueued again for a while
    run_outbox()
    assert FeedbackDelivery.objects.get(parcel=parcel).state == S.CONFIRMED
    assert sandbox.summary(order.external_id) == {"accepted": 1}


def test_lean_facts_match_the_shipping_selector(
    account: Account, make_shop: Shop, method: ShippingMethod, settings: Any, tmp_path: Any
) -> None:
    """The outbox's narrow read gives what `parcel_amazon_shipment` gives, mapping or not."""
    from colis.feedback.selectors import parcel_shipment_facts
    from colis.shipping.selectors import parcel_amazon_shipment

    settings.MEDIA_ROOT = tmp_path / "media"
    shop = make_shop("none")
    truth = {
        "orderId": "303-0000001-0000001",
        "orderItems": [
            {"orderItemId": "11111111111111", "quantityOrdered": 2, "product": {"sellerSku": "A"}},
            {"orderItemId": "22222222222222", "quantityOrdered": 1, "product": {"sellerSku": "B"}},
        ],
    }
    order = mirror_order(account, shop, truth)
    [parcel] = ship(account, order, method_id=method.id)

    def same() -> None:
        lean = parcel_shipment_facts(parcel_id=parcel.id)
        assert lean.shipment == parcel_amazon_shipment(account=account, parcel_id=parcel.id)
        assert (lean.order_external_id, lean.marketplace_id) == (
            order.external_id,
            order.marketplace_id,
        )

    same()  # the demo's "Other" + "colis local"
    method.amazon_mappings.all().delete()
    same()  # no mapping: "Other" + the carrier account's name
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="DHL", shipping_method_name="Paket"
    )
    same()
    shipping.amazon_carrier_mapping_set(
        account=account,
        method_id=method.id,
        carrier_code="Other",
        carrier_name="Hermes DE",
        marketplace_id=order.marketplace_id,
    )
    same()
