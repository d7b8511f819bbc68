"""The Amazon sandbox over real HTTP on loopback, and colis configured to talk to it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox


@pytest.fixture
def sandbox_factory() -> Iterator[Any]:
    started: list[RunningSandbox] = []

    def start(**kwargs: Any) -> RunningSandbox:
        kwargs.setdefault("seed", 1)
        kwargs.setdefault("orders", 200)
        running = start_sandbox(**kwargs)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def sandbox(sandbox_factory: Any) -> RunningSandbox:
    return sandbox_factory()


def configure_colis(settings: Any, url: str, **extra: Any) -> None:
    """Point colis at a sandbox with the sandbox's seeded developer identity."""
    settings.COLIS_AMAZON_DEVELOPER_NAME = "colis sandbox"
    settings.COLIS_AMAZON_DEVELOPER_ID = defaults.MWS_DEVELOPER_ID
    settings.COLIS_AMAZON_APP_ID = defaults.APPLICATION_ID
    settings.COLIS_AMAZON_LWA_CLIENT_ID = defaults.LWA_CLIENT_ID
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = defaults.LWA_CLIENT_SECRET
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = defaults.MWS_ACCESS_KEY_ID
    settings.COLIS_AMAZON_MWS_SECRET_KEY = defaults.MWS_SECRET_KEY
    settings.COLIS_AMAZON_REDIRECT_URI = defaults.REDIRECT_URI
    settings.COLIS_AMAZON_SPAPI_URL = url
    settings.COLIS_AMAZON_LWA_URL = url
    settings.COLIS_AMAZON_SELLER_CENTRAL_URL = url
    settings.COLIS_AMAZON_MWS_URL = url
    settings.COLIS_AMAZON_ORDERS_API = "2026-01-01"
    settings.COLIS_AMAZON_APP_BETA = False
    for key, value in extra.items():
        setattr(settings, key, value)


@pytest.fixture(autouse=True)
def _rate_limiter_backend(settings: Any) -> Iterator[None]:
    """Redis when REDIS_URL is set (a clean test database), else the database."""
    url = os.environ.get("REDIS_URL", "")
    settings.COLIS_RATE_LIMIT_REDIS_URL = url or None
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()
    yield


@pytest.fixture
def amazon(settings: Any, sandbox: RunningSandbox, db: Any) -> RunningSandbox:
    configure_colis(settings, sandbox.url)
    return sandbox


def control(sb: RunningSandbox, method: str, path: str, **json: Any) -> Any:
    response = httpx.request(method, sb.url + "/_sandbox/" + path, json=json or None, timeout=10)
    response.raise_for_status()
    return response.json()


SELLER_1 = defaults.SELLER_1
IT, DE, UK = "APJ6JRA9NG5V4", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"
