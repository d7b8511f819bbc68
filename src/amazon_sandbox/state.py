"""The sandbox's in-memory state: applications, sellers, authorizations, tokens, orders,
feeds, rate limits, faults and the ground truth the tests read back."""

from __future__ import annotations

import secrets
import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Any

from . import defaults
from .catalog import Catalog
from .clock import SandboxClock, iso
from .constants import (
    ACCESS_TOKEN_SECONDS,
    AUTH_CODE_SECONDS,
    AUTH_LIFETIME_SECONDS,
    CARRIER_CODES,
    CLIENT_SECRET_LIFETIME_SECONDS,
    MARKETPLACES,
    RESTRICTED_ROLES,
)
from .faults import FaultTable
from .orders import OrderBook
from .ratelimit import RateLimiter


@dataclass(slots=True)
class Application:
    application_id: str
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    roles: list[str]
    name: str = "Sandbox application"
    published: bool = True  # drafts need &version=beta on the consent page
    secret_expires_at: float = 0.0

    @property
    def pii(self) -> bool:
        return bool(RESTRICTED_ROLES.intersection(self.roles))

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["secret_expires_at"] = iso(self.secret_expires_at)
        return data


@dataclass(slots=True)
class Authorization:
    """One seller's grant to one SP-API application or one MWS developer."""

    kind: str  # "spapi" or "mws"
    seller_id: str
    grantee: str  # application id or MWS developer id
    granted_at: float
    expires_at: float
    revoked_at: float = 0.0
    refresh_token: str = ""  # SP-API: the current refresh token
    mws_auth_token: str = ""  # MWS: the (stable) auth token
    history: list[dict[str, str]] = field(default_factory=list)

    def state(self, now: float) -> str:
        if self.revoked_at:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "active"

    def to_json(self, now: float) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "seller_id": self.seller_id,
            "application_id" if self.kind == "spapi" else "developer_id": self.grantee,
            "state": self.state(now),
            "granted_at": iso(self.granted_at),
            "expires_at": iso(self.expires_at),
            "revoked_at": iso(self.revoked_at) if self.revoked_at else None,
            "refresh_token": self.refresh_token or None,
            "mws_auth_token": self.mws_auth_token or None,
            "history": self.history,
        }


@dataclass(slots=True)
class AccessToken:
    application_id: str
    seller_id: str | None  # None for grantless tokens
    expires_at: float
    scope: str = ""


@dataclass(slots=True)
class AuthCode:
    application_id: str
    seller_id: str
    expires_at: float
    redirect_uri: str
    used: bool = False


@dataclass(slots=True)
class RestrictedToken:
    application_id: str
    seller_id: str
    resources: list[dict[str, Any]]
    expires_at: float


@dataclass(slots=True)
class MwsDeveloper:
    developer_id: str
    access_key_id: str
    secret_key: str


