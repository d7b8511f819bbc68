"""Fixtures for the Amazon sandbox tests: a sandbox on loopback, tokens, Amazon's models."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox

REPO = Path(__file__).resolve().parents[2]
SHARED = (REPO / ".." / "shared" / "amazon").resolve()


def shared_dir() -> Path:
    """../shared/amazon, or skip (fail under CI) when it is absent."""
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is required under CI")
        pytest.skip(f"{SHARED} not present (Amazon reference data)")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def xsd_dir(shared: Path) -> Iterator[Path]:
    path = shared / "mws-xsd"
    old = os.environ.get("AMAZON_SANDBOX_XSD_DIR")
    os.environ["AMAZON_SANDBOX_XSD_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("AMAZON_SANDBOX_XSD_DIR", None)
    else:
        os.environ["AMAZON_SANDBOX_XSD_DIR"] = old


class Amazon:
    """A thin client for tests: tokens per seller/app and signed-in calls."""

    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.sb = running.state
        self.http = httpx.Client(base_url=running.url, timeout=30)
        self._tokens: dict[tuple[str, str], str] = {}

    def lwa(self, **form: str) -> httpx.Response:
        return self.http.post("/auth/o2/token", data=form)

    def token(
        self,
        seller: defaults.SandboxSeller = defaults.SELLER_1,
        *,
        client_id: str = defaults.LWA_CLIENT_ID,
        client_secret: str = defaults.LWA_CLIENT_SECRET,
        refresh_token: str | None = None,
    ) -> str:
        key = (seller.selling_partner_id, client_id)
        if key not in self._tokens or refresh_token:
            r = self.lwa(
                grant_type="refresh_token",
                refresh_token=refresh_token or seller.refresh_token,
                client_id=client_id,
                client_secret=client_secret,
            )
            assert r.status_code == 200, r.text
            self._tokens[key] = r.json()["access_token"]
        return self._tokens[key]

    def get(
        self,
        path: str,
        seller: defaults.SandboxSeller = defaults.SELLER_1,
        token: str | None = None,
        **params: Any,
    ) -> httpx.Response:
        return self.http.get(
            path, params=params, headers={"x-amz-access-token": token or self.token(seller)}
        )

    def post(
        self,
        path: str,
        body: Any,
        seller: defaults.SandboxSeller = defaults.SELLER_1,
        token: str | None = None,
    ) -> httpx.Response:
        return self.http.post(
            path,
            content=orjson.dumps(body),
            headers={
                "x-amz-access-token": token or self.token(seller),
                "content-type": "application/json",
            },
        )

    def control(self, method: str, path: str, body: Any = None) -> Any:
        r = self.http.request(method, f"/_sandbox/{path}", json=body)
        assert r.status_code < 300, r.text
        return r.json()

    def advance(self, seconds: float) -> None:
        self.control("POST", "clock", {"advance_seconds": seconds})
        if seconds >= 3000:
            self._tokens.clear()  # access tokens live an hour on the sandbox clock

    def unshipped_order(
        self, seller: defaults.SandboxSeller = defaults.SELLER_1, skip: int = 0
    ) -> dict[str, Any]:
        r = self.get(
            "/orders/2026-01-01/orders",
            seller,
            lastUpdatedAfter="2000-01-01T00:00:00Z",
            fulfillmentStatuses="UNSHIPPED",
            fulfilledBy="MERCHANT",
            includedData="FULFILLMENT,PACKAGES",
        )
        assert r.status_code == 200, r.text
        return r.json()["orders"][skip]  # type: ignore[no-any-return]

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="module")
def amazon() -> Iterator[Amazon]:
    """A sandbox without rate limits (most tests make many calls)."""
    with start_sandbox(seed=7, orders=600, rate_limits=False) as running:
        client = Amazon(running)
        yield client
        client.close()


@pytest.fixture
def fresh() -> Iterator[Amazon]:
    """A sandbox of its own, rate limits on (for tests that move clocks and plans)."""
    with start_sandbox(seed=3, orders=150, rate_limits=True) as running:
        client = Amazon(running)
        yield client
        client.close()
