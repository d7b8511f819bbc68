"""Connected shops (integrations): list, connect (self-authorized SP-API or MWS), read,
change settings, disconnect. Thin: the integrations services and selectors do the work.

No answer ever carries a credential: the output schema has no field for one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema, Status

from colis.accounts.selectors import OnboardingIncomplete
from colis.api.auth import current_account, current_user
from colis.api.errors import ApiError, ErrorResponse
from colis.integrations import selectors, services
from colis.integrations.errors import (
    IntegrationAlreadyConnected,
    IntegrationError,
    IntegrationNotFound,
)
from colis.integrations.models import Integration
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConnectorError,
    InvalidCredentials,
    InvalidRequest,
    TemporaryFailure,
)

integrations = Router(tags=["integrations"])

ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    503: ErrorResponse,
}


class IntegrationOut(Schema):
    id: int
    channel: str
    name: str
    auth_kind: str
    seller_id: str
    marketplace_id: str
    country_code: str
    region: str
    state: str
    feedback_type: str
    import_weight: bool
    default_weight_grams: int | None
    first_import_days: int
    import_afn: bool
    hold_prime: bool
    import_interval_minutes: int
    authorized_at: dt.datetime | None
    expires_at: dt.datetime | None
    last_success_at: dt.datetime | None
    failing_since: dt.datetime | None
    consecutive_failures: int
    last_error: str
    imported_orders: int
    created_at: dt.datetime
    updated_at: dt.datetime


class IntegrationIn(Schema):
    channel: Literal["amazon"] = "amazon"
    name: str = ""
    marketplace_id: str
    seller_id: str = ""
    # A self-authorized SP-API application: all three ...
    refresh_token: str | None = None
    lwa_client_id: str | None = None
    lwa_client_secret: str | None = None
    # ... or the seller's legacy MWS authorization.
    mws_auth_token: str | None = None
    feedback_type: Literal["eager", "delayed", "none"] = "eager"
    import_weight: bool = True


class IntegrationPatch(Schema):
    name: str | None = None
    feedback_type: Literal["eager", "delayed", "none"] | None = None
    import_weight: bool | None = None
    default_weight_grams: int | None = None
    first_import_days: int | None = None
    import_afn: bool | None = None
    hold_prime: bool | None = None
    import_interval_minutes: int | None = None


# --- errors -------------------------------------------------------------------------------------
_CONNECTOR_CODES: list[tuple[type[ConnectorError], int, str]] = [
    (AuthorizationRevoked, 400, "authorization_revoked"),
    (AuthorizationExpired, 400, "authorization_expired"),
    (InvalidCredentials, 400, "invalid_credentials"),
    (InvalidRequest, 400, "amazon_refused"),
    (TemporaryFailure, 503, "amazon_unavailable"),
]


def api_error(exc: Exception, *, credential_field: str | None = None) -> ApiError:
    """A service or connector error as the API's standard error body."""
    if isinstance(exc, OnboardingIncomplete):
        return ApiError(
            409,
            "onboarding_incomplete",
            exc.message(),
            errors=[
                {
                    "code": "onboarding_incomplete",
                    "message": exc.message(),
                    "field": None,
                    "missing": exc.missing,
                }
            ],
        )
    if isinstance(exc, IntegrationNotFound):
        return ApiError(404, "not_found", "Not found.")
    if isinstance(exc, IntegrationAlreadyConnected):
        return ApiError(409, exc.code, exc.message, field=exc.field)
    if isinstance(exc, IntegrationError):
        return ApiError(400, exc.code, exc.message, field=exc.field)
    if isinstance(exc, ConnectorError):
        for kind, status, code in _CONNECTOR_CODES:
            if isinstance(exc, kind):
                field = (
                    credential_field
                    if kind in (AuthorizationRevoked, AuthorizationExpired)
                    else None
                )
                return ApiError(status, code, exc.message, field=field)
        return ApiError(400, "amazon_error", exc.message)
    raise exc


# --- endpoints ------------------------------------------------------------------------------------
@integrations.get("", response={200: list[IntegrationOut], 401: ErrorResponse})
def list_integrations(request: HttpRequest) -> list[Integration]:
    return selectors.integration_list(account=current_account(request))


@integrations.post("", response={201: IntegrationOut, **ERRORS})
def create_integration(request: HttpRequest, payload: IntegrationIn) -> Status[Integration]:
    account, user = current_account(request), current_user(request)
    lwa = (payload.refresh_token, payload.lwa_client_id, payload.lwa_client_secret)
    try:
        if payload.mws_auth_token:
            if any(lwa):
                raise ApiError(
                    400,
                    "invalid",
                    "Send either mws_auth_token or refresh_token + lwa_client_id + "
                    "lwa_client_secret, not both.",
                    field="mws_auth_token",
                )
            integration = services.integration_create_mws(
                account=account,
                user=user,
                name=payload.name,
                seller_id=payload.seller_id,
                marketplace_id=payload.marketplace_id,
                mws_auth_token=payload.mws_auth_token,
                feedback_type=payload.feedback_type,
                import_weight=payload.import_weight,
            )
            return Status(201, integration)
        missing = [
            name
            for name, value in zip(
                ("refresh_token", "lwa_client_id", "lwa_client_secret"), lwa, strict=True
            )
            if not value
        ]
        if missing:
            raise ApiError(
                400,
                "required",
                "Send refresh_token, lwa_client_id and lwa_client_secret (or mws_auth_token).",
                errors=[
                    {"code": "required", "message": "This field is required.", "field": name}
                    for name in missing
                ],
            )
        marketplaces = services.marketplace_info(marketplace_id=payload.marketplace_id)
        pending = services.integration_self_authorized_check(
            account=account,
            user=user,
            lwa_client_id=payload.lwa_client_id or "",
            lwa_client_secret=payload.lwa_client_secret or "",
            refresh_token=payload.refresh_token or "",
            seller_id=payload.seller_id,
            name=payload.name,
            feedback_type=payload.feedback_type,
            import_weight=payload.import_weight,
            region=marketplaces["region"],
        )
        created = services.integration_create_from_pending(
            account=account,
            user=user,
            pending_id=pending.pk,
            marketplace_ids=[payload.marketplace_id],
        )
    except ApiError:
        raise
    except (OnboardingIncomplete, IntegrationError, ConnectorError) as exc:
        field = "mws_auth_token" if payload.mws_auth_token else "refresh_token"
        raise api_error(exc, credential_field=field) from None
    return Status(201, created[0])


@integrations.get("/{int:integration_id}", response={200: IntegrationOut, **ERRORS})
def get_integration(request: HttpRequest, integration_id: int) -> Integration:
    return selectors.integration_get(
        account=current_account(request), integration_id=integration_id
    )


@integrations.patch("/{int:integration_id}", response={200: IntegrationOut, **ERRORS})
def update_integration(
    request: HttpRequest, integration_id: int, payload: IntegrationPatch
) -> Integration:
    changes = payload.dict(exclude_unset=True)
    try:
        return services.integration_update(
            account=current_account(request), integration_id=integration_id, **changes
        )
    except IntegrationError as exc:
        raise api_error(exc) from None


@integrations.delete("/{int:integration_id}", response={200: IntegrationOut, **ERRORS})
def disconnect_integration(request: HttpRequest, integration_id: int) -> Integration:
    try:
        return services.integration_disconnect(
            account=current_account(request), integration_id=integration_id
        )
    except IntegrationError as exc:
        raise api_error(exc) from None


def mount(api: NinjaAPI) -> None:
    api.add_router("/integrations", integrations)
