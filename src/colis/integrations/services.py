"""Connecting, changing and disconnecting shops (integrations).

Keyword-only, typed services. Each connecting service first checks the onboarding gate.
Marketplace specifics come through `colis.integrations.registry` (entry points); errors are
the typed ones of `colis.integrations.errors` or the port's `ConnectorError`s, every message
safe to show (no secret ever).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from colis.accounts.selectors import onboarding_require_ready
from colis.common import clock
from colis.integrations.errors import (
    IntegrationAlreadyConnected,
    IntegrationNotFound,
    InvalidIntegrationInput,
    OAuthStateInvalid,
    PendingConnectionInvalid,
)
from colis.integrations.models import Integration, OAuthState, PendingConnection
from colis.integrations.ports import ConnectionCheck, ConnectorError
from colis.integrations.registry import MarketplaceAuthorizer, authorizer_for

log = logging.getLogger("colis.integrations")

OAUTH_STATE_TTL = dt.timedelta(minutes=10)
PENDING_TTL = dt.timedelta(minutes=30)
AUTHORIZATION_LIFETIME = dt.timedelta(days=365)
ISO_COUNTRY = {"UK": "GB"}

SELLER_ID_RE = re.compile(r"^A[A-Z0-9]{12,14}$")
MWS_AUTH_TOKEN_RE = re.compile(
    r"^amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE
)
LWA_CLIENT_ID_RE = re.compile(r"^amzn1\.application-oa2-client\.[0-9a-zA-Z]{16,64}$")
REFRESH_TOKEN_RE = re.compile(r"^Atzr\|\S{10,2048}$")

SETTINGS_FIELDS = {
    "name",
    "feedback_type",
    "import_weight",
    "default_weight_grams",
    "first_import_days",
    "import_afn",
    "hold_prime",
    "import_interval_minutes",
}


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _json(value: Any) -> dict[str, Any]:
    """An EncryptedJSONField's value (typed as text by the stubs) as a dict."""
    return dict(value) if isinstance(value, dict) else {}


def _gate(*, account: Any, user: Any) -> None:
    onboarding_require_ready(account=account, user=user)


def _authorizer(channel: str = Integration.Channel.AMAZON) -> MarketplaceAuthorizer:
    return authorizer_for(channel)


# --- validation ---------------------------------------------------------------------------------
def _clean_settings(*, name: str, feedback_type: str, import_weight: bool) -> dict[str, Any]:
    name = (name or "").strip()
    if len(name) > 90:
        raise InvalidIntegrationInput("Keep the name under 90 characters.", field="name")
    if feedback_type not in Integration.FeedbackType.values:
        raise InvalidIntegrationInput(
            "Choose when to send shipments back: eager, delayed or none.", field="feedback_type"
        )
    return {"name": name, "feedback_type": feedback_type, "import_weight": bool(import_weight)}


def _check_seller_id(seller_id: str) -> str:
    seller_id = (seller_id or "").strip()
    if not SELLER_ID_RE.match(seller_id):
        raise InvalidIntegrationInput(
            "A Seller ID is 'A' followed by 12 to 14 capital letters or digits "
            "(Seller Central › Settings › Account Info › Merchant Token).",
            field="seller_id",
        )
    return seller_id


def _self_seller_id(lwa_client_id: str) -> str:
    return "SELF" + hashlib.sha256(lwa_client_id.encode()).hexdigest()[:12].upper()


def _check_marketplace(authorizer: MarketplaceAuthorizer, marketplace_id: str) -> dict[str, str]:
    info = authorizer.marketplaces().get((marketplace_id or "").strip())
    if info is None:
        raise InvalidIntegrationInput(
            "This is not a known Amazon marketplace ID.", field="marketplace_id"
        )
    return info


def marketplace_info(
    *, marketplace_id: str, channel: str = Integration.Channel.AMAZON
) -> dict[str, str]:
    """{"country", "iso", "region", "name"} of a known marketplace; a field error otherwise."""
    return _check_marketplace(_authorizer(channel), marketplace_id)


# --- pending connections ------------------------------------------------------------------------
def _pending_create(
    *,
    account: Any,
    user: Any,
    auth_kind: str,
    check: ConnectionCheck,
    settings: dict[str, Any],
    region: str,
) -> PendingConnection:
    participations = [
        {
            "marketplace_id": p.marketplace_id,
            "country_code": p.country_code,
            "name": p.name,
            "currency": p.currency,
        }
        for p in check.participations
        if p.is_participating
    ]
    return PendingConnection.objects.create(
        account=account,
        user=user,
        auth_kind=auth_kind,
        seller_id=check.seller_id,
        payload={  # type: ignore[misc]  # an encrypted JSON document
            "credentials": dict(check.credentials),
            "participations": participations,
            "settings": settings,
            "region": region,
        },
        expires_at=clock.now() + PENDING_TTL,
    )


