"""Amazon misbehaving (sandbox faults): every failure is recorded in plain words, the worker
never crashes, and the next run loses nothing and duplicates nothing."""

from __future__ import annotations

from typing import Any

import pytest

from colis.integrations.models import Integration
from colis.orders.models import Order
from colis.orders.services import order_import_run
from tests.orders.conftest import SELLER, expected_ids

pytestmark = pytest.mark.django_db


def _check_complete(sandbox: Any, integration: Integration, after: Any) -> None:
    got = list(Order.objects.filter(integration=integration).values_list("external_id", flat=True))
    assert len(got) == len(set(got))
    assert set(got) == expected_ids(sandbox.truth(), after=after)


@pytest.mark.parametrize("kind", ["500", "503", "malformed", "disconnect"])
def test_failure_is_recorded_then_the_next_run_completes(
    sandbox_factory: Any, settings: Any, make_integration: Any, kind: str
) -> None:
    from tests.orders.conftest import point_at

    sandbox = sandbox_factory(orders=300)
    point_at(settings, sandbox.url)
    integration = make_integration(first_import_days=30)
    sandbox.fault("searchOrders", kind, 1)
    first = order_import_run(integration_id=integration.id)
    assert first.status == "failed" and first.reason
    integration.refresh_from_db()
    assert integration.state == "active"  # never silently disabled
    assert integration.consecutive_failures == 1
    since = integration.failing_since
    assert since is not None and integration.last_error == first.reason
    assert "searchOrders" in integration.last_error
    assert SELLER.refresh_token not in integration.last_error
    assert integration.cursor is None and integration.lock_owner == ""
    assert integration.next_import_at is not None  # retried later, with a back-off

    if kind == "503":  # failures count up; the first failure's date is kept
        second = order_import_run(integration_id=integration.id)
        assert second.status == "failed"
        integration.refresh_from_db()
        assert integration.consecutive_failures == 2 and integration.failing_since == since

    sandbox.clear_faults()
    third = order_import_run(integration_id=integration.id)
    assert third.status == "ok", third.reason
    integration.refresh_from_db()
    assert integration.consecutive_failures == 0 and integration.failing_since is None
    assert integration.last_error == "" and integration.last_success_at is not None
    _check_complete(sandbox, integration, third.started_from)


def test_failure_mid_run_resumes_from_the_last_committed_page(
    sandbox_factory: Any, settings: Any, make_integration: Any
) -> None:
    from tests.orders.conftest import point_at

    sandbox = sandbox_factory(orders=2400)
    point_at(settings, sandbox.url)
    integration = make_integration(first_import_days=30)
    pages: list[int] = []

    def after_page(written: int) -> None:
        pages.append(written)
        if len(pages) == 2:  # Amazon starts failing after two committed pages
            sandbox.fault("searchOrders", "503", 1)

    first = order_import_run(integration_id=integration.id, progress=after_page)
    assert first.status == "failed" and first.pages == 2
    integration.refresh_from_db()
    committed = Order.objects.filter(integration=integration).count()
    assert committed == sum(pages) == first.created > 100
    assert integration.resume_token and integration.resume_from == first.started_from
    assert integration.cursor is None  # the cursor waits for the whole run

    sandbox.clear_faults()
    sandbox.control("DELETE", "calls")
    second = order_import_run(integration_id=integration.id)
    assert second.status == "ok"
    assert second.started_from == first.started_from  # resumed, not restarted
    assert second.created == second.orders  # the committed pages are not fetched again
    integration.refresh_from_db()
    assert integration.resume_token == "" and integration.cursor is not None
    _check_complete(sandbox, integration, first.started_from)


def test_expired_page_token_restarts_the_window(
    sandbox_factory: Any, settings: Any, make_integration: Any
) -> None:
    from tests.orders.conftest import point_at

    sandbox = sandbox_factory(orders=2400)
    point_at(settings, sandbox.url)
    integration = make_integration(first_import_days=30)
    pages: list[int] = []

    def after_page(written: int) -> None:
        pages.append(written)
        if len(pages) == 1:
            sandbox.fault("searchOrders", "503", 1)

    first = order_import_run(integration_id=integration.id, progress=after_page)
    assert first.status == "failed"
    sandbox.clear_faults()
    sandbox.advance(25 * 3600)  # pagination tokens live 24 h
    second = order_import_run(integration_id=integration.id)
    assert second.status == "ok", second.reason
    got = list(Order.objects.filter(integration=integration).values_list("external_id", flat=True))
    assert len(got) == len(set(got))
    assert set(got) == expected_ids(sandbox.truth(), after=first.started_from)


def test_throttling_is_absorbed(sandbox_factory: Any, settings: Any, make_integration: Any) -> None:
    """Amazon answers 429 (the bucket was emptied by another app instance): colis waits
    for the refill and carries on; nothing is lost."""
    from tests.orders.conftest import point_at

    sandbox = sandbox_factory(orders=300, rate_limits=True, time_scale=100)
    point_at(settings, sandbox.url)
    integration = make_integration(first_import_days=30)
    # A first import: colis learns the (scaled) rate from x-amzn-RateLimit-Limit.
    first = order_import_run(integration_id=integration.id)
    assert first.status == "ok"
    sandbox.control("DELETE", "calls")
    state = sandbox.running.state
    # Empty the sandbox's searchOrders bucket behind colis' back.
    from amazon_sandbox.constants import SPAPI_RATE_PLANS

    plan = SPAPI_RATE_PLANS["searchOrders"]
    app_id = sandbox.control("GET", "identity")["application"]["application_id"]
    key = (SELLER.selling_partner_id, app_id, "searchOrders")
    while state.limiter.take(key, plan):
        pass
    result = order_import_run(integration_id=integration.id)
    assert result.status == "ok", result.reason
    ops = sandbox.calls()["operations"]
    assert ops["searchOrders"]["throttled"] >= 1
    _check_complete(sandbox, integration, first.started_from)


def test_slow_amazon_times_out_visibly(
    sandbox_factory: Any, settings: Any, make_integration: Any, monkeypatch: Any
) -> None:
    """A call that does not answer within the client's time-out is a recorded failure."""
    import httpx

    from colis.marketplaces.amazon import client as amazon_client
    from tests.orders.conftest import point_at

    monkeypatch.setattr(amazon_client, "TIMEOUT", httpx.Timeout(0.3, connect=0.3))
    sandbox = sandbox_factory(orders=300)
    point_at(settings, sandbox.url)
    integration = make_integration(first_import_days=30)
    sandbox.fault("searchOrders", "latency", 1.0)
    result = order_import_run(integration_id=integration.id)
    assert result.status == "failed"
    integration.refresh_from_db()
    assert "time" in integration.last_error.lower() and integration.consecutive_failures == 1
    sandbox.clear_faults()
    result = order_import_run(integration_id=integration.id)
    assert result.status == "ok"
    _check_complete(sandbox, integration, result.started_from)
