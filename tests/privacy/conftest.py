"""Fixtures of the privacy tests: orders with buyer PII, a driven clock, an archive folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

import pyrage
import pytest

from colis.accounts.models import Account
from colis.common import clock
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem

T0 = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)

PII = {
    "recipient_name": "Åsa Lindqvist-Müller",
    "recipient_company": "Lindqvist Trädgård AB",
    "recipient_lines": "Kungsgatan 47\nLägenhet 1102",
    "recipient_region": "Stockholms län",
    "recipient_phone": "+46 70 123 45 67",
    "buyer_name": "Åsa Lindqvist-Müller",
    "buyer_email": "q7zz3k9v@marketplace.amazon.de",
    "gift_message": "Grattis på födelsedagen, mormor!",
}


class Clock:
    """colis.common.clock.now, driven by the test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime) -> None:
        self.at = at

    def jump(self, delta: dt.timedelta) -> None:
        self.at += delta


@pytest.fixture
def fake_clock(monkeypatch: Any) -> Clock:
    c = Clock(T0)
    monkeypatch.setattr(clock, "now", c)
    return c


@pytest.fixture
def archive_dir(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "archives"
    settings.COLIS_ARCHIVE_DIR = str(path)
    return path


@pytest.fixture
def identity() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


_seq = count(1)


def make_integration(account: Account) -> Integration:
    n = next(_seq)
    return Integration.objects.create(
        account=account,
        name=f"Amazon DE {n}",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=f"A{n:012d}",
        marketplace_id="A1PA6795UKMFR9",
        region="EU",
    )


def make_order(account: Account, *, integration: Integration | None = None, **fields: Any) -> Order:
    """An order with buyer PII; by default unshipped (not due)."""
    integration = (
        integration
        or Integration.objects.filter(account=account).first()
        or make_integration(account)
    )
    n = next(_seq)
    data: dict[str, Any] = {
        "account": account,
        "integration": integration,
        "external_id": f"302-{n:07d}-{n:07d}",
        "marketplace_id": "A1PA6795UKMFR9",
        "status": Order.Status.UNSHIPPED,
        "marketplace_status": "Unshipped",
        "purchased_at": T0 - 60 * DAY,
        "marketplace_updated_at": T0 - 60 * DAY,
        "order_total": Decimal("49.90"),
        "currency": "EUR",
        "recipient_country": "SE",
        "recipient_postal_code": "111 56",
        "recipient_city": "Stockholm",
        **PII,
    }
    data.update(fields)
    order = Order.objects.create(**data)
    OrderItem.objects.create(
        account=account,
        order=order,
        external_id=f"item-{n}",
        sku="MUG-BLUE",
        asin="B000TEST01",
        title="Blue mug",
        quantity=2,
        unit_price=Decimal("24.95"),
    )
    return order


def delivered(days_ago: float, now: dt.datetime = T0) -> dict[str, Any]:
    at = now - dt.timedelta(days=days_ago)
    return {
        "status": Order.Status.SHIPPED,
        "marketplace_status": "Shipped",
        "shipped_at": at - 2 * DAY,
        "delivered_at": at,
        "marketplace_updated_at": at - 2 * DAY,
    }


@pytest.fixture
def account(make_user: Callable[..., Any]) -> Account:
    return make_user().account


@pytest.fixture
def other_account(make_user: Callable[..., Any]) -> Account:
    return make_user().account


def pii_of(order: Order) -> dict[str, str]:
    order.refresh_from_db()
    return {name: getattr(order, name) for name in PII}