def pending_participations(*, pending: PendingConnection) -> list[dict[str, str]]:
    """The marketplaces the seller may pick from (no credentials)."""
    payload: dict[str, Any] = _json(pending.payload)
    return list(payload.get("participations", []))


# --- website authorization (OAuth) --------------------------------------------------------------
def integration_oauth_start(
    *,
    account: Any,
    user: Any,
    session_key: str,
    name: str,
    feedback_type: str,
    import_weight: bool,
    region: str = "EU",
) -> str:
    """The Seller Central consent URL, with a single-use `state` bound to this session."""
    _gate(account=account, user=user)
    if not session_key:
        raise InvalidIntegrationInput("A browser session is needed to connect a shop.")
    settings = _clean_settings(name=name, feedback_type=feedback_type, import_weight=import_weight)
    if region not in {"NA", "EU", "FE"}:
        raise InvalidIntegrationInput("Choose an Amazon region: NA, EU or FE.", field="region")
    state = secrets.token_urlsafe(32)
    url = _authorizer().consent_url(state=state, region=region)
    OAuthState.objects.create(
        account=account,
        user=user,
        state_hash=_hash(state),
        session_key_hash=_hash(session_key),
        settings={**settings, "region": region},
    )
    return url


def integration_oauth_callback(
    *,
    account: Any,
    user: Any,
    session_key: str,
    state: str,
    selling_partner_id: str,
    spapi_oauth_code: str,
) -> PendingConnection:
    """Check the `state` (this account, this session, unused, < 10 minutes), use it up, and
    exchange the code for a refresh token; the marketplaces wait in a PendingConnection."""
    _gate(account=account, user=user)
    row = OAuthState.objects.filter(
        account=account,
        state_hash=_hash(state or ""),
        session_key_hash=_hash(session_key or ""),
    ).first()
    if row is None:
        raise OAuthStateInvalid(
            "This authorization does not match a connection started here: start connecting again."
        )
    now = clock.now()
    if row.created_at < now - OAUTH_STATE_TTL:
        raise OAuthStateInvalid(
            "This authorization took more than 10 minutes: start connecting again."
        )
    # Do-once: the conditional UPDATE is the guard, not the read above.
    if OAuthState.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise OAuthStateInvalid("This authorization was already used: start connecting again.")
    seller_id = _check_seller_id(selling_partner_id)
    if not spapi_oauth_code:
        raise OAuthStateInvalid("Amazon sent no authorization code: start connecting again.")
    settings = dict(row.settings or {})
    region = str(settings.pop("region", "EU"))
    check = _authorizer().exchange_code(
        selling_partner_id=seller_id, code=spapi_oauth_code, region=region
    )
    return _pending_create(
        account=account,
        user=user,
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        check=check,
        settings=settings,
        region=region,
    )


def integration_self_authorized_check(
    *,
    account: Any,
    user: Any,
    lwa_client_id: str,
    lwa_client_secret: str,
    refresh_token: str,
    name: str,
    feedback_type: str,
    import_weight: bool,
    seller_id: str = "",
    region: str = "EU",
) -> PendingConnection:
    """Check a seller's own (self-authorized) SP-API application's credentials."""
    _gate(account=account, user=user)
    settings = _clean_settings(name=name, feedback_type=feedback_type, import_weight=import_weight)
    lwa_client_id = (lwa_client_id or "").strip()
    lwa_client_secret = (lwa_client_secret or "").strip()
    refresh_token = (refresh_token or "").strip()
    if not LWA_CLIENT_ID_RE.match(lwa_client_id):
        raise InvalidIntegrationInput(
            "An LWA client ID starts with 'amzn1.application-oa2-client.'.", field="lwa_client_id"
        )
    if not lwa_client_secret or len(lwa_client_secret) > 512:
        raise InvalidIntegrationInput(
            "Enter the application's LWA client secret.", field="lwa_client_secret"
        )
    if not REFRESH_TOKEN_RE.match(refresh_token):
        raise InvalidIntegrationInput("A refresh token starts with 'Atzr|'.", field="refresh_token")
    # SP-API has no "who am I": a self-authorized (private) application belongs to one seller,
    # so without the Seller ID its client ID stands in for it (weights then come from the
    # catalog only: the listing fallback needs the real Seller ID).
    seller_id = _check_seller_id(seller_id) if seller_id else _self_seller_id(lwa_client_id)
    check = _authorizer().check_self_authorized(
        seller_id=seller_id,
        lwa_client_id=lwa_client_id,
        lwa_client_secret=lwa_client_secret,
        refresh_token=refresh_token,
        region=region,
    )
    return _pending_create(
        account=account,
        user=user,
        auth_kind=Integration.AuthKind.SPAPI_SELF,
        check=check,
        settings=settings,
        region=region,
    )


