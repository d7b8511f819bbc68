"""Operator configuration: read lazily from the environment (a setting wins), Amazon's
regional endpoints by default, one URL for every region when overridden."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from colis.marketplaces.amazon.config import MARKETPLACES, amazon_config
from colis.marketplaces.amazon.oauth import AmazonAuthorizer

NAMES = (
    "COLIS_AMAZON_SPAPI_URL",
    "COLIS_AMAZON_LWA_URL",
    "COLIS_AMAZON_SELLER_CENTRAL_URL",
    "COLIS_AMAZON_MWS_URL",
    "COLIS_AMAZON_REDIRECT_URI",
    "COLIS_AMAZON_ORDERS_API",
    "COLIS_AMAZON_APP_BETA",
)


@pytest.fixture
def clean(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in NAMES:
        if hasattr(settings, name):
            delattr(settings, name)
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults_are_amazons_endpoints(clean: Any, settings: Any) -> None:
    settings.COLIS_BASE_URL = "https://colis.example"
    config = amazon_config()
    assert config.spapi_endpoint("NA") == "https://sellingpartnerapi-na.amazon.com"
    assert config.spapi_endpoint("EU") == "https://sellingpartnerapi-eu.amazon.com"
    assert config.spapi_endpoint("FE") == "https://sellingpartnerapi-fe.amazon.com"
    assert config.lwa_token_url() == "https://api.amazon.com/auth/o2/token"
    assert (
        config.consent_url("EU") == "https://sellercentral-europe.amazon.com/apps/authorize/consent"
    )
    assert config.mws_endpoint("A1VC38T7YXB528") == "https://mws.amazonservices.jp"
    assert config.redirect_uri == "https://colis.example/integrations/amazon/callback"
    assert config.orders_api == "2026-01-01"


def test_overrides_send_every_region_to_one_url_and_are_read_lazily(clean: Any) -> None:
    clean.setenv("COLIS_AMAZON_SPAPI_URL", "http://127.0.0.1:8100/")
    clean.setenv("COLIS_AMAZON_LWA_URL", "http://127.0.0.1:8100")
    clean.setenv("COLIS_AMAZON_SELLER_CENTRAL_URL", "http://127.0.0.1:8100")
    clean.setenv("COLIS_AMAZON_MWS_URL", "http://127.0.0.1:8100")
    clean.setenv("COLIS_AMAZON_ORDERS_API", "v0")
    config = amazon_config()
    assert {config.spapi_endpoint(r) for r in ("NA", "EU", "FE")} == {"http://127.0.0.1:8100"}
    assert config.lwa_token_url() == "http://127.0.0.1:8100/auth/o2/token"
    assert config.consent_url("FE") == "http://127.0.0.1:8100/apps/authorize/consent"
    assert config.mws_endpoint("ATVPDKIKX0DER") == "http://127.0.0.1:8100"
    assert config.orders_api == "v0"


def test_consent_url(clean: Any, settings: Any) -> None:
    settings.COLIS_AMAZON_APP_ID = "amzn1.sp.solution.x"
    settings.COLIS_AMAZON_LWA_CLIENT_ID = "amzn1.application-oa2-client.x"
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = "s"
    settings.COLIS_AMAZON_APP_BETA = True
    url = AmazonAuthorizer().consent_url(state="abc", region="NA")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://sellercentral.amazon.com"
    query = parse_qs(parts.query)
    assert query["application_id"] == ["amzn1.sp.solution.x"] and query["state"] == ["abc"]
    assert query["version"] == ["beta"]


def test_marketplace_table() -> None:
    assert len(MARKETPLACES) == 23
    uk = MARKETPLACES["A1F83G8C2ARO7P"]
    assert (uk.country, uk.address_country, uk.region) == ("UK", "GB", "EU")
    assert MARKETPLACES["A28R8C7NBKEWEA"].mws_host == ""
