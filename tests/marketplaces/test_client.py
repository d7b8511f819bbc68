"""client.py over real HTTP against the Amazon sandbox: tokens, errors, retries, faults."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import httpx
import pytest
from django.db import connection

from amazon_sandbox import defaults
from colis.common import clock
from colis.common.ratelimit import DatabaseRateLimiter, bucket_key
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    InvalidCredentials,
    InvalidRequest,
    TemporaryFailure,
)
from colis.marketplaces.amazon.client import AmazonClient, LwaCredentials, MwsCredentials
from colis.marketplaces.amazon.connector import AmazonConnector
from colis.marketplaces.models import CachedAccessToken, RateBucket
from tests.marketplaces.conftest import DE, IT, SELLER_1, UK, control

SELLER = SELLER_1.selling_partner_id


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def creds(
    refresh: str = SELLER_1.refresh_token, secret: str = defaults.LWA_CLIENT_SECRET
) -> LwaCredentials:
    return LwaCredentials(defaults.LWA_CLIENT_ID, secret, refresh)


def client(**kw: Any) -> AmazonClient:
    kw.setdefault("credentials", creds())
    kw.setdefault("sleep", Sleeps())
    return AmazonClient(seller_id=SELLER, **kw)


def calls(sb: Any, operation: str) -> int:
    return int(control(sb, "GET", "calls?limit=0")["operations"].get(operation, {}).get("count", 0))


def test_token_exchange_is_cached_in_the_database_encrypted_and_shared(amazon: Any) -> None:
    first = client()
    token = first.access_token()
    assert token.startswith("Atza|")
    assert first.access_token() == token
    # Another worker (another client object) reuses the cached token.
    assert client().access_token() == token
    assert calls(amazon, "lwa.token") == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM marketplaces_cachedaccesstoken")
        (raw,) = cursor.fetchone()
    assert token not in raw and "Atza" not in raw  # encrypted at rest


def test_token_is_renewed_60_seconds_before_expiry(amazon: Any) -> None:
    c = client()
    old = c.access_token()
    CachedAccessToken.objects.update(expires_at=clock.now() + dt.timedelta(seconds=59))
    assert c.access_token() != old
    assert calls(amazon, "lwa.token") == 2


def test_participations_of_sandbox_seller_one(amazon: Any) -> None:
    check = AmazonConnector(
        seller_id=SELLER, marketplace_id=IT, credentials={"refresh_token": SELLER_1.refresh_token}
    ).check()
    assert check.seller_id == SELLER
    assert {p.marketplace_id for p in check.participations} == {IT, DE, UK}
    assert {p.country_code for p in check.participations} == {"IT", "DE", "UK"}


def test_wrong_client_secret_is_invalid_credentials_without_the_secret(amazon: Any) -> None:
    wrong = "amzn1.oa2-cs.v1.deadbeef" + "0" * 40
    with pytest.raises(InvalidCredentials) as exc:
        client(credentials=creds(secret=wrong)).access_token()
    assert wrong not in str(exc.value) and "deadbeef" not in exc.value.message


def test_unknown_refresh_token_is_revoked(amazon: Any) -> None:
    with pytest.raises(AuthorizationRevoked) as exc:
        client(credentials=creds(refresh="Atzr|IwEBInot-a-real-token")).access_token()
    assert "Atzr" not in str(exc.value)


@pytest.mark.parametrize("action", ["revoke", "expire"])
def test_revoked_or_expired_authorization_after_a_token_was_cached(
    amazon: Any, action: str
) -> None:
    c = client()
    c.access_token()
    control(
        amazon,
        "POST",
        f"authorizations/{action}",
        seller_id=SELLER,
        application_id=defaults.APPLICATION_ID,
    )
    # The cached access token is refused (403); colis exchanges the refresh token once more,
    # which Login with Amazon refuses: the seller must authorize again.
    with pytest.raises((AuthorizationRevoked, AuthorizationExpired)):
        c.request(
            "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
        )


def test_expired_access_token_is_renewed_transparently(amazon: Any) -> None:
    c = client()
    c.access_token()
    control(amazon, "POST", "clock", advance_seconds=3700)  # Amazon's token lapsed, ours not
    body = c.request(
        "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
    )
    assert len(body["payload"]) == 3
    assert calls(amazon, "lwa.token") == 2


def test_400_is_invalid_request_with_amazons_message(amazon: Any) -> None:
    with pytest.raises(InvalidRequest) as exc:
        client().request(
            "GET",
            "/orders/2026-01-01/orders",
            operation="searchOrders",
            params={"lastUpdatedAfter": "2026-01-01T00:00:00Z", "includedData": "NOPE"},
        )
    assert exc.value.status == 400 and "includedData" in exc.value.message


@pytest.mark.parametrize("kind", ["500", "503", "malformed", "disconnect"])
def test_faults_become_temporary_failure_after_bounded_backoff(amazon: Any, kind: str) -> None:
    c = client(max_attempts=4)
    c.access_token()
    control(amazon, "POST", "faults", operation="getMarketplaceParticipations", kind=kind, value=1)
    with pytest.raises(TemporaryFailure):
        c.request(
            "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
        )
    assert calls(amazon, "getMarketplaceParticipations") == 4
    backoffs = list(c.sleep)  # type: ignore[call-overload]
    assert len(backoffs) == 3  # no sleep after the last attempt; never a busy loop
    for attempt, delay in enumerate(backoffs):
        cap = 0.5 * 2**attempt
        assert cap / 2 <= delay <= cap  # exponential, with jitter


def test_intermittent_faults_are_retried_to_success(amazon: Any) -> None:
    c = client(max_attempts=8)
    control(amazon, "POST", "faults", operation="*", kind="503", value=0.5)
    body = c.request(
        "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
    )
    assert len(body["payload"]) == 3


def test_time_out_is_temporary_failure(amazon: Any) -> None:
    c = client(max_attempts=2, http=httpx.Client(timeout=httpx.Timeout(0.3, connect=5.0)))
    c.access_token()
    control(
        amazon,
        "POST",
        "faults",
        operation="getMarketplaceParticipations",
        kind="latency",
        value=1.5,
    )
    with pytest.raises(TemporaryFailure) as exc:
        c.request(
            "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
        )
    assert "in time" in exc.value.message


def test_default_timeouts_are_explicit() -> None:
    c = AmazonClient(seller_id=SELLER, limiter=None)
    assert c.http.timeout.connect == 5.0 and c.http.timeout.read == 30.0


def test_throttling_drains_the_bucket_and_the_retry_succeeds(
    settings: Any, sandbox_factory: Any, db: Any
) -> None:
    from tests.marketplaces.conftest import configure_colis

    sb = sandbox_factory(time_scale=1)
    configure_colis(settings, sb.url)
    c = client(sleep=time.sleep, limiter=DatabaseRateLimiter())
    # A bucket that believes in more tokens than Amazon's (burst 2): the third call is throttled.
    key = bucket_key(SELLER, defaults.LWA_CLIENT_ID, "searchCatalogItems")
    RateBucket.objects.create(key=key, rate=2.0, burst=10, tokens=10, stamp=time.time())
    for _ in range(5):
        c.request(
            "GET",
            "/catalog/2022-04-01/items",
            operation="searchCatalogItems",
            params={"identifiers": "B000000000", "identifiersType": "ASIN", "marketplaceIds": IT},
        )
    truth = control(sb, "GET", "calls?limit=0")["operations"]["searchCatalogItems"]
    assert truth["throttled"] >= 1
    assert truth["statuses"].get("200") == 5


def test_rate_is_corrected_from_the_response_header(
    settings: Any, sandbox_factory: Any, db: Any
) -> None:
    from tests.marketplaces.conftest import configure_colis

    sb = sandbox_factory(time_scale=50)
    configure_colis(settings, sb.url)
    client(limiter=DatabaseRateLimiter()).request(
        "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
    )
    row = RateBucket.objects.get(key__endswith=":getMarketplaceParticipations")
    assert row.rate == pytest.approx(0.016 * 50)
    assert row.burst == 15


def test_mws_wrong_token_is_refused_with_amazons_reason(amazon: Any) -> None:
    c = client(
        credentials=None,
        mws_credentials=MwsCredentials(
            defaults.MWS_ACCESS_KEY_ID,
            defaults.MWS_SECRET_KEY,
            "amzn.mws.00000000-0000-0000-0000-000000000000",
        ),
    )
    with pytest.raises((InvalidCredentials, AuthorizationRevoked)) as exc:
        c.mws(
            "ListMarketplaceParticipations",
            path="/Sellers/2011-07-01",
            version="2011-07-01",
            marketplace_id=IT,
        )
    assert "denied" in exc.value.message.lower()


def test_mws_wrong_secret_key_is_invalid_credentials(amazon: Any) -> None:
    c = client(
        credentials=None,
        mws_credentials=MwsCredentials(
            defaults.MWS_ACCESS_KEY_ID, "wrong-secret", SELLER_1.mws_auth_token
        ),
    )
    with pytest.raises(InvalidCredentials):
        c.mws(
            "ListMarketplaceParticipations",
            path="/Sellers/2011-07-01",
            version="2011-07-01",
            marketplace_id=IT,
        )


def test_no_secret_in_log_lines(amazon: Any, caplog: Any) -> None:
    caplog.set_level("DEBUG")
    c = client()
    c.request(
        "GET", "/sellers/v1/marketplaceParticipations", operation="getMarketplaceParticipations"
    )
    token = CachedAccessToken.objects.get().access_token
    text = caplog.text
    for secret in (SELLER_1.refresh_token, defaults.LWA_CLIENT_SECRET, token, "Atza|", "Atzr|"):
        assert secret not in text