def _create_integrations(*, account: Any, rows: list[Integration]) -> list[Integration]:
    try:
        with transaction.atomic():
            for row in rows:
                row.save(force_insert=True)
    except IntegrityError:
        # The database constraint is the guard; find which one, for the message.
        for row in rows:
            live = (
                Integration.objects.filter(
                    account=account,
                    channel=row.channel,
                    seller_id=row.seller_id,
                    marketplace_id=row.marketplace_id,
                )
                .exclude(state=Integration.State.DISCONNECTED)
                .first()
            )
            if live is not None:
                raise IntegrationAlreadyConnected(
                    f"This Amazon shop ({row.country_code or row.marketplace_id}) is already "
                    f"connected as “{live.name}”.",
                    seller_id=row.seller_id,
                    marketplace_id=row.marketplace_id,
                ) from None
        raise
    return rows


def _integration(
    *,
    account: Any,
    auth_kind: str,
    seller_id: str,
    marketplace_id: str,
    country: str,
    region: str,
    credentials: dict[str, Any],
    settings: dict[str, Any],
) -> Integration:
    now = clock.now()
    base = settings.get("name") or "Amazon"
    return Integration(
        account=account,
        channel=Integration.Channel.AMAZON,
        name=f"{base} {country}".strip()[:100],
        auth_kind=auth_kind,
        seller_id=seller_id,
        marketplace_id=marketplace_id,
        country_code=ISO_COUNTRY.get(country, country)[:2],
        region=region,
        credentials=credentials,  # type: ignore[misc]  # an encrypted JSON document
        feedback_type=settings.get("feedback_type", Integration.FeedbackType.EAGER),
        import_weight=bool(settings.get("import_weight", True)),
        state=Integration.State.ACTIVE,
        authorized_at=now,
        expires_at=now + AUTHORIZATION_LIFETIME,
    )


def integration_create_from_pending(
    *, account: Any, user: Any, pending_id: int, marketplace_ids: list[str]
) -> list[Integration]:
    """One integration per chosen participating marketplace, all in one transaction."""
    _gate(account=account, user=user)
    pending = PendingConnection.objects.filter(account=account, pk=pending_id).first()
    now = clock.now()
    if pending is None or pending.used_at is not None or pending.expires_at <= now:
        raise PendingConnectionInvalid(
            "This connection has expired or was already used: start again."
        )
    payload = _json(pending.payload)
    offered = {p["marketplace_id"]: p for p in payload.get("participations", [])}
    chosen = list(dict.fromkeys(m.strip() for m in marketplace_ids or [] if m and m.strip()))
    if not chosen:
        raise InvalidIntegrationInput("Choose at least one marketplace.", field="marketplace_ids")
    unknown = [m for m in chosen if m not in offered]
    if unknown:
        raise InvalidIntegrationInput(
            "The seller does not sell in marketplace " + ", ".join(unknown) + ".",
            field="marketplace_ids",
        )
    rows = [
        _integration(
            account=account,
            auth_kind=pending.auth_kind,
            seller_id=pending.seller_id,
            marketplace_id=m,
            country=str(offered[m].get("country_code", "")),
            region=str(payload.get("region", "EU")),
            credentials=dict(payload.get("credentials", {})),
            settings=dict(payload.get("settings", {})),
        )
        for m in chosen
    ]
    with transaction.atomic():
        if (
            PendingConnection.objects.filter(pk=pending.pk, used_at__isnull=True).update(
                used_at=now
            )
            != 1
        ):
            raise PendingConnectionInvalid("This connection was already used: start again.")
        created = _create_integrations(account=account, rows=rows)
    return created


