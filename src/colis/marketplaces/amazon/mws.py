"""Legacy MWS: Signature Version 2 and request building. Pure: no I/O (client.py sends).

StringToSign = VERB \\n lowercase(host) \\n path \\n canonical query, the query sorted by key
bytes, keys and values percent-encoded per RFC 3986 (space = %20);
Signature = base64(HMAC-SHA256(secret, StringToSign)).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from urllib.parse import quote, urlsplit

ORDERS_PATH = "/Orders/2013-09-01"
ORDERS_VERSION = "2013-09-01"
SELLERS_PATH = "/Sellers/2011-07-01"
SELLERS_VERSION = "2011-07-01"

SELLER_ID_RE = re.compile(r"^A[A-Z0-9]{12,14}$")
MWS_AUTH_TOKEN_RE = re.compile(
    r"^amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE
)


def percent_encode(value: str) -> str:
    """RFC 3986: unreserved characters stay, everything else is %XX (space = %20)."""
    return quote(value, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    pairs = sorted((k.encode("utf-8"), k, v) for k, v in params.items())
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for _, k, v in pairs)


def string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    return "\n".join([method.upper(), host.lower(), path or "/", canonical_query(params)])


def sign(secret: str, text: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def timestamp(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_params(
    *,
    method: str,
    url: str,
    action: str,
    version: str,
    access_key: str,
    secret_key: str,
    seller_id: str,
    auth_token: str,
    params: Mapping[str, str],
    now: dt.datetime,
) -> dict[str, str]:
    """The full parameter set of one MWS call, `Signature` included."""
    parts = urlsplit(url)
    host = parts.netloc
    all_params = {
        "AWSAccessKeyId": access_key,
        "Action": action,
        "SellerId": seller_id,
        "SignatureMethod": "HmacSHA256",
        "SignatureVersion": "2",
        "Timestamp": timestamp(now),
        "Version": version,
        **params,
    }
    if auth_token:
        all_params["MWSAuthToken"] = auth_token
    all_params["Signature"] = sign(
        secret_key, string_to_sign(method, host, parts.path or "/", all_params)
    )
    return all_params


def list_params(prefix: str, values: list[str]) -> dict[str, str]:
    """MWS list parameters: `MarketplaceId.Id.1=...&MarketplaceId.Id.2=...`."""
    return {f"{prefix}.{i}": v for i, v in enumerate(values, start=1)}