class Sandbox:
    def __init__(
        self,
        *,
        seed: int = 1,
        orders: int = 200,
        time_scale: float = 1.0,
        rate_limits: bool = True,
        start: float | None = None,
        redirect_uri: str = defaults.REDIRECT_URI,
    ) -> None:
        from datetime import UTC, datetime

        self.seed = seed
        self.lock = threading.RLock()
        self.clock = SandboxClock(datetime.fromtimestamp(start, tz=UTC) if start else None)
        self.started_at = self.clock.now()
        self.base_url = ""  # set by the runner once the port is known
        self.catalog = Catalog(seed)
        self.orders = OrderBook(seed, orders, self.started_at, self.catalog)
        self.limiter = RateLimiter(self.clock.now, time_scale, rate_limits)
        self.faults = FaultTable(seed)
        self.applications: dict[str, Application] = {}
        self.authorizations: list[Authorization] = []
        self.access_tokens: dict[str, AccessToken] = {}
        self.auth_codes: dict[str, AuthCode] = {}
        self.rdts: dict[str, RestrictedToken] = {}
        self.mws_developers: dict[str, MwsDeveloper] = {}
        self.carrier_codes: dict[str, set[str]] = {
            m.id: set(CARRIER_CODES) for m in MARKETPLACES.values()
        }
        # Ground truth.
        self.call_counts: Counter[str] = Counter()
        self.throttled_counts: Counter[str] = Counter()
        self.status_counts: dict[str, Counter[str]] = {}
        self.call_log: deque[dict[str, Any]] = deque(maxlen=5000)
        self.shipments: list[dict[str, Any]] = []
        self.feeds: dict[str, dict[str, Any]] = {}
        self.feed_documents: dict[str, dict[str, Any]] = {}
        self.mws_feeds: dict[str, dict[str, Any]] = {}
        self.fragments: dict[tuple[Any, ...], bytes] = {}  # rendered orders, keyed by version
        self._seed_identities(redirect_uri)

    # --- identities -------------------------------------------------------------
    def _seed_identities(self, redirect_uri: str) -> None:
        now = self.started_at
        self.register_application(
            Application(
                defaults.APPLICATION_ID,
                defaults.LWA_CLIENT_ID,
                defaults.LWA_CLIENT_SECRET,
                [redirect_uri],
                list(defaults.APPLICATION_ROLES),
                defaults.APPLICATION_NAME,
            )
        )
        self.register_application(
            Application(
                defaults.NOPII_APPLICATION_ID,
                defaults.NOPII_LWA_CLIENT_ID,
                defaults.NOPII_LWA_CLIENT_SECRET,
                [redirect_uri],
                list(defaults.NOPII_APPLICATION_ROLES),
                "colis without PII (sandbox)",
            )
        )
        self.mws_developers[defaults.MWS_DEVELOPER_ID] = MwsDeveloper(
            defaults.MWS_DEVELOPER_ID, defaults.MWS_ACCESS_KEY_ID, defaults.MWS_SECRET_KEY
        )
        for seller in defaults.ALL_SELLERS:
            self.authorizations.append(
                Authorization(
                    "spapi",
                    seller.selling_partner_id,
                    defaults.APPLICATION_ID,
                    now,
                    now + AUTH_LIFETIME_SECONDS,
                    refresh_token=seller.refresh_token,
                )
            )
            self.authorizations.append(
                Authorization(
                    "mws",
                    seller.selling_partner_id,
                    defaults.MWS_DEVELOPER_ID,
                    now,
                    now + AUTH_LIFETIME_SECONDS,
                    mws_auth_token=seller.mws_auth_token,
                )
            )

    def register_application(self, app: Application) -> Application:
        with self.lock:
            if not app.secret_expires_at:
                app.secret_expires_at = self.clock.now() + CLIENT_SECRET_LIFETIME_SECONDS
            self.applications[app.application_id] = app
        return app

    def app_by_client_id(self, client_id: str) -> Application | None:
        return next((a for a in self.applications.values() if a.client_id == client_id), None)

    def seller_ids(self) -> list[str]:
        return [s.selling_partner_id for s in defaults.ALL_SELLERS]

    def find_authorization(self, kind: str, seller_id: str, grantee: str) -> Authorization | None:
        return next(
            (
                a
                for a in self.authorizations
                if a.kind == kind and a.seller_id == seller_id and a.grantee == grantee
            ),
            None,
        )

    def authorization_by_refresh_token(self, token: str) -> Authorization | None:
        return next(
            (a for a in self.authorizations if a.kind == "spapi" and a.refresh_token == token), None
        )

    # --- LWA --------------------------------------------------------------------
    def issue_code(self, app: Application, seller_id: str, redirect_uri: str) -> str:
        code = "ANDB" + secrets.token_urlsafe(18).replace("-", "x").replace("_", "y")
        with self.lock:
            self.auth_codes[code] = AuthCode(
                app.application_id, seller_id, self.clock.now() + AUTH_CODE_SECONDS, redirect_uri
            )
        return code

    def grant_spapi(self, app_id: str, seller_id: str) -> Authorization:
        """(Re-)authorize: a new refresh token replaces the old, a year from now."""
        now = self.clock.now()
        token = "Atzr|IwEBI" + secrets.token_urlsafe(48)
        with self.lock:
            auth = self.find_authorization("spapi", seller_id, app_id)
            if auth is None:
                auth = Authorization("spapi", seller_id, app_id, now, now + AUTH_LIFETIME_SECONDS)
                self.authorizations.append(auth)
            else:
                auth.history.append(
                    {
                        "event": "reauthorized",
                        "at": iso(now),
                        "old_refresh_token": auth.refresh_token,
                    }
                )
            auth.granted_at, auth.expires_at, auth.revoked_at = (
                now,
                now + AUTH_LIFETIME_SECONDS,
                0.0,
            )
            auth.refresh_token = token
        return auth

    def issue_access_token(
        self, app_id: str, seller_id: str | None, scope: str = ""
    ) -> tuple[str, int]:
        token = "Atza|IwEBI" + secrets.token_urlsafe(48)
        with self.lock:
            self.access_tokens[token] = AccessToken(
                app_id, seller_id, self.clock.now() + ACCESS_TOKEN_SECONDS, scope
            )
            if len(self.access_tokens) > 50_000:
                self._purge_tokens()
        return token, ACCESS_TOKEN_SECONDS

    def _purge_tokens(self) -> None:
        now = self.clock.now()
        self.access_tokens = {k: v for k, v in self.access_tokens.items() if v.expires_at > now}
        self.rdts = {k: v for k, v in self.rdts.items() if v.expires_at > now}

    # --- authorization controls -------------------------------------------------
    def expire_authorization(self, auth: Authorization) -> None:
        now = self.clock.now()
        auth.expires_at = min(auth.expires_at, now)
        auth.history.append({"event": "expired", "at": iso(now)})

    def revoke_authorization(self, auth: Authorization) -> None:
        now = self.clock.now()
        auth.revoked_at = now
        auth.history.append({"event": "revoked", "at": iso(now)})

    def renew_authorization(self, auth: Authorization) -> None:
        """MWS renewal: the same token works again, for a year from now. SP-API renewal
        goes through the consent page (new refresh token); as a shortcut this control
        re-activates the current refresh token."""
        now = self.clock.now()
        auth.revoked_at = 0.0
        auth.granted_at, auth.expires_at = now, now + AUTH_LIFETIME_SECONDS
        auth.history.append({"event": "renewed", "at": iso(now)})

    # --- ground truth -----------------------------------------------------------
    def record_call(
        self,
        operation: str,
        status: int,
        *,
        seller: str | None,
        throttled: bool = False,
        path: str = "",
        request_id: str = "",
    ) -> None:
        with self.lock:
            self.call_counts[operation] += 1
            if throttled:
                self.throttled_counts[operation] += 1
            self.status_counts.setdefault(operation, Counter())[str(status)] += 1
            self.call_log.append(
                {
                    "at": iso(self.clock.now()),
                    "operation": operation,
                    "status": status,
                    "seller_id": seller,
                    "throttled": throttled,
                    "path": path,
                    "request_id": request_id,
                }
            )

    def reset_calls(self) -> None:
        with self.lock:
            self.call_counts.clear()
            self.throttled_counts.clear()
            self.status_counts.clear()
            self.call_log.clear()

    def calls_json(self, limit: int = 200) -> dict[str, Any]:
        with self.lock:
            ops = {
                op: {
                    "count": n,
                    "throttled": self.throttled_counts.get(op, 0),
                    "statuses": dict(self.status_counts.get(op, {})),
                }
                for op, n in sorted(self.call_counts.items())
            }
            log = list(self.call_log)[-limit:] if limit else []
        return {"operations": ops, "total": sum(self.call_counts.values()), "log": log}
