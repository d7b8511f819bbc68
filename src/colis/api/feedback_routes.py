"""The feedback outbox over the API: a parcel's deliveries (with attempts) and a retry.

Thin: each handler calls one feedback service or selector. "Not yours" and "does not
exist" are the same 404 (CONVENTIONS rule 5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from colis.api.auth import current_account
from colis.api.errors import ApiError, ErrorResponse
from colis.feedback import selectors, services
from colis.feedback.models import FeedbackDelivery
from colis.shipping.errors import NotFound

router = Router(tags=["feedback"])
ERRORS: dict[int, Any] = {401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse}


class AttemptOut(Schema):
    id: int
    action: str
    request_summary: dict[str, Any]
    status_code: int | None
    outcome: str
    response_reason: str
    duration_ms: int
    created_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    parcel_id: int
    integration_id: int
    kind: str
    trigger: str
    state: str
    state_label: str
    package_reference_id: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    amazon_reason: str
    sent_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    can_retry: bool
    attempt_log: list[AttemptOut]


class ParcelFeedbackOut(Schema):
    parcel_id: int
    deliveries: list[DeliveryOut]


def _out(d: FeedbackDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "parcel_id": d.parcel_id,
        "integration_id": d.integration_id,
        "kind": d.kind,
        "trigger": d.trigger,
        "state": d.state,
        "state_label": str(d.get_state_display()),
        "package_reference_id": d.package_reference_id,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_error": d.last_error,
        "amazon_reason": d.amazon_reason,
        "sent_at": d.sent_at,
        "confirmed_at": d.confirmed_at,
        "can_retry": d.state in (FeedbackDelivery.State.FAILED, FeedbackDelivery.State.DROPPED),
        "attempt_log": [
            {
                "id": a.id,
                "action": a.action,
                "request_summary": a.request_summary,
                "status_code": a.status_code,
                "outcome": a.outcome,
                "response_reason": a.response_reason,
                "duration_ms": a.duration_ms,
                "created_at": a.created_at,
            }
            for a in d.attempt_log.all()
        ],
    }


@router.get("/parcels/{parcel_id}/feedback", response={200: ParcelFeedbackOut, **ERRORS})
def parcel_feedback(request: HttpRequest, parcel_id: int) -> dict[str, Any]:
    try:
        rows = selectors.parcel_feedback_list(account=current_account(request), parcel_id=parcel_id)
    except NotFound:
        raise ApiError(404, "not_found", "Not found.") from None
    return {"parcel_id": parcel_id, "deliveries": [_out(d) for d in rows]}


@router.post("/feedback/{delivery_id}/retry", response={200: DeliveryOut, **ERRORS})
def feedback_retry(request: HttpRequest, delivery_id: int) -> dict[str, Any]:
    account = current_account(request)
    try:
        services.feedback_retry(account=account, delivery_id=delivery_id)
        return _out(selectors.feedback_delivery_get(account=account, delivery_id=delivery_id))
    except (services.DeliveryNotFound, NotFound):
        raise ApiError(404, "not_found", "Not found.") from None
    except services.DeliveryStateConflict as exc:
        raise ApiError(409, "state_conflict", exc.message) from None


def mount(api: NinjaAPI) -> None:
    api.add_router("/", router)
