"""Feedback tests: a real Amazon sandbox on loopback (one per module), colis pointed at it,
orders added in the sandbox and mirrored as colis rows, parcels made with the local
carrier through the shipping services (so the shipping flow owes the feedback)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import count
from typing import Any

import httpx
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.accounts.models import Account, User
from colis.feedback import services as feedback
from colis.feedback.models import FeedbackDelivery
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem
from colis.shipping import services as shipping
from colis.shipping.models import Parcel, ShippingMethod

SELLER = defaults.SELLER_1  # IT, DE, UK
DE = "A1PA6795UKMFR9"
_seq = count(1)


class Sandbox:
    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.url = running.url
        self.http = httpx.Client(base_url=running.url, timeout=30)

    def control(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        r = self.http.request(method, f"/_sandbox/{path}", json=json, params=params or None)
        assert r.status_code < 300, r.text
        return r.json()

    def fault(self, operation: str, kind: str, value: float) -> None:
        self.control("POST", "faults", {"operation": operation, "kind": kind, "value": value})

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def shipments(self, order_id: str) -> dict[str, Any]:
        return self.control("GET", "shipments", order_id=order_id)

    def summary(self, order_id: str) -> dict[str, int]:
        return dict(self.shipments(order_id)["summary"])

    def add_order(self, *, items: list[tuple[str, int]] | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "seller_id": SELLER.selling_partner_id,
            "marketplace_id": DE,
            "count": 1,
        }
        if items:
            body["items"] = [{"sku": s, "quantity": q} for s, q in items]
        [order_id] = self.control("POST", "orders", body)["order_ids"]
        return dict(self.control("GET", f"orders/{order_id}"))

    def skus(self) -> list[str]:
        rows = self.control("GET", "skus", seller_id=SELLER.selling_partner_id)["skus"]
        return [r["sku"] for r in rows]


@pytest.fixture(scope="module")
def running_sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(start_sandbox(seed=5, orders=20, time_scale=1000, rate_limits=True))
    yield sb
    sb.http.close()
    sb.running.stop()


def configure(settings: Any, url: str) -> None:
    settings.COLIS_AMAZON_DEVELOPER_ID = defaults.MWS_DEVELOPER_ID
    settings.COLIS_AMAZON_APP_ID = defaults.APPLICATION_ID
    settings.COLIS_AMAZON_LWA_CLIENT_ID = defaults.LWA_CLIENT_ID
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = defaults.LWA_CLIENT_SECRET
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = defaults.MWS_ACCESS_KEY_ID
    settings.COLIS_AMAZON_MWS_SECRET_KEY = defaults.MWS_SECRET_KEY
    settings.COLIS_AMAZON_SPAPI_URL = url
    settings.COLIS_AMAZON_LWA_URL = url
    settings.COLIS_AMAZON_MWS_URL = url
    settings.COLIS_AMAZON_ORDERS_API = "2026-01-01"
    settings.COLIS_AMAZON_RATE_SCALE = 1000
    settings.COLIS_RATE_LIMIT_REDIS_URL = None
    # Fast outbox: read back at once, retry after ~10 ms.
    settings.COLIS_FEEDBACK_VERIFY_SECONDS = 0
    settings.COLIS_FEEDBACK_BACKOFF_SECONDS = 0.01
    settings.COLIS_FEEDBACK_BACKOFF_CAP_SECONDS = 0.05


@pytest.fixture(autouse=True)
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Delivery tasks the services enqueue (after commit), recorded instead of queued:
    the tests run the outbox themselves (`run_outbox`)."""
    from colis.feedback import tasks

    calls: list[int] = []
    monkeypatch.setattr(tasks, "feedback_deliver_task", calls.append)
    return calls


@pytest.fixture
def sandbox(running_sandbox: Sandbox, settings: Any, tmp_path: Any) -> Iterator[Sandbox]:
    configure(settings, running_sandbox.url)
    settings.MEDIA_ROOT = tmp_path / "media"
    running_sandbox.clear_faults()
    yield running_sandbox
    running_sandbox.clear_faults()


@pytest.fixture
def account(make_user: Callable[..., User]) -> Account:
    user = make_user(ready=True)
    assert user.account is not None
    return user.account


@pytest.fixture
def make_shop(account: Account) -> Callable[..., Integration]:
    def make(feedback_type: str = "eager", *, mws: bool = False) -> Integration:
        n = next(_seq)
        credentials: Any = (
            {"mws_auth_token": SELLER.mws_auth_token}
            if mws
            else {"refresh_token": SELLER.refresh_token}
        )
        return Integration.objects.create(
            account=account,
            name=f"Amazon DE {n}",
            auth_kind=Integration.AuthKind.MWS if mws else Integration.AuthKind.SPAPI_OAUTH,
            seller_id=SELLER.selling_partner_id,
            marketplace_id=DE,
            region="EU",
            feedback_type=feedback_type,
            credentials=credentials,
            state=Integration.State.ACTIVE,
        )

    return make


@pytest.fixture
def method(account: Account, make_shop: Callable[..., Integration]) -> ShippingMethod:
    return shipping.shipping_seed_demo(account=account)  # "Other" + "colis local"


def mirror_order(account: Account, shop: Integration, truth: dict[str, Any]) -> Order:
    """The colis row of a sandbox order (as an import would make it), cheaply."""
    now = dt.datetime.now(dt.UTC)
    order = Order.objects.create(
        account=account,
        integration=shop,
        external_id=truth["orderId"],
        marketplace_id=DE,
        status=Order.Status.UNSHIPPED,
        marketplace_status="Unshipped",
        purchased_at=now,
        marketplace_updated_at=now,
        order_total=Decimal("10.00"),
        currency="EUR",
        recipient_country="DE",
        recipient_postal_code="50667",
        recipient_city="Köln",
        recipient_name="Lukas Großmann",
        recipient_lines="Hauptstraße 59",
        weight_grams=500,
    )
    for item in truth["orderItems"]:
        OrderItem.objects.create(
            account=account,
            order=order,
            external_id=item["orderItemId"],
            sku=item["product"]["sellerSku"],
            quantity=item["quantityOrdered"],
            weight_grams=100,
        )
    return order


def run_outbox(rounds: int = 50) -> None:
    """Deliver whatever is due until nothing is (retries come back after ~10 ms)."""
    for _ in range(rounds):
        ids = feedback.feedback_due(limit=1000)
        if not ids:
            if FeedbackDelivery.objects.filter(
                state__in=[FeedbackDelivery.State.PENDING, FeedbackDelivery.State.SENT]
            ).exists():
                time.sleep(0.06)
                continue
            return
        for delivery_id in ids:
            feedback.feedback_deliver(delivery_id=delivery_id)


def ship(account: Account, order: Order, **kwargs: Any) -> list[Parcel]:
    return shipping.parcel_create(account=account, order_id=order.id, **kwargs)
