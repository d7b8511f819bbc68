"""Shipping test helpers: ready accounts, orders made with the ORM, a local-carrier method,
and `carrier_http`: recorded carrier responses fed at karrio's lowest HTTP function."""

from __future__ import annotations

import datetime as dt
import email.message
import io
import re
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from colis.accounts.models import Account, User
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem
from colis.shipping import services
from colis.shipping.models import ShippingMethod

FIXTURES = Path(__file__).parent / "fixtures"
T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
_seq = count(1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def account(make_user: Callable[..., User]) -> Account:
    user = make_user(ready=True)
    assert user.account is not None
    return user.account


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(ready=True)


def make_integration(account: Account, marketplace_id: str = "A13V1IB3VIYZZH") -> Integration:
    n = next(_seq)
    return Integration.objects.create(
        account=account,
        name=f"Amazon FR {n}",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=f"A{n:012d}",
        marketplace_id=marketplace_id,
        region="EU",
    )


def make_order(
    account: Account,
    *,
    items: list[tuple[str, int, int | None]] | None = None,
    integration: Integration | None = None,
    **fields: Any,
) -> Order:
    """An unshipped order to France; items: (sku, quantity, unit weight in grams)."""
    integration = (
        integration
        or Integration.objects.filter(account=account).first()
        or make_integration(account)
    )
    n = next(_seq)
    items = items if items is not None else [("MUG-BLUE", 2, 350)]
    weights = [w for _, _, w in items]
    data: dict[str, Any] = {
        "account": account,
        "integration": integration,
        "external_id": f"405-{n:07d}-{n:07d}",
        "marketplace_id": integration.marketplace_id,
        "status": Order.Status.UNSHIPPED,
        "marketplace_status": "Unshipped",
        "purchased_at": T0 - dt.timedelta(days=1),
        "marketplace_updated_at": T0 - dt.timedelta(days=1),
        "order_total": Decimal("49.90"),
        "currency": "EUR",
        "recipient_country": "FR",
        "recipient_postal_code": "75011",
        "recipient_city": "Paris",
        "recipient_name": "Jeanne Dupré",
        "recipient_lines": "12 rue Oberkampf\nBâtiment B",
        "recipient_phone": "+33 1 23 45 67 89",
        "buyer_name": "Jeanne Dupré",
        "weight_grams": (
            sum((w or 0) * q for _, q, w in items) if all(w is not None for w in weights) else None
        ),
    }
    data.update(fields)
    order = Order.objects.create(**data)
    for i, (sku, qty, weight) in enumerate(items):
        OrderItem.objects.create(
            account=account,
            order=order,
            external_id=f"{n}{i:04d}",
            sku=sku,
            title=f"Article {sku}",
            quantity=qty,
            weight_grams=weight,
        )
    return order


@pytest.fixture
def local_method(account: Account) -> ShippingMethod:
    make_integration(account)  # the demo seed makes the method its integrations' default
    return services.shipping_seed_demo(account=account)


# --- recorded carrier HTTP ------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Route:
    method: str
    pattern: str
    fixture: str
    status: int = 200
    when: Callable[[bytes], bool] | None = None  # a condition on the request body


@dataclass
class CarrierHTTP:
    """Stands in for `urllib.request.urlopen` inside karrio: routes → recorded bodies."""

    routes: list[Route] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def add(
        self,
        method: str,
        pattern: str,
        fixture: str,
        status: int = 200,
        when: Callable[[bytes], bool] | None = None,
    ) -> None:
        # The newest route wins, so a test can replace an answer midway.
        self.routes.insert(0, Route(method, pattern, fixture, status, when))

    def __call__(self, req: Any, timeout: Any = None) -> Any:
        method = req.get_method()
        url = req.full_url
        self.requests.append(
            Recorded(method, url, req.data or b"", {k.lower(): v for k, v in req.header_items()})
        )
        for route in self.routes:
            if route.when is not None and not route.when(req.data or b""):
                continue
            if route.method == method and re.search(route.pattern, url):
                body = (FIXTURES / route.fixture).read_bytes()
                if route.status >= 400:
                    headers = email.message.Message()
                    headers["Content-Type"] = "application/json"
                    raise urllib.error.HTTPError(
                        url, route.status, "Bad Request", headers, io.BytesIO(body)
                    )
                return _Response(body, route.status)
        raise AssertionError(f"no recorded response for {method} {url}")


class _Response:
    def __init__(self, body: bytes, status: int) -> None:
        self._body = body
        self.status = status
        self.headers: dict[str, str] = {}

    def read(self) -> bytes:
        return self._body

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *args: Any) -> None:
        return None


@pytest.fixture
def carrier_http(monkeypatch: pytest.MonkeyPatch) -> CarrierHTTP:
    import karrio.core.utils.helpers as karrio_http

    fake = CarrierHTTP()
    monkeypatch.setattr(karrio_http, "urlopen", fake)
    # karrio caches DHL's OAuth token per process; start each test without one.
    from colis.shipping.carriers import karrio_common

    karrio_common.token_cache.cache_clear()
    return fake
