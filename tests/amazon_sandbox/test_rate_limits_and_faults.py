"""Token buckets with Amazon's plans, scaled by time_scale; faults on demand."""

from __future__ import annotations

import time

import httpx
import orjson
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.constants import QUOTA_EXCEEDED_BODY
from amazon_sandbox.runner import start_sandbox

from .conftest import Amazon

PATH = "/sellers/v1/marketplaceParticipations"


def test_burst_then_quota_exceeded(fresh: Amazon) -> None:
    statuses = [fresh.get(PATH).status_code for _ in range(16)]
    assert statuses == [200] * 15 + [429]  # burst 15
    r = fresh.get(PATH)
    assert r.status_code == 429 and r.json() == QUOTA_EXCEEDED_BODY
    assert "x-amzn-RateLimit-Limit" not in r.headers and r.headers["x-amzn-RequestId"]
    calls = fresh.control("GET", "calls")["operations"]["getMarketplaceParticipations"]
    assert calls["count"] == 17 and calls["throttled"] == 2
    fresh.advance(1 / 0.016 + 1)  # one token back
    assert fresh.get(PATH).status_code == 200
    assert fresh.get(PATH).status_code == 429


def test_buckets_are_per_seller() -> None:
    with start_sandbox(orders=10) as running:
        amazon = Amazon(running)
        for _ in range(15):
            amazon.get(PATH)
        assert amazon.get(PATH).status_code == 429
        assert amazon.get(PATH, seller=defaults.SELLERS[1]).status_code == 200
        amazon.close()


def test_time_scale_multiplies_rates() -> None:
    with start_sandbox(orders=10, time_scale=100.0) as running:
        amazon = Amazon(running)
        r = amazon.get("/orders/v0/orders/028-1111111-2222222")
        assert r.headers["x-amzn-RateLimit-Limit"] == "50"  # 0.5/s * 100
        for _ in range(20):
            amazon.get(PATH)
        time.sleep(0.7)  # 0.016 * 100 = 1.6 tokens/s
        assert amazon.get(PATH).status_code == 200
        amazon.close()


def test_rate_limit_header_on_200_400_404_only(amazon: Amazon) -> None:
    assert amazon.get(PATH).headers["x-amzn-RateLimit-Limit"] == "0.016"
    assert "x-amzn-RateLimit-Limit" in amazon.get("/orders/v0/orders/028-1111111-2222222").headers
    order = amazon.unshipped_order(skip=9)
    r = amazon.post(
        f"/orders/v0/orders/{order['orderId']}/shipmentConfirmation", {"marketplaceId": "x"}
    )
    assert r.status_code == 400 and r.headers["x-amzn-RateLimit-Limit"] == "2"


@pytest.mark.parametrize(("kind", "status"), [("500", 500), ("503", 503)])
def test_error_faults(amazon: Amazon, kind: str, status: int) -> None:
    amazon.control(
        "POST", "faults", {"operation": "getMarketplaceParticipations", "kind": kind, "value": 1}
    )
    try:
        r = amazon.get(PATH)
        assert r.status_code == status
        assert (
            r.json()["errors"][0]["code"] == {"500": "InternalFailure", "503": "Unavailable"}[kind]
        )
        assert (
            amazon.get("/orders/v0/orders/028-1111111-2222222").status_code == 404
        )  # other operations unaffected
    finally:
        amazon.control("DELETE", "faults")


def test_latency_fault(amazon: Amazon) -> None:
    amazon.control("POST", "faults", {"operation": "*", "kind": "latency", "value": 0.3})
    try:
        start = time.monotonic()
        amazon.get(PATH)
        assert time.monotonic() - start >= 0.3
    finally:
        amazon.control("DELETE", "faults")


def test_malformed_json_fault(amazon: Amazon) -> None:
    amazon.control(
        "POST",
        "faults",
        {"operation": "getMarketplaceParticipations", "kind": "malformed", "value": 1},
    )
    try:
        r = amazon.get(PATH)
        assert r.status_code == 200
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(r.content)
    finally:
        amazon.control("DELETE", "faults")


def test_disconnect_fault(amazon: Amazon) -> None:
    amazon.control(
        "POST",
        "faults",
        {
            "faults": [
                {"operation": "getMarketplaceParticipations", "kind": "disconnect", "value": 1}
            ]
        },
    )
    try:
        with pytest.raises(httpx.TransportError):
            httpx.get(amazon.running.url + PATH, headers={"x-amz-access-token": amazon.token()})
    finally:
        amazon.control("DELETE", "faults")
    assert amazon.get(PATH).status_code == 200


def test_faults_at_start_and_bad_specs(amazon: Amazon) -> None:
    from amazon_sandbox.faults import FaultSpecError, parse_fault

    with start_sandbox(
        orders=5, faults=[parse_fault("getMarketplaceParticipations:503:1")]
    ) as running:
        client = Amazon(running)
        assert client.get(PATH).status_code == 503
        client.close()
    for bad in ("nope", "getOrders:explode:1", "getOrders:500:2", "getOrders:latency:x"):
        with pytest.raises(FaultSpecError):
            parse_fault(bad)
    r = amazon.http.post("/_sandbox/faults", json={"operation": "x", "kind": "boom", "value": 1})
    assert r.status_code == 400


def test_lwa_faults(amazon: Amazon) -> None:
    amazon.control("POST", "faults", {"operation": "lwa.token", "kind": "503", "value": 1})
    try:
        r = amazon.lwa(
            grant_type="refresh_token",
            refresh_token=defaults.SELLER_1.refresh_token,
            client_id=defaults.LWA_CLIENT_ID,
            client_secret=defaults.LWA_CLIENT_SECRET,
        )
        assert r.status_code == 503 and r.json()["error"] == "temporarily_unavailable"
    finally:
        amazon.control("DELETE", "faults")
