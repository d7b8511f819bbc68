"""The only place colis talks to Amazon over the network (SP-API, LWA and legacy MWS).

A thin httpx client (docs/dependencies.md says why not amzn-sp-api): LWA token exchange
with an access-token cache shared by every worker (database, encrypted), explicit
time-outs, the shared token-bucket rate limiter, bounded retries with exponential backoff
and jitter, and Amazon's answers classified into the port's errors. No secret and no PII
ever reaches a log line or an exception message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from lxml import etree

from colis.common import clock
from colis.common.ratelimit import RateLimiter, RatePlan, bucket_key, rate_limiter
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConnectorError,
    InvalidCredentials,
    InvalidRequest,
    TemporaryFailure,
)
from colis.marketplaces.amazon import mws
from colis.marketplaces.amazon.config import AmazonConfig, amazon_config

log = logging.getLogger("colis.amazon")
# httpx logs every request's full URL at INFO; some Amazon calls carry a credential in the
# query (getAuthorizationCode's mwsAuthToken). colis logs its own lines without them.
if logging.getLogger("httpx").level == logging.NOTSET:
    logging.getLogger("httpx").setLevel(logging.WARNING)

TIMEOUT = httpx.Timeout(30.0, connect=5.0)
TOKEN_MARGIN_SECONDS = 60
USER_AGENT = "colis/0.1 (Language=Python)"

# Amazon's published usage plans: (rate per second, burst). Corrected at run time from
# `x-amzn-RateLimit-Limit`.
SPAPI_PLANS: dict[str, RatePlan] = {
    "getMarketplaceParticipations": RatePlan(0.016, 15),
    "getOrders": RatePlan(0.0167, 20),
    "getOrder": RatePlan(0.5, 30),
    "getOrderItems": RatePlan(0.5, 30),
    "getOrderAddress": RatePlan(0.5, 30),
    "getOrderBuyerInfo": RatePlan(0.5, 30),
    "confirmShipment": RatePlan(2.0, 10),
    "searchOrders": RatePlan(0.0056, 20),
    "getOrder2026": RatePlan(0.5, 30),
    "createRestrictedDataToken": RatePlan(1.0, 10),
    "getCatalogItem": RatePlan(2.0, 2),
    "searchCatalogItems": RatePlan(2.0, 2),
    "getListingsItem": RatePlan(5.0, 10),
    "createFeed": RatePlan(0.0083, 15),
    "getAuthorizationCode": RatePlan(1.0, 5),
}
MWS_PLANS: dict[str, RatePlan] = {
    "ListOrders": RatePlan(1 / 60, 6),
    "ListOrdersByNextToken": RatePlan(1 / 60, 6),
    "ListOrderItems": RatePlan(0.5, 30),
    "ListOrderItemsByNextToken": RatePlan(0.5, 30),
    "ListMarketplaceParticipations": RatePlan(1 / 60, 15),
    "GetServiceStatus": RatePlan(1 / 300, 2),
    "SubmitFeed": RatePlan(1 / 120, 15),
    "GetFeedSubmissionResult": RatePlan(1 / 60, 15),
}
DEFAULT_PLAN = RatePlan(1.0, 1)

RETRY_STATUSES = {429, 500, 502, 503, 504}


class AuthorizationCodeRejected(InvalidRequest):
    """Amazon refused an authorization code: already used, expired (5 minutes) or foreign."""


@dataclass(frozen=True, slots=True)
class LwaCredentials:
    client_id: str
    client_secret: str
    refresh_token: str

    def __repr__(self) -> str:  # never print secrets
        return f"LwaCredentials(client_id={self.client_id[:24]}..., secrets hidden)"


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    refresh_token: str
    expires_in: int

    def __repr__(self) -> str:
        return f"TokenGrant(expires_in={self.expires_in}, tokens hidden)"


@dataclass(frozen=True, slots=True)
class MwsCredentials:
    access_key: str
    secret_key: str
    auth_token: str

    def __repr__(self) -> str:
        return "MwsCredentials(secrets hidden)"


_SECRET_PATTERNS = (
    re.compile(r"amzn\.mws\.[0-9a-fA-F-]{36}"),
    re.compile(r"Atz[a-z.]*\|[^\s\"',]+"),
    re.compile(r"amzn1\.oa2-cs\.[^\s\"',]+"),
    re.compile(r"AKIA[0-9A-Z]{12,}"),
)


def scrub(text: str) -> str:
    """Amazon's own messages may quote a parameter: never let a token through."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub("[redacted]", text)
    return text[:500]


