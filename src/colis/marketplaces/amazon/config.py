"""The operator's Amazon configuration (from the environment, read lazily) and Amazon's
marketplace table as constants.

Every value may also be set as a Django setting of the same name (tests do); the setting
wins over the environment. See docs/amazon-setup.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# --- Amazon's facts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marketplace:
    id: str
    country: str  # the marketplace's code ("UK" for Amazon.co.uk)
    address_country: str  # ISO 3166 code used in addresses ("GB")
    region: str  # NA | EU | FE
    name: str
    mws_host: str  # "" where MWS never served the marketplace


MARKETPLACES: dict[str, Marketplace] = {
    m.id: m
    for m in (
        Marketplace("A2EUQ1WTGCTBG2", "CA", "CA", "NA", "Amazon.ca", "mws.amazonservices.ca"),
        Marketplace("ATVPDKIKX0DER", "US", "US", "NA", "Amazon.com", "mws.amazonservices.com"),
        Marketplace(
            "A1AM78C64UM0Y8", "MX", "MX", "NA", "Amazon.com.mx", "mws.amazonservices.com.mx"
        ),
        Marketplace("A2Q3Y263D00KWC", "BR", "BR", "NA", "Amazon.com.br", "mws.amazonservices.com"),
        Marketplace("A28R8C7NBKEWEA", "IE", "IE", "EU", "Amazon.ie", ""),
        Marketplace("A1RKKUPIHCS9HS", "ES", "ES", "EU", "Amazon.es", "mws-eu.amazonservices.com"),
        Marketplace(
            "A1F83G8C2ARO7P", "UK", "GB", "EU", "Amazon.co.uk", "mws-eu.amazonservices.com"
        ),
        Marketplace("A13V1IB3VIYZZH", "FR", "FR", "EU", "Amazon.fr", "mws-eu.amazonservices.com"),
        Marketplace(
            "AMEN7PMS3EDWL", "BE", "BE", "EU", "Amazon.com.be", "mws-eu.amazonservices.com"
        ),
        Marketplace("A1805IZSGTT6HS", "NL", "NL", "EU", "Amazon.nl", "mws-eu.amazonservices.com"),
        Marketplace("A1PA6795UKMFR9", "DE", "DE", "EU", "Amazon.de", "mws-eu.amazonservices.com"),
        Marketplace("APJ6JRA9NG5V4", "IT", "IT", "EU", "Amazon.it", "mws-eu.amazonservices.com"),
        Marketplace("A2NODRKZP88ZB9", "SE", "SE", "EU", "Amazon.se", "mws-eu.amazonservices.com"),
        Marketplace("AE08WJ6YKNBMC", "ZA", "ZA", "EU", "Amazon.co.za", ""),
        Marketplace("A1C3SOZRARQ6R3", "PL", "PL", "EU", "Amazon.pl", "mws-eu.amazonservices.com"),
        Marketplace("ARBP9OOSHTCHU", "EG", "EG", "EU", "Amazon.eg", "mws-eu.amazonservices.com"),
        Marketplace(
            "A33AVAJ2PDY3EV", "TR", "TR", "EU", "Amazon.com.tr", "mws-eu.amazonservices.com"
        ),
        Marketplace("A17E79C6D8DWNP", "SA", "SA", "EU", "Amazon.sa", "mws-eu.amazonservices.com"),
        Marketplace("A2VIGQ35RCS4UG", "AE", "AE", "EU", "Amazon.ae", "mws.amazonservices.ae"),
        Marketplace("A21TJRUUN4KGV", "IN", "IN", "EU", "Amazon.in", "mws.amazonservices.in"),
        Marketplace("A19VAU5U5O7RUS", "SG", "SG", "FE", "Amazon.sg", "mws-fe.amazonservices.com"),
        Marketplace(
            "A39IBJ37TRP1C6", "AU", "AU", "FE", "Amazon.com.au", "mws.amazonservices.com.au"
        ),
        Marketplace("A1VC38T7YXB528", "JP", "JP", "FE", "Amazon.co.jp", "mws.amazonservices.jp"),
    )
}

SPAPI_ENDPOINTS = {
    "NA": "https://sellingpartnerapi-na.amazon.com",
    "EU": "https://sellingpartnerapi-eu.amazon.com",
    "FE": "https://sellingpartnerapi-fe.amazon.com",
}
SELLER_CENTRAL = {
    "NA": "https://sellercentral.amazon.com",
    "EU": "https://sellercentral-europe.amazon.com",
    "FE": "https://sellercentral.amazon.co.jp",
}
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 - a URL
LWA_TOKEN_PATH = "/auth/o2/token"  # noqa: S105 - a path
CONSENT_PATH = "/apps/authorize/consent"

ORDERS_API_2026 = "2026-01-01"
ORDERS_API_V0 = "v0"


def marketplace(marketplace_id: str) -> Marketplace | None:
    return MARKETPLACES.get(marketplace_id)


# --- the operator's configuration -----------------------------------------------------------


def _get(name: str, default: str = "") -> str:
    value: Any = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _flag(name: str, default: bool = False) -> bool:
    raw = _get(name, "")
    if raw == "":
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class AmazonConfig:
    developer_name: str
    developer_id: str
    app_id: str
    lwa_client_id: str
    lwa_client_secret: str
    redirect_uri: str
    app_beta: bool
    app_has_pii_roles: bool
    mws_access_key: str
    mws_secret_key: str
    orders_api: str  # "2026-01-01" | "v0"
    spapi_url: str  # override: every region to this URL ("" = Amazon's per-region endpoints)
    lwa_url: str
    seller_central_url: str
    mws_url: str
    # Multiplies Amazon's published rate plans before the first answer corrects them (SP-API
    # sends x-amzn-RateLimit-Limit; MWS never does). Only for a time-scaled sandbox: keep 1.
    rate_scale: float = 1.0

    @property
    def has_spapi_app(self) -> bool:
        return bool(self.app_id and self.lwa_client_id and self.lwa_client_secret)

    @property
    def has_mws(self) -> bool:
        return bool(self.mws_access_key and self.mws_secret_key and self.developer_id)

    def spapi_endpoint(self, region: str) -> str:
        return self.spapi_url or SPAPI_ENDPOINTS.get(region, SPAPI_ENDPOINTS["EU"])

    def lwa_token_url(self) -> str:
        if not self.lwa_url:
            return LWA_TOKEN_URL
        return self.lwa_url if _has_path(self.lwa_url) else self.lwa_url + LWA_TOKEN_PATH

    def consent_url(self, region: str) -> str:
        base = self.seller_central_url or SELLER_CENTRAL.get(region, SELLER_CENTRAL["EU"])
        return base if _has_path(base) else base + CONSENT_PATH

    def mws_endpoint(self, marketplace_id: str) -> str:
        if self.mws_url:
            return self.mws_url
        m = MARKETPLACES.get(marketplace_id)
        return f"https://{m.mws_host if m and m.mws_host else 'mws-eu.amazonservices.com'}"


def _has_path(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).path not in {"", "/"}


def amazon_config() -> AmazonConfig:
    """Read now (not at import): tests and `colis` commands change the environment."""
    base = str(getattr(settings, "COLIS_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")
    orders_api = _get("COLIS_AMAZON_ORDERS_API", ORDERS_API_2026) or ORDERS_API_2026
    if orders_api not in {ORDERS_API_2026, ORDERS_API_V0}:
        orders_api = ORDERS_API_2026
    return AmazonConfig(
        developer_name=_get("COLIS_AMAZON_DEVELOPER_NAME"),
        developer_id=_get("COLIS_AMAZON_DEVELOPER_ID"),
        app_id=_get("COLIS_AMAZON_APP_ID"),
        lwa_client_id=_get("COLIS_AMAZON_LWA_CLIENT_ID"),
        lwa_client_secret=_get("COLIS_AMAZON_LWA_CLIENT_SECRET"),
        redirect_uri=_get("COLIS_AMAZON_REDIRECT_URI") or f"{base}/integrations/amazon/callback",
        app_beta=_flag("COLIS_AMAZON_APP_BETA"),
        app_has_pii_roles=_flag("COLIS_AMAZON_PII_ROLES", default=True),
        mws_access_key=_get("COLIS_AMAZON_MWS_ACCESS_KEY"),
        mws_secret_key=_get("COLIS_AMAZON_MWS_SECRET_KEY"),
        orders_api=orders_api,
        spapi_url=_get("COLIS_AMAZON_SPAPI_URL").rstrip("/"),
        lwa_url=_get("COLIS_AMAZON_LWA_URL").rstrip("/"),
        seller_central_url=_get("COLIS_AMAZON_SELLER_CENTRAL_URL").rstrip("/"),
        mws_url=_get("COLIS_AMAZON_MWS_URL").rstrip("/"),
        rate_scale=_positive_float(_get("COLIS_AMAZON_RATE_SCALE", "1")),
    )


def _positive_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        return 1.0
    return value if value > 0 else 1.0
