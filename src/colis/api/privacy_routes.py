"""Privacy endpoints: retention window, tax archive key, purge audit, PII access trail.

Thin: they call colis.privacy services and selectors, scoped to the caller's account. The
archive itself is never served: only the public key and the counts of what was purged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema, Status

from colis.api.auth import current_account
from colis.api.errors import ApiError, ErrorResponse
from colis.privacy.models import MAX_RETENTION_DAYS, PiiAccess, PurgeAudit
from colis.privacy.selectors import (
    archive_state,
    pii_access_list,
    purge_audit_list,
    retention_policy_get,
)
from colis.privacy.services import archive_key_delete, archive_key_set, retention_policy_set

privacy = Router(tags=["privacy"])

ERRORS: dict[int, Any] = {400: ErrorResponse, 401: ErrorResponse}


def _api_error(exc: ValidationError) -> ApiError:
    errors = [
        {"code": error.code or "invalid", "message": str(message), "field": field}
        for field, field_errors in exc.error_dict.items()
        for error in field_errors
        for message in error.messages
    ]
    return ApiError(400, "invalid", "invalid input", errors=errors)


class RetentionOut(Schema):
    days: int
    max_days: int


class RetentionIn(Schema):
    days: int


class ArchiveKeyOut(Schema):
    public_key: str | None
    set_at: dt.datetime | None
    waiting: bool
    status: str
    last_written_at: dt.datetime | None


class ArchiveKeyIn(Schema):
    public_key: str


class PurgeOut(Schema):
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    retention_days: int
    orders_purged: int
    orders_archived: int
    archive_files: int


class PiiAccessOut(Schema):
    order_id: int
    order_external_id: str
    user_id: int | None
    user_email: str
    channel: str
    at: dt.datetime


def _retention(request: HttpRequest) -> RetentionOut:
    policy = retention_policy_get(account=current_account(request))
    return RetentionOut(days=policy.days, max_days=MAX_RETENTION_DAYS)


def _archive_key(request: HttpRequest) -> ArchiveKeyOut:
    policy = retention_policy_get(account=current_account(request))
    waiting, message = archive_state(policy)
    return ArchiveKeyOut(
        public_key=policy.archive_public_key or None,
        set_at=policy.archive_key_set_at,
        waiting=waiting,
        status=message,
        last_written_at=policy.archive_last_written_at,
    )


@privacy.get("/retention", response={200: RetentionOut, **ERRORS})
def get_retention(request: HttpRequest) -> RetentionOut:
    return _retention(request)


@privacy.put("/retention", response={200: RetentionOut, **ERRORS})
def put_retention(request: HttpRequest, payload: RetentionIn) -> RetentionOut:
    try:
        retention_policy_set(account=current_account(request), days=payload.days)
    except ValidationError as exc:
        raise _api_error(exc) from exc
    return _retention(request)


@privacy.get("/archive-key", response={200: ArchiveKeyOut, **ERRORS})
def get_archive_key(request: HttpRequest) -> ArchiveKeyOut:
    return _archive_key(request)


@privacy.put("/archive-key", response={200: ArchiveKeyOut, **ERRORS})
def put_archive_key(request: HttpRequest, payload: ArchiveKeyIn) -> ArchiveKeyOut:
    try:
        archive_key_set(account=current_account(request), public_key=payload.public_key)
    except ValidationError as exc:
        raise _api_error(exc) from exc
    return _archive_key(request)


@privacy.delete("/archive-key", response={204: None, **ERRORS})
def delete_archive_key(request: HttpRequest) -> Status[None]:
    archive_key_delete(account=current_account(request))
    return Status(204, None)


@privacy.get("/purges", response={200: list[PurgeOut], **ERRORS})
def list_purges(request: HttpRequest, limit: int = 100) -> list[PurgeAudit]:
    return purge_audit_list(account=current_account(request), limit=max(1, min(limit, 500)))


@privacy.get("/pii-access", response={200: list[PiiAccessOut], 404: ErrorResponse, **ERRORS})
def list_pii_access(
    request: HttpRequest, order_id: int | None = None, limit: int = 200
) -> list[PiiAccess]:
    return pii_access_list(
        account=current_account(request), order_id=order_id, limit=max(1, min(limit, 1000))
    )


def mount(api: NinjaAPI) -> None:
    api.add_router("/privacy", privacy)