def _cache_key(client_id: str, refresh_token: str) -> str:
    return hashlib.sha256(f"{client_id}\n{refresh_token}".encode()).hexdigest()


def _jitter_backoff(attempt: int, base: float, cap: float) -> float:
    delay = min(cap, base * (2**attempt))
    return random.uniform(delay / 2, delay)


def _amazon_error(response: httpx.Response) -> tuple[str, str, str]:
    """(code, message, details) of an SP-API error body; empty strings when absent."""
    try:
        data = response.json()
        first = (data.get("errors") or [{}])[0]
        return (
            scrub(str(first.get("code", ""))),
            scrub(str(first.get("message", ""))),
            scrub(str(first.get("details", "") or "")),
        )
    except (ValueError, AttributeError, IndexError, TypeError):
        return "", "", ""


class AmazonClient:
    """One seller's view of Amazon, for one application (SP-API) and/or MWS developer."""

    def __init__(
        self,
        *,
        seller_id: str,
        region: str = "EU",
        credentials: LwaCredentials | None = None,
        mws_credentials: MwsCredentials | None = None,
        config: AmazonConfig | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        http: httpx.Client | None = None,
        max_attempts: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 20.0,
    ) -> None:
        self.seller_id = seller_id
        self.region = region
        self.credentials = credentials
        self.mws_credentials = mws_credentials
        self.config = config or amazon_config()
        self.limiter = limiter if limiter is not None else rate_limiter()
        self.sleep = sleep
        self.http = http or httpx.Client(timeout=TIMEOUT, headers={"user-agent": USER_AGENT})
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._rdt: tuple[str, float, str] | None = None  # (token, monotonic expiry, key)
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # --- Login with Amazon ------------------------------------------------------------
    def _lwa(self, form: dict[str, str], *, grant: str) -> dict[str, Any]:
        url = self.config.lwa_token_url()
        last: ConnectorError = TemporaryFailure("Login with Amazon did not answer.")
        for attempt in range(self.max_attempts):
            try:
                response = self.http.post(url, data=form)
            except httpx.TimeoutException:
                last = TemporaryFailure("Login with Amazon did not answer in time.")
            except httpx.TransportError:
                last = TemporaryFailure("The connection to Login with Amazon was lost.")
            else:
                log.info("lwa %s -> %s", grant, response.status_code)
                if response.status_code == 200:
                    try:
                        data = response.json()
                        if isinstance(data, dict) and data.get("access_token"):
                            return data
                    except ValueError:
                        pass
                    last = TemporaryFailure("Login with Amazon sent an unreadable answer.")
                elif response.status_code in RETRY_STATUSES:
                    last = TemporaryFailure(
                        f"Login with Amazon is unavailable (HTTP {response.status_code}).",
                        status=response.status_code,
                    )
                else:
                    raise self._lwa_error(response, grant)
            if grant == "authorization_code":
                break  # a code is single-use: never replay it blindly
            if attempt + 1 < self.max_attempts:
                self.sleep(_jitter_backoff(attempt, self.backoff_base, self.backoff_cap))
        raise last

    @staticmethod
    def _lwa_error(response: httpx.Response, grant: str) -> ConnectorError:
        try:
            data = response.json()
            error = scrub(str(data.get("error", "")))
            description = scrub(str(data.get("error_description", "")))
        except (ValueError, AttributeError):
            error, description = "", ""
        status = response.status_code
        if error == "invalid_client":
            return InvalidCredentials(
                "Amazon rejected the application's LWA client ID or client secret "
                "(the client secret may have expired: Amazon asks for a new one every 180 days).",
                code=error,
                status=status,
            )
        if error == "invalid_grant":
            if grant == "authorization_code":
                return AuthorizationCodeRejected(
                    "Amazon refused the authorization code: it was already used or has expired "
                    "(a code is single-use and lives 5 minutes). Start connecting again.",
                    code=error,
                    status=status,
                )
            if "expire" in description.lower():
                return AuthorizationExpired(
                    "The seller's Amazon authorization has expired: authorize colis again "
                    "in Seller Central.",
                    code=error,
                    status=status,
                )
            return AuthorizationRevoked(
                "Amazon says the seller revoked (or never granted) the authorization: "
                "authorize colis again in Seller Central.",
                code=error,
                status=status,
            )
        message = description or error or f"HTTP {status}"
        # LWA descriptions name parameters, never their values.
        return InvalidRequest(
            f"Login with Amazon refused the request: {message}", code=error, status=status
        )

    def exchange_refresh_token(self) -> TokenGrant:
        creds = self._require_lwa()
        data = self._lwa(
            {
                "grant_type": "refresh_token",
                "refresh_token": creds.refresh_token,
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
            },
            grant="refresh_token",
        )
        return TokenGrant(
            str(data["access_token"]),
            str(data.get("refresh_token") or creds.refresh_token),
            int(data.get("expires_in", 3600)),
        )

    def exchange_authorization_code(self, *, code: str, redirect_uri: str) -> TokenGrant:
        """authorization_code grant with the instance's application credentials."""
        client_id = self.credentials.client_id if self.credentials else self.config.lwa_client_id
        secret = (
            self.credentials.client_secret if self.credentials else self.config.lwa_client_secret
        )
        if not client_id or not secret:
            raise InvalidCredentials(
                "This colis instance has no Amazon SP-API application configured."
            )
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": secret,
        }
        if redirect_uri:
            form["redirect_uri"] = redirect_uri
        data = self._lwa(form, grant="authorization_code")
        refresh = str(data.get("refresh_token", ""))
        if not refresh:
            raise TemporaryFailure("Login with Amazon answered without a refresh token.")
        grant = TokenGrant(str(data["access_token"]), refresh, int(data.get("expires_in", 3600)))
        self.credentials = LwaCredentials(client_id, secret, refresh)
        self._store_token(grant)
        return grant

    def _app_credentials(self) -> LwaCredentials:
        if self.credentials is not None:
            return self.credentials
        if not self.config.lwa_client_id or not self.config.lwa_client_secret:
            raise InvalidCredentials(
                "This colis instance has no Amazon SP-API application configured."
            )
        return LwaCredentials(self.config.lwa_client_id, self.config.lwa_client_secret, "")

    def grantless_token(self, scope: str) -> str:
        """A grantless access token of the application (e.g. `sellingpartnerapi::migration`)."""
        app = self._app_credentials()
        data = self._lwa(
            {
                "grant_type": "client_credentials",
                "scope": scope,
                "client_id": app.client_id,
                "client_secret": app.client_secret,
            },
            grant="client_credentials",
        )
        return str(data["access_token"])

    def _require_lwa(self) -> LwaCredentials:
        if self.credentials is None or not self.credentials.refresh_token:
            raise InvalidCredentials("No SP-API refresh token is stored for this shop.")
        return self.credentials

    def _store_token(self, grant: TokenGrant) -> None:
        from colis.marketplaces.models import CachedAccessToken

        creds = self._require_lwa()
        CachedAccessToken.objects.update_or_create(
            key_hash=_cache_key(creds.client_id, creds.refresh_token),
            defaults={
                "access_token": grant.access_token,
                "expires_at": clock.now() + dt.timedelta(seconds=grant.expires_in),
            },
        )

    def access_token(self, *, force: bool = False) -> str:
        """A valid LWA access token: from the shared cache until ~60 s before expiry."""
        from colis.marketplaces.models import CachedAccessToken

        creds = self._require_lwa()
        key = _cache_key(creds.client_id, creds.refresh_token)
        if not force:
            cached = CachedAccessToken.objects.filter(
                key_hash=key,
                expires_at__gt=clock.now() + dt.timedelta(seconds=TOKEN_MARGIN_SECONDS),
            ).first()
            if cached is not None:
                return cached.access_token
        grant = self.exchange_refresh_token()
        self._store_token(grant)
        return grant.access_token

    def forget_access_token(self) -> None:
        from colis.marketplaces.models import CachedAccessToken

        if self.credentials is not None:
            CachedAccessToken.objects.filter(
                key_hash=_cache_key(self.credentials.client_id, self.credentials.refresh_token)
            ).delete()

    # --- SP-API -----------------------------------------------------------------------
    def _bucket(self, operation: str, *, app: str) -> str:
        return bucket_key(self.seller_id or "-", app, operation)

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        restricted_token: str | None = None,
        grantless_scope: str | None = None,
        attempts: int | None = None,
    ) -> Any:
        """One SP-API call: JSON in, JSON out (None for 204), errors as port errors.

        `restricted_token` sends a Restricted Data Token instead of the access token;
        `grantless_scope` a grantless token of the application (client_credentials grant);
        `attempts` caps the tries of this call (1 for a call that must not be repeated
        blindly, such as confirmShipment: its caller reads back before sending again).
        """
        creds = self._app_credentials() if grantless_scope else self._require_lwa()
        plan = self._plan(SPAPI_PLANS.get(operation, DEFAULT_PLAN))
        key = self._bucket(operation, app=creds.client_id)
        url = self.config.spapi_endpoint(self.region) + path
        last: ConnectorError = TemporaryFailure("Amazon did not answer.")
        renewed = False
        tries = self.max_attempts if attempts is None else max(1, attempts)
        for attempt in range(tries):
            wait = self.limiter.acquire(key, plan)
            if wait > 0:
                self.sleep(wait)
            token = restricted_token or (
                self.grantless_token(grantless_scope) if grantless_scope else self.access_token()
            )
            try:
                response = self.http.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers={"x-amz-access-token": token, "accept": "application/json"},
                )
            except httpx.TimeoutException:
                last = TemporaryFailure(f"Amazon did not answer {operation} in time.")
                log.warning("amazon %s: time-out (attempt %d)", operation, attempt + 1)
            except httpx.TransportError:
                last = TemporaryFailure(f"The connection to Amazon was lost during {operation}.")
                log.warning("amazon %s: connection lost (attempt %d)", operation, attempt + 1)
            else:
                status = response.status_code
                rid = response.headers.get("x-amzn-RequestId", "")
                log.info("amazon %s -> %s (request %s)", operation, status, rid)
                self._learn_rate(response, key, plan)
                if 200 <= status < 300:
                    if status == 204 or not response.content:
                        return None
                    try:
                        return response.json()
                    except ValueError:
                        last = TemporaryFailure(f"Amazon sent an unreadable answer to {operation}.")
                elif status == 429:
                    self.limiter.drain(key, plan)
                    last = TemporaryFailure(
                        f"Amazon throttled {operation} (HTTP 429).",
                        code="QuotaExceeded",
                        status=429,
                    )
                    continue  # the drained bucket paces the retry: no extra backoff
                elif status in RETRY_STATUSES:
                    code, _message, _ = _amazon_error(response)
                    last = TemporaryFailure(
                        f"Amazon could not serve {operation} (HTTP {status}{', ' + code if code else ''}).",
                        code=code,
                        status=status,
                    )
                elif (
                    status in (401, 403)
                    and not renewed
                    and not (restricted_token or grantless_scope)
                ):
                    # A cached token may have lapsed early (clock skew, revocation, rotation):
                    # exchange the refresh token again once, which also tells revoked from denied.
                    renewed = True
                    self.forget_access_token()
                    continue
                else:
                    raise self._spapi_error(response, operation)
            if attempt + 1 < tries:
                self.sleep(_jitter_backoff(attempt, self.backoff_base, self.backoff_cap))
        raise last

    def _plan(self, plan: RatePlan) -> RatePlan:
        scale = self.config.rate_scale
        return plan if scale == 1.0 else RatePlan(plan.rate * scale, plan.burst)

    def _learn_rate(self, response: httpx.Response, key: str, plan: RatePlan) -> None:
        raw = response.headers.get("x-amzn-RateLimit-Limit")
        if not raw:
            return
        try:
            rate = float(raw)
        except ValueError:
            return
        if rate > 0:
            self.limiter.set_rate(key, plan, rate)

    @staticmethod
    def _spapi_error(response: httpx.Response, operation: str) -> ConnectorError:
        status = response.status_code
        code, message, details = _amazon_error(response)
        if status in (401, 403):
            text = f"{message} {details}".lower()
            if "revoked" in text:
                return AuthorizationRevoked(
                    "Amazon denied access: the seller's authorization is revoked or invalid. "
                    "Authorize colis again in Seller Central.",
                    code=code or "Unauthorized",
                    status=status,
                )
            if "expired" in text:
                return AuthorizationExpired(
                    "Amazon denied access: the authorization has expired.",
                    code=code or "Unauthorized",
                    status=status,
                )
            return InvalidCredentials(
                f"Amazon denied access to {operation}: the application may lack the role this "
                f"call needs ({message or 'Access to requested resource is denied.'}).",
                code=code or "Unauthorized",
                status=status,
            )
        if status == 404:
            return InvalidRequest(
                message or "Amazon found nothing there.", code=code or "NotFound", status=404
            )
        return InvalidRequest(
            message or f"Amazon refused {operation} (HTTP {status}).", code=code, status=status
        )

    def restricted_data_token(self, resources: list[dict[str, Any]]) -> str:
        """A Restricted Data Token for v0 PII, reused (per client) until ~60 s before expiry."""
        cache_key = repr(resources)
        with self._lock:
            if self._rdt and self._rdt[2] == cache_key and self._rdt[1] > time.monotonic():
                return self._rdt[0]
        data = self.request(
            "POST",
            "/tokens/2021-03-01/restrictedDataToken",
            operation="createRestrictedDataToken",
            json_body={"restrictedResources": resources},
        )
        token = str((data or {}).get("restrictedDataToken", ""))
        if not token:
            raise TemporaryFailure("Amazon answered without a restricted data token.")
        ttl = int((data or {}).get("expiresIn", 3600))
        with self._lock:
            self._rdt = (token, time.monotonic() + max(0, ttl - TOKEN_MARGIN_SECONDS), cache_key)
        return token

    def forget_restricted_data_token(self) -> None:
        with self._lock:
            self._rdt = None

    # --- MWS --------------------------------------------------------------------------
    def mws(
        self,
        action: str,
        *,
        path: str,
        version: str,
        marketplace_id: str,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
        attempts: int | None = None,
    ) -> etree._Element:
        """One signed MWS call (POST, form-encoded); the parsed XML answer.

        With `body` (SubmitFeed), the signed parameters go in the query string and `body`
        is the request's content (the caller puts its MD5 in `ContentMD5Value`)."""
        creds = self.mws_credentials
        if creds is None or not creds.access_key or not creds.secret_key:
            raise InvalidCredentials("This colis instance has no MWS developer keys configured.")
        plan = self._plan(MWS_PLANS.get(action, DEFAULT_PLAN))
        key = self._bucket(f"mws.{action}", app=creds.access_key)
        url = self.config.mws_endpoint(marketplace_id) + path
        last: ConnectorError = TemporaryFailure("Amazon MWS did not answer.")
        tries = self.max_attempts if attempts is None else max(1, attempts)
        for attempt in range(tries):
            wait = self.limiter.acquire(key, plan)
            if wait > 0:
                self.sleep(wait)
            form = mws.signed_params(
                method="POST",
                url=url,
                action=action,
                version=version,
                access_key=creds.access_key,
                secret_key=creds.secret_key,
                seller_id=self.seller_id,
                auth_token=creds.auth_token,
                params=params or {},
                now=clock.now(),
            )
            try:
                if body is None:
                    response = self.http.post(
                        url,
                        content=mws.canonical_query(form).encode("ascii"),
                        headers={
                            "content-type": "application/x-www-form-urlencoded; charset=utf-8"
                        },
                    )
                else:
                    response = self.http.post(
                        f"{url}?{mws.canonical_query(form)}",
                        content=body,
                        headers={"content-type": "text/xml; charset=utf-8"},
                    )
            except httpx.TimeoutException:
                last = TemporaryFailure(f"Amazon MWS did not answer {action} in time.")
            except httpx.TransportError:
                last = TemporaryFailure(f"The connection to Amazon MWS was lost during {action}.")
            else:
                status = response.status_code
                log.info("mws %s -> %s", action, status)
                root = _parse_xml(response.content)
                code, message = _mws_error(root)
                if status == 200 and root is not None and not code:
                    return root
                if status == 200 and root is None:
                    last = TemporaryFailure(f"Amazon MWS sent an unreadable answer to {action}.")
                elif code == "RequestThrottled" or status in RETRY_STATUSES:
                    if code == "RequestThrottled" or status == 429:
                        self.limiter.drain(key, plan)
                        last = TemporaryFailure(
                            f"Amazon MWS throttled {action}.",
                            code="RequestThrottled",
                            status=status,
                        )
                        continue
                    last = TemporaryFailure(
                        f"Amazon MWS could not serve {action} (HTTP {status}).",
                        code=code,
                        status=status,
                    )
                else:
                    raise _mws_exception(status, code, message, action)
            if attempt + 1 < tries:
                self.sleep(_jitter_backoff(attempt, self.backoff_base, self.backoff_cap))
        raise last


