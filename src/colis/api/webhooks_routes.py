"""Outgoing webhooks over the API: CRUD of endpoints and their delivery log.

Thin: each handler calls one webhooks service or selector. Scoped to the key's account;
"not yours" and "does not exist" are the same 404 (CONVENTIONS rule 5). The secret is
returned once, when the endpoint is made (or its secret rotated).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema, Status

from colis.api.auth import current_account
from colis.api.errors import ApiError, ErrorResponse
from colis.webhooks import selectors, services
from colis.webhooks.errors import WebhookError, WebhookNotFound
from colis.webhooks.models import WebhookDelivery, WebhookEndpoint

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse}


class EndpointIn(Schema):
    url: str
    events: list[str]
    secret: str | None = None
    description: str = ""
    is_active: bool = True


class EndpointPatch(Schema):
    url: str | None = None
    events: list[str] | None = None
    description: str | None = None
    is_active: bool | None = None
    rotate_secret: bool = False


class EndpointOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    is_active: bool
    created_at: dt.datetime
    secret: str | None = None  # only when just made or rotated


class AttemptOut(Schema):
    id: int
    status_code: int | None
    error: str
    response_excerpt: str
    duration_ms: int
    created_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    event: str
    event_id: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    payload: dict[str, Any]
    attempt_log: list[AttemptOut]


def _endpoint(e: WebhookEndpoint, *, with_secret: bool = False) -> dict[str, Any]:
    return {
        "id": e.id,
        "url": e.url,
        "events": list(e.events or []),
        "description": e.description,
        "is_active": e.is_active,
        "created_at": e.created_at,
        "secret": e.secret if with_secret else None,
    }


def _delivery(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "event": d.event,
        "event_id": d.event_id,
        "state": d.state,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "delivered_at": d.delivered_at,
        "created_at": d.created_at,
        "payload": d.payload,
        "attempt_log": [
            {
                "id": a.id,
                "status_code": a.status_code,
                "error": a.error,
                "response_excerpt": a.response_excerpt,
                "duration_ms": a.duration_ms,
                "created_at": a.created_at,
            }
            for a in d.attempt_log.all()
        ],
    }


def _api_error(exc: WebhookError) -> ApiError:
    if isinstance(exc, WebhookNotFound):
        return ApiError(404, "not_found", "Not found.")
    return ApiError(exc.status, exc.code, exc.message, field=exc.field)


@router.get("/webhooks", response={200: list[EndpointOut], 401: ErrorResponse})
def webhook_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_endpoint(e) for e in selectors.webhook_endpoint_list(account=current_account(request))]


@router.post("/webhooks", response={201: EndpointOut, **ERRORS})
def webhook_create(request: HttpRequest, body: EndpointIn) -> Status:
    try:
        row = services.webhook_endpoint_create(account=current_account(request), **body.dict())
    except WebhookError as exc:
        raise _api_error(exc) from None
    return Status(201, _endpoint(row, with_secret=True))


@router.get("/webhooks/{endpoint_id}", response={200: EndpointOut, **ERRORS})
def webhook_get(request: HttpRequest, endpoint_id: int) -> dict[str, Any]:
    try:
        row = services.webhook_endpoint_get(
            account=current_account(request), endpoint_id=endpoint_id
        )
    except WebhookError as exc:
        raise _api_error(exc) from None
    return _endpoint(row)


@router.patch("/webhooks/{endpoint_id}", response={200: EndpointOut, **ERRORS})
def webhook_update(request: HttpRequest, endpoint_id: int, body: EndpointPatch) -> dict[str, Any]:
    try:
        row = services.webhook_endpoint_update(
            account=current_account(request), endpoint_id=endpoint_id, **body.dict()
        )
    except WebhookError as exc:
        raise _api_error(exc) from None
    return _endpoint(row, with_secret=body.rotate_secret)


@router.delete("/webhooks/{endpoint_id}", response={204: None, **ERRORS})
def webhook_delete(request: HttpRequest, endpoint_id: int) -> Status:
    try:
        services.webhook_endpoint_delete(account=current_account(request), endpoint_id=endpoint_id)
    except WebhookError as exc:
        raise _api_error(exc) from None
    return Status(204, None)


@router.get("/webhooks/{endpoint_id}/deliveries", response={200: list[DeliveryOut], **ERRORS})
def webhook_deliveries(request: HttpRequest, endpoint_id: int) -> list[dict[str, Any]]:
    try:
        rows = selectors.webhook_delivery_list(
            account=current_account(request), endpoint_id=endpoint_id
        )
    except WebhookError as exc:
        raise _api_error(exc) from None
    return [_delivery(d) for d in rows]


def mount(api: NinjaAPI) -> None:
    api.add_router("/", router)
