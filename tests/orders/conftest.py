"""Fixtures of the import tests: a real Amazon sandbox on loopback and integrations
pointing at it through the real connector (no client is mocked away)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.integrations.models import Integration

SELLER = defaults.SELLER_1  # sells in IT, DE and UK
DE = "A1PA6795UKMFR9"
IT = "APJ6JRA9NG5V4"


class Sandbox:
    """The running sandbox and its /_sandbox/ ground truth."""

    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.url = running.url
        self.http = httpx.Client(base_url=running.url, timeout=30)

    def control(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        response = self.http.request(method, f"/_sandbox/{path}", json=json, params=params or None)
        assert response.status_code < 300, response.text
        return response.json()

    def truth(self, *, seller_id: str = SELLER.selling_partner_id) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = self.control("GET", "orders", seller_id=seller_id, limit=1000, offset=offset)
            out.extend(page["orders"])
            if len(page["orders"]) < 1000:
                return out
            offset += 1000

    def fault(self, operation: str, kind: str, value: float) -> None:
        self.control("POST", "faults", {"operation": operation, "kind": kind, "value": value})

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def advance(self, seconds: float) -> None:
        self.control("POST", "clock", {"advance_seconds": seconds})

    def calls(self) -> dict[str, Any]:
        return self.control("GET", "calls", limit=0)


def expected_ids(
    truth: list[dict[str, Any]],
    *,
    marketplace_id: str = DE,
    after: Any = None,
    afn: bool = False,
) -> set[str]:
    """Orders the import must hold: this marketplace, MFN (or all), updated in the window."""
    ids = set()
    for order in truth:
        if order["salesChannel"]["marketplaceId"] != marketplace_id:
            continue
        if not afn and order["_sandbox"]["fulfillment_channel"] != "MFN":
            continue
        if after is not None and order["lastUpdatedTime"] < after.strftime("%Y-%m-%dT%H:%M:%SZ"):
            continue
        ids.add(order["orderId"])
    return ids


@pytest.fixture
def sandbox_factory() -> Iterator[Callable[..., Sandbox]]:
    started: list[Sandbox] = []

    def start(**kwargs: Any) -> Sandbox:
        kwargs.setdefault("seed", 11)
        kwargs.setdefault("orders", 400)
        kwargs.setdefault("time_scale", 1000)
        kwargs.setdefault("rate_limits", False)
        sb = Sandbox(start_sandbox(**kwargs))
        started.append(sb)
        return sb

    yield start
    for sb in started:
        sb.http.close()
        sb.running.stop()


def point_at(settings: Any, url: str) -> None:
    settings.COLIS_AMAZON_SPAPI_URL = url
    settings.COLIS_AMAZON_LWA_URL = url
    settings.COLIS_AMAZON_APP_ID = defaults.APPLICATION_ID
    settings.COLIS_AMAZON_LWA_CLIENT_ID = defaults.LWA_CLIENT_ID
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = defaults.LWA_CLIENT_SECRET
    settings.COLIS_AMAZON_ORDERS_API = "2026-01-01"


@pytest.fixture
def sandbox(sandbox_factory: Callable[..., Sandbox], settings: Any) -> Sandbox:
    sb = sandbox_factory()
    point_at(settings, sb.url)
    return sb


@pytest.fixture
def make_integration(user: Any) -> Callable[..., Integration]:
    def make(*, account: Any = None, marketplace_id: str = DE, **fields: Any) -> Integration:
        fields.setdefault("name", f"Amazon {marketplace_id}")
        return Integration.objects.create(  # type: ignore[misc]  # encrypted JSON credentials
            account=account or user.account,
            auth_kind=Integration.AuthKind.SPAPI_OAUTH,
            seller_id=SELLER.selling_partner_id,
            marketplace_id=marketplace_id,
            region="EU",
            credentials={"refresh_token": SELLER.refresh_token},
            **fields,
        )

    return make