def integration_create_mws(
    *,
    account: Any,
    user: Any,
    name: str,
    seller_id: str,
    marketplace_id: str,
    mws_auth_token: str,
    feedback_type: str,
    import_weight: bool,
) -> Integration:
    """Connect with the seller's MWS credentials (checked with ListMarketplaceParticipations);
    where this instance has an SP-API application, also migrate to an SP-API refresh token."""
    _gate(account=account, user=user)
    settings = _clean_settings(name=name, feedback_type=feedback_type, import_weight=import_weight)
    seller_id = _check_seller_id(seller_id)
    authorizer = _authorizer()
    info = _check_marketplace(authorizer, marketplace_id)
    marketplace_id = marketplace_id.strip()
    mws_auth_token = (mws_auth_token or "").strip()
    if not MWS_AUTH_TOKEN_RE.match(mws_auth_token):
        raise InvalidIntegrationInput(
            "An MWS auth token is 'amzn.mws.' followed by a UUID.", field="mws_auth_token"
        )
    if not authorizer.has_mws():
        raise InvalidIntegrationInput(
            "This colis instance has no MWS developer keys: connect with Seller Central instead."
        )
    check = authorizer.check_mws(
        seller_id=seller_id, marketplace_id=marketplace_id, mws_auth_token=mws_auth_token
    )
    if marketplace_id not in {p.marketplace_id for p in check.participations}:
        raise InvalidIntegrationInput(
            f"Amazon says this seller does not sell on {info['name']}.", field="marketplace_id"
        )
    credentials: dict[str, Any] = {"mws_auth_token": mws_auth_token}
    if authorizer.has_app():
        try:
            credentials["refresh_token"] = authorizer.migrate_mws(
                seller_id=seller_id, mws_auth_token=mws_auth_token, region=info["region"]
            )
        except ConnectorError as exc:
            # The MWS credentials work; the SP-API migration can be retried by reconnecting.
            log.warning("MWS -> SP-API migration failed for an integration: %s", exc.message)
    row = _integration(
        account=account,
        auth_kind=Integration.AuthKind.MWS,
        seller_id=seller_id,
        marketplace_id=marketplace_id,
        country=info["country"],
        region=info["region"],
        credentials=credentials,
        settings=settings,
    )
    return _create_integrations(account=account, rows=[row])[0]


# --- changing and disconnecting -----------------------------------------------------------------
def _own(*, account: Any, integration_id: int) -> Integration:
    row = Integration.objects.filter(account=account, pk=integration_id).first()
    if row is None:
        raise IntegrationNotFound("Not found.")
    return row


def integration_update(*, account: Any, integration_id: int, **settings: Any) -> Integration:
    """Change an integration's settings (name, feedback, weights, import options)."""
    unknown = set(settings) - SETTINGS_FIELDS
    if unknown:
        raise InvalidIntegrationInput(
            f"Unknown setting: {sorted(unknown)[0]}.", field=sorted(unknown)[0]
        )
    row = _own(account=account, integration_id=integration_id)
    changed: list[str] = []
    for key, value in settings.items():
        if value is None and key != "default_weight_grams":
            continue
        if key == "name":
            value = str(value).strip()
            if not value or len(value) > 100:
                raise InvalidIntegrationInput(
                    "Give the shop a name (up to 100 characters).", field="name"
                )
        elif key == "feedback_type" and value not in Integration.FeedbackType.values:
            raise InvalidIntegrationInput(
                "Choose when to send shipments back: eager, delayed or none.", field="feedback_type"
            )
        elif key in {"import_weight", "import_afn", "hold_prime"}:
            value = bool(value)
        elif key == "default_weight_grams" and value is not None and not (0 < int(value) <= 70_000):
            raise InvalidIntegrationInput("A default weight is between 1 g and 70 kg.", field=key)
        elif key == "first_import_days" and not (1 <= int(value) <= 90):
            raise InvalidIntegrationInput("The first import looks back 1 to 90 days.", field=key)
        elif key == "import_interval_minutes" and not (1 <= int(value) <= 1440):
            raise InvalidIntegrationInput("Import every 1 to 1440 minutes.", field=key)
        setattr(row, key, value)
        changed.append(key)
    if changed:
        row.save(update_fields=[*changed, "updated_at"])
        from colis.webhooks.services import INTEGRATION_UPDATED, webhook_emit

        webhook_emit(
            account_id=row.account_id,
            event=INTEGRATION_UPDATED,
            payload={"integration_id": row.id, "changed": sorted(changed), "state": row.state},
        )
    return row


def integration_disconnect(*, account: Any, integration_id: int) -> Integration:
    """Disconnect: credentials deleted, imports stop, orders kept."""
    row = _own(account=account, integration_id=integration_id)
    credentials = _json(row.credentials)
    row.state = Integration.State.DISCONNECTED
    row.credentials = None
    row.resume_token = ""
    row.next_import_at = None
    row.lock_owner = ""
    row.locked_until = None
    row.save(
        update_fields=[
            "state",
            "credentials",
            "resume_token",
            "next_import_at",
            "lock_owner",
            "locked_until",
            "updated_at",
        ]
    )
    try:
        _authorizer(row.channel).forget(credentials)
    except Exception:  # the cache entry lapses within the hour anyway
        log.warning("could not drop the cached access token of a disconnected integration")
    return row