def _parse_xml(content: bytes) -> etree._Element | None:
    if not content:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError:
        return None


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _mws_error(root: etree._Element | None) -> tuple[str, str]:
    if root is None:
        return "", ""
    if _local(root.tag) not in {"ErrorResponse", "Error"}:
        return "", ""
    error = (
        root
        if _local(root.tag) == "Error"
        else next((e for e in root.iter() if _local(e.tag) == "Error"), None)
    )
    if error is None:
        return "", ""
    code = message = ""
    for child in error:
        if _local(child.tag) == "Code":
            code = (child.text or "").strip()
        elif _local(child.tag) == "Message":
            message = (child.text or "").strip()
    return scrub(code), scrub(message)


def _mws_exception(status: int, code: str, message: str, action: str) -> ConnectorError:
    text = f"{code} {message}".lower()
    if code in {"InvalidAccessKeyId", "SignatureDoesNotMatch"}:
        return InvalidCredentials(
            "Amazon MWS rejected the instance's developer keys (access key or secret key).",
            code=code,
            status=status,
        )
    if "expired" in text:
        return AuthorizationExpired(
            "The seller's MWS authorization has expired: renew it in Seller Central "
            "(Settings > User Permissions).",
            code=code,
            status=status,
        )
    if code in {"AccessDenied", "Unauthorized", "InvalidMWSAuthToken"} or status in (401, 403):
        if "revoked" in text or "not authorized" in text or "deactivated" in text:
            return AuthorizationRevoked(
                f"Amazon MWS refused access: {message or code}", code=code, status=status
            )
        return InvalidCredentials(
            f"Amazon MWS refused access: {message or code}", code=code, status=status
        )
    return InvalidRequest(
        message or f"Amazon MWS refused {action} ({code or status}).", code=code, status=status
    )
