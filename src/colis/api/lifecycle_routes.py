"""Authorization lifecycle and notifications over the API: renew and revoke a connected
shop's authorization; list notifications and mark them read.

Thin: each handler calls one lifecycle / notifications service or selector. Another
account's integration or notification is the same 404 as a missing one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from colis.accounts.selectors import OnboardingIncomplete
from colis.api.auth import current_account, current_user
from colis.api.errors import ApiError, ErrorResponse
from colis.api.integrations_routes import IntegrationOut, api_error
from colis.integrations import lifecycle
from colis.integrations.errors import IntegrationError
from colis.integrations.models import Integration
from colis.integrations.ports import ConnectorError
from colis.notifications import selectors as notification_selectors
from colis.notifications import services as notification_services

router = Router(tags=["authorizations", "notifications"])
ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    503: ErrorResponse,
}


class RenewIn(Schema):
    # Only for a self-authorized application: its new refresh token.
    refresh_token: str | None = None


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    integration_id: int | None
    params: dict[str, Any]
    created_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool


class ReadAllOut(Schema):
    marked: int


def _out(view: notification_selectors.NotificationView) -> dict[str, Any]:
    return {
        "id": view.id,
        "kind": view.kind,
        "title": view.title,
        "body": view.body,
        "integration_id": view.integration_id,
        "params": view.params,
        "created_at": view.created_at,
        "read_at": view.read_at,
        "unread": view.unread,
    }


def _lifecycle_error(exc: Exception) -> ApiError:
    if isinstance(exc, lifecycle.RenewalNeedsConsent | lifecycle.RenewalNotPossible):
        return ApiError(409, exc.code, exc.message)
    return api_error(exc, credential_field="refresh_token")


@router.post("/integrations/{int:integration_id}/renew", response={200: IntegrationOut, **ERRORS})
def renew_integration(
    request: HttpRequest, integration_id: int, payload: RenewIn | None = None
) -> Integration:
    try:
        return lifecycle.integration_renew(
            account=current_account(request),
            integration_id=integration_id,
            refresh_token=(payload.refresh_token if payload else None) or "",
        )
    except (OnboardingIncomplete, IntegrationError, ConnectorError) as exc:
        raise _lifecycle_error(exc) from None


@router.post("/integrations/{int:integration_id}/revoke", response={200: IntegrationOut, **ERRORS})
def revoke_integration(request: HttpRequest, integration_id: int) -> Integration:
    try:
        return lifecycle.integration_revoke(
            account=current_account(request), integration_id=integration_id
        )
    except IntegrationError as exc:
        raise _lifecycle_error(exc) from None


@router.get("/notifications", response={200: list[NotificationOut], 401: ErrorResponse})
def list_notifications(
    request: HttpRequest, unread: bool = False, limit: int = 100
) -> list[dict[str, Any]]:
    user = current_user(request)
    current_account(request)
    rows = notification_selectors.notification_list(
        user=user, unread=unread, limit=limit, language=user.language
    )
    return [_out(v) for v in rows]


@router.post("/notifications/read-all", response={200: ReadAllOut, 401: ErrorResponse})
def read_all_notifications(request: HttpRequest) -> dict[str, int]:
    current_account(request)
    return {"marked": notification_services.notification_mark_all_read(user=current_user(request))}


@router.post("/notifications/{int:notification_id}/read", response={200: NotificationOut, **ERRORS})
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    user = current_user(request)
    current_account(request)
    try:
        row = notification_services.notification_mark_read(
            user=user, notification_id=notification_id
        )
    except notification_services.NotificationNotFound:
        raise ApiError(404, "not_found", "Not found.") from None
    return _out(notification_selectors.notification_view(row, language=user.language))


def mount(api: NinjaAPI) -> None:
    api.add_router("/", router)
