"""HTTP plumbing shared by the SP-API, MWS and control endpoints: errors, responses,
authentication, rate limiting, faults and the call log, applied per operation."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from .constants import QUOTA_EXCEEDED_BODY, SPAPI_RATE_PLANS
from .defaults import STATIC_SELLER
from .state import Application, RestrictedToken, Sandbox


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self) -> dict[str, Any]:
        return {"errors": [{"code": self.code, "message": self.message, "details": self.details}]}


def invalid(message: str, details: str = "") -> ApiError:
    return ApiError(400, "InvalidInput", message, details)


def not_found(message: str = "The requested resource was not found.") -> ApiError:
    return ApiError(404, "NotFound", message)


UNAUTHORIZED = "Access to requested resource is denied."


@dataclass(slots=True)
class Ctx:
    sandbox: Sandbox
    request: Request
    app: Application
    seller_id: str | None
    rdt: RestrictedToken | None
    body: bytes
    operation: str
    request_id: str

    @property
    def seller(self) -> str:
        assert self.seller_id is not None
        return self.seller_id

    def query_list(self, name: str) -> list[str] | None:
        """An array query parameter: repeated and/or comma-separated."""
        values = self.request.query_params.getlist(name)
        if not values:
            return None
        return [v for value in values for v in value.split(",") if v != ""]

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    def json_body(self) -> Any:
        try:
            return orjson.loads(self.body) if self.body else None
        except orjson.JSONDecodeError as exc:
            raise invalid("The request body is not valid JSON.", str(exc)) from exc

    @property
    def static(self) -> bool:
        return self.seller_id == STATIC_SELLER.selling_partner_id


@dataclass(slots=True)
class Result:
    status: int
    body: bytes | None  # JSON bytes, or None for no content
    content_type: str = "application/json"


def ok(data: Any, status: int = 200) -> Result:
    return Result(status, data if isinstance(data, bytes) else orjson.dumps(data))


class DisconnectingResponse(Response):
    """Sends the headers and half the body, then drops the connection (a fault)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send(
            {
                "type": "http.response.body",
                "body": self.body[: len(self.body) // 2],
                "more_body": True,
            }
        )
        raise ConnectionAbortedError("sandbox fault: connection dropped mid-response")


def new_request_id() -> str:
    return str(uuid.uuid4())


Handler = Callable[[Ctx], Result]


def authenticate(
    sb: Sandbox, request: Request, grantless: bool
) -> tuple[Application, str | None, RestrictedToken | None]:
    token = request.headers.get("x-amz-access-token", "")
    now = sb.clock.now()
    if token.startswith("Atz.sprdt|"):
        rdt = sb.rdts.get(token)
        if rdt is None:
            raise ApiError(
                403,
                "Unauthorized",
                UNAUTHORIZED,
                "The access token you provided is revoked, malformed or invalid.",
            )
        if rdt.expires_at <= now:
            raise ApiError(
                403, "Unauthorized", UNAUTHORIZED, "The access token you provided has expired."
            )
        return (*_check_grant(sb, rdt.application_id, rdt.seller_id, now), rdt)
    at = sb.access_tokens.get(token)
    if at is None:
        raise ApiError(
            403,
            "Unauthorized",
            UNAUTHORIZED,
            "The access token you provided is revoked, malformed or invalid." if token else "",
        )
    if at.expires_at <= now:
        raise ApiError(
            403, "Unauthorized", UNAUTHORIZED, "The access token you provided has expired."
        )
    if at.seller_id is None:
        if not grantless:
            raise ApiError(
                403,
                "Unauthorized",
                UNAUTHORIZED,
                "The access token you provided is revoked, malformed or invalid.",
            )
        return sb.applications[at.application_id], None, None
    return (*_check_grant(sb, at.application_id, at.seller_id, now), None)


def _check_grant(sb: Sandbox, app_id: str, seller_id: str, now: float) -> tuple[Application, str]:
    auth = sb.find_authorization("spapi", seller_id, app_id)
    if auth is None or auth.state(now) != "active":
        raise ApiError(
            403,
            "Unauthorized",
            UNAUTHORIZED,
            "The access token you provided is revoked, malformed or invalid.",
        )
    return sb.applications[app_id], seller_id


def _headers(request_id: str, status: int, limit: str | None) -> dict[str, str]:
    headers = {"x-amzn-RequestId": request_id}
    if limit is not None and status in (200, 400, 404):
        headers["x-amzn-RateLimit-Limit"] = limit
    return headers


def error_response(err: ApiError, request_id: str, limit: str | None) -> Response:
    return Response(
        orjson.dumps(err.body()),
        err.status,
        _headers(request_id, err.status, limit),
        "application/json",
    )


def spapi_operation(
    operation: str,
    handler: Handler,
    *,
    grantless: bool = False,
    static: Callable[[Ctx], Result | None] | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler with Amazon's envelope: auth, rate limit, faults, headers, call log."""
    plan = SPAPI_RATE_PLANS[operation]

    async def endpoint(request: Request) -> Response:
        sb: Sandbox = request.app.state.sandbox
        rid = new_request_id()
        limit = sb.limiter.header_value(plan)
        seller: str | None = None
        try:
            app, seller, rdt = authenticate(sb, request, grantless)
        except ApiError as err:
            sb.record_call(
                operation, err.status, seller=None, path=request.url.path, request_id=rid
            )
            return error_response(err, rid, limit)
        key = (seller or "-", app.application_id, operation)
        if not sb.limiter.take(key, plan):
            sb.record_call(
                operation, 429, seller=seller, throttled=True, path=request.url.path, request_id=rid
            )
            return Response(
                orjson.dumps(QUOTA_EXCEEDED_BODY),
                429,
                {"x-amzn-RequestId": rid},
                "application/json",
            )
        delay = sb.faults.latency(operation)
        if delay:
            await asyncio.sleep(delay)
        for kind, code, message in (
            ("500", "InternalFailure", "We encountered an internal error. Please try again."),
            ("503", "Unavailable", "Service is temporarily unavailable. Please try again."),
        ):
            if sb.faults.roll(operation, kind):
                fault = ApiError(int(kind), code, message)
                sb.record_call(
                    operation, fault.status, seller=seller, path=request.url.path, request_id=rid
                )
                return error_response(fault, rid, limit)
        if sb.feeds:
            from .spapi_feeds import process_due

            process_due(sb)  # feeds finish on the sandbox clock, whoever looks next
        ctx = Ctx(sb, request, app, seller, rdt, await request.body(), operation, rid)
        try:
            result = (static(ctx) if static and ctx.static else None) or handler(ctx)
        except ApiError as err:
            sb.record_call(
                operation, err.status, seller=seller, path=request.url.path, request_id=rid
            )
            return error_response(err, rid, limit)
        sb.record_call(
            operation, result.status, seller=seller, path=request.url.path, request_id=rid
        )
        return finish(sb, operation, result, _headers(rid, result.status, limit))

    return endpoint


def finish(sb: Sandbox, operation: str, result: Result, headers: dict[str, str]) -> Response:
    body = result.body
    if (
        body is not None
        and result.content_type == "application/json"
        and sb.faults.roll(operation, "malformed")
    ):
        body = body[: max(1, len(body) // 2)] + b"\x00}{"  # truncated, unparseable JSON
    if body is not None and sb.faults.roll(operation, "disconnect"):
        return DisconnectingResponse(body, result.status, headers, result.content_type)
    if body is None:
        return Response(None, result.status, headers)
    return Response(body, result.status, headers, result.content_type)


def encode_token(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(data)).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any] | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
