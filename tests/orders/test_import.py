"""The import pipeline against the real sandbox over HTTP, through the real connector."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem, Product
from colis.orders.services import (
    CANCELLED_AFTER_IMPORT,
    integration_lease_take,
    order_import_run,
    product_set_weight,
)
from colis.orders.weights import WEIGHT_MISSING, InvalidWeight
from tests.orders.conftest import DE, SELLER, expected_ids

pytestmark = pytest.mark.django_db


def _ids(integration: Integration) -> list[str]:
    return list(Order.objects.filter(integration=integration).values_list("external_id", flat=True))


def test_first_import_matches_the_sandbox(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    result = order_import_run(integration_id=integration.id)
    assert result.status == "ok", result.reason
    truth = sandbox.truth()
    want = expected_ids(truth, after=result.started_from)
    got = _ids(integration)
    assert len(got) == len(set(got))
    assert set(got) == want
    assert result.created == len(want) > 10
    by_id = {o["orderId"]: o for o in truth}
    for order in Order.objects.filter(integration=integration).prefetch_related("items"):
        src = by_id[order.external_id]
        assert order.account_id == integration.account_id
        assert sorted(i.external_id for i in order.items.all()) == sorted(
            i["orderItemId"] for i in src["orderItems"]
        )
        assert not order.fulfilled_by_marketplace
    integration.refresh_from_db()
    assert integration.cursor is not None
    assert integration.last_success_at is not None
    assert integration.consecutive_failures == 0 and integration.last_error == ""
    assert integration.resume_token == "" and integration.resume_from is None
    assert integration.lock_owner == "" and integration.locked_until is None
    assert integration.imported_orders == len(want)


def test_rerun_duplicates_nothing_and_counts_updates(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    first = order_import_run(integration_id=integration.id)
    count = Order.objects.filter(integration=integration).count()
    items = OrderItem.objects.filter(order__integration=integration).count()
    second = order_import_run(integration_id=integration.id)
    assert second.status == "ok"
    assert second.created == 0
    assert Order.objects.filter(integration=integration).count() == count == first.created
    assert OrderItem.objects.filter(order__integration=integration).count() == items
    # A re-import from a date re-reads everything and still creates nothing.
    third = order_import_run(
        integration_id=integration.id, since=dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    )
    assert third.status == "ok" and third.created == 0 and third.updated == count
    integration.refresh_from_db()
    assert integration.imported_orders == count


def test_incremental_import_follows_status_changes(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    first = order_import_run(integration_id=integration.id)
    open_orders = list(
        Order.objects.filter(
            integration=integration, status="unshipped", buyer_cancel_requested=False
        )
        .order_by("external_id")
        .values_list("external_id", flat=True)
    )
    cancelled, buyer_cancel = open_orders[0], open_orders[1]
    sandbox.control("POST", f"orders/{cancelled}/cancel")
    sandbox.control("POST", f"orders/{buyer_cancel}/buyer-cancel")
    # Two days pass on Amazon's side: scheduled changes happen, new orders arrive.
    sandbox.advance(2 * 86400)
    second = order_import_run(integration_id=integration.id)
    assert second.status == "ok"
    assert second.started_from is not None and integration.cursor is None
    integration.refresh_from_db()
    assert second.started_from < integration.cursor  # type: ignore[operator]

    order = Order.objects.get(integration=integration, external_id=cancelled)
    assert order.status == "cancelled" and order.has_error and not order.shippable
    assert CANCELLED_AFTER_IMPORT in {e["code"] for e in order.errors}
    order = Order.objects.get(integration=integration, external_id=buyer_cancel)
    assert order.buyer_cancel_requested and not order.shippable and order.has_error
    assert "buyer_cancel_requested" in {e["code"] for e in order.errors}

    truth = {o["orderId"]: o for o in sandbox.truth()}
    want = expected_ids(list(truth.values()), after=first.started_from)
    assert set(_ids(integration)) == want
    status_map = {
        "Pending": "pending",
        "Unshipped": "unshipped",
        "Shipped": "shipped",
        "Canceled": "cancelled",
        "PartiallyShipped": "partially_shipped",
    }
    for ext, status, flagged in Order.objects.filter(integration=integration).values_list(
        "external_id", "status", "buyer_cancel_requested"
    ):
        assert status == status_map[truth[ext]["_sandbox"]["status"]], ext
        assert flagged == truth[ext]["_sandbox"]["buyer_requested_cancel"], ext


def test_missing_weight_error_is_cleared_by_a_manual_weight(
    sandbox: Any, make_integration: Any
) -> None:
    skus = sandbox.control("GET", "skus", seller_id=SELLER.selling_partner_id)["skus"]
    weightless = next(s for s in skus if not s["catalog_weight"] and not s["listing_weight"])
    weighted = next(s for s in skus if s["catalog_weight"])
    ids = sandbox.control(
        "POST",
        "orders",
        {
            "seller_id": SELLER.selling_partner_id,
            "marketplace_id": DE,
            "count": 2,
            "items": [
                {"sku": weightless["sku"], "quantity": 2},
                {"sku": weighted["sku"], "quantity": 1},
            ],
        },
    )["order_ids"]
    integration = make_integration(first_import_days=2)
    result = order_import_run(integration_id=integration.id)
    assert result.status == "ok" and result.weights_fetched > 0
    orders = Order.objects.filter(integration=integration, external_id__in=ids)
    assert orders.count() == 2
    for order in orders:
        assert order.weight_grams is None and order.has_error
        assert {"code": WEIGHT_MISSING, "sku": weightless["sku"]}.items() <= next(
            e for e in order.errors if e["code"] == WEIGHT_MISSING
        ).items()
    product = Product.objects.get(account=integration.account, sku=weighted["sku"])
    assert product.weight_source == "amazon_catalog" and product.weight_grams
    missing = Product.objects.get(account=integration.account, sku=weightless["sku"])
    assert missing.weight_grams is None and missing.missing_checked_at is not None

    calls_before = sandbox.calls()["operations"]
    # A second run does not ask Amazon again for the missing weight (checked recently).
    order_import_run(integration_id=integration.id)
    calls_after = sandbox.calls()["operations"]
    for op in ("searchCatalogItems", "getListingsItem"):
        assert calls_after.get(op, {}).get("count", 0) == calls_before.get(op, {}).get("count", 0)

    with pytest.raises(InvalidWeight):
        product_set_weight(account=integration.account, sku=weightless["sku"], grams=0)
    with pytest.raises(InvalidWeight):
        product_set_weight(account=integration.account, sku=weightless["sku"], grams=70_001)
    product_set_weight(account=integration.account, sku=weightless["sku"], grams=250)
    for order in Order.objects.filter(
        integration=integration, external_id__in=ids
    ).prefetch_related("items"):
        assert WEIGHT_MISSING not in {e["code"] for e in order.errors}
        assert order.weight_grams == 250 * 2 + product.weight_grams
        sources = {i.sku: i.weight_source for i in order.items.all()}
        assert sources == {weightless["sku"]: "manual", weighted["sku"]: "amazon_catalog"}
    # The manual weight wins over Amazon's and survives later imports.
    product_set_weight(account=integration.account, sku=weighted["sku"], grams=999)
    order_import_run(integration_id=integration.id)
    assert Product.objects.get(account=integration.account, sku=weighted["sku"]).weight_grams == 999
    order = Order.objects.get(integration=integration, external_id=ids[0])
    assert order.weight_grams == 250 * 2 + 999 and not any(
        e["code"] == WEIGHT_MISSING for e in order.errors
    )


def test_default_weight_fills_in_when_opted_in(sandbox: Any, make_integration: Any) -> None:
    skus = sandbox.control("GET", "skus", seller_id=SELLER.selling_partner_id)["skus"]
    weightless = next(s for s in skus if not s["catalog_weight"] and not s["listing_weight"])
    [order_id] = sandbox.control(
        "POST",
        "orders",
        {
            "seller_id": SELLER.selling_partner_id,
            "marketplace_id": DE,
            "items": [{"sku": weightless["sku"], "quantity": 3}],
        },
    )["order_ids"]
    integration = make_integration(first_import_days=1, default_weight_grams=400)
    assert order_import_run(integration_id=integration.id).status == "ok"
    order = Order.objects.get(integration=integration, external_id=order_id)
    assert order.weight_grams == 1200 and not order.has_error
    assert order.items.get().weight_source == "default"


def test_weights_not_imported_when_switched_off(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30, import_weight=False)
    assert order_import_run(integration_id=integration.id).status == "ok"
    ops = sandbox.calls()["operations"]
    assert "searchCatalogItems" not in ops and "getListingsItem" not in ops
    assert (
        not Order.objects.filter(integration=integration, status="unshipped", has_error=False)
        .exclude(buyer_cancel_requested=True)
        .filter(weight_grams__isnull=False)
        .exists()
    )


def test_amazon_fulfilled_orders_are_skipped_unless_asked(
    sandbox: Any, make_integration: Any, make_user: Any
) -> None:
    integration = make_integration(first_import_days=30)
    result = order_import_run(integration_id=integration.id)
    assert not Order.objects.filter(integration=integration, fulfilled_by_marketplace=True).exists()

    other = make_user().account
    with_afn = make_integration(account=other, first_import_days=30, import_afn=True)
    result = order_import_run(integration_id=with_afn.id)
    assert result.status == "ok"
    truth = sandbox.truth()
    assert set(_ids(with_afn)) == expected_ids(truth, after=result.started_from, afn=True)
    afn = Order.objects.filter(integration=with_afn, fulfilled_by_marketplace=True)
    assert afn.exists()
    for order in afn:
        assert not order.shippable  # read-only
        assert WEIGHT_MISSING not in {e.get("code") for e in order.errors}


def test_prime_orders_held_when_asked(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30, hold_prime=True)
    assert order_import_run(integration_id=integration.id).status == "ok"
    prime = Order.objects.filter(integration=integration, is_prime=True)
    assert prime.exists()
    assert all(o.on_hold for o in prime)
    assert not Order.objects.filter(integration=integration, is_prime=False, on_hold=True).exists()


def test_only_active_integrations_import(sandbox: Any, make_integration: Any) -> None:
    for state, word in (
        ("expired", "expired"),
        ("revoked", "revoked"),
        ("disconnected", "disconnected"),
    ):
        integration = make_integration(state=state, name=state)
        result = order_import_run(integration_id=integration.id)
        assert result.status == "skipped" and word in result.reason.lower()
        assert not Order.objects.filter(integration=integration).exists()
        integration.delete()
    assert sandbox.calls()["total"] == 0


def test_one_import_at_a_time_and_lapsed_leases(
    sandbox: Any, make_integration: Any, settings: Any
) -> None:
    integration = make_integration(first_import_days=30)
    now = dt.datetime.now(dt.UTC)
    assert integration_lease_take(integration_id=integration.id, owner="other-worker", now=now)
    result = order_import_run(integration_id=integration.id)
    assert result.status == "skipped" and "running" in result.reason
    assert not Order.objects.filter(integration=integration).exists()
    # The other worker died: its lease lapses and the next run proceeds.
    Integration.objects.filter(id=integration.id).update(locked_until=now - dt.timedelta(seconds=1))
    assert order_import_run(integration_id=integration.id).status == "ok"
    integration.refresh_from_db()
    assert integration.lock_owner == ""


def test_revoked_authorization_is_recorded_not_silent(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    sandbox.control("POST", "authorizations/revoke", {"seller_id": SELLER.selling_partner_id})
    result = order_import_run(integration_id=integration.id)
    assert result.status == "failed"
    integration.refresh_from_db()
    assert integration.state == "revoked"
    assert integration.consecutive_failures == 1 and integration.failing_since is not None
    assert "authoriz" in integration.last_error.lower()
    assert SELLER.refresh_token not in integration.last_error
    assert order_import_run(integration_id=integration.id).status == "skipped"


def test_tenant_isolation(sandbox: Any, make_integration: Any, make_user: Any) -> None:
    a = make_integration(first_import_days=30)
    other = make_user().account
    b = make_integration(account=other, first_import_days=30)
    assert order_import_run(integration_id=a.id).status == "ok"
    assert order_import_run(integration_id=b.id).status == "ok"
    assert set(_ids(a)) == set(_ids(b))
    assert not Order.objects.filter(integration=a).exclude(account=a.account).exists()
    assert not OrderItem.objects.filter(order__integration=b).exclude(account=other).exists()
    sku = OrderItem.objects.filter(order__integration=a).values_list("sku", flat=True).first()
    assert sku is not None
    product_set_weight(account=a.account, sku=sku, grams=12_345)
    assert not Product.objects.filter(account=other, weight_source="manual").exists()
    assert not OrderItem.objects.filter(account=other, weight_grams=12_345).exists()
    assert Counter(Order.objects.values_list("account_id", flat=True)) == {
        a.account_id: len(_ids(a)),
        other.id: len(_ids(b)),
    }
