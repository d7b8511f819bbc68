"""The API's one error shape: {"errors": [{"code", "message", "field"}]}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ErrorItem(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorResponse(Schema):
    errors: list[ErrorItem]


class ApiError(Exception):
    """Raised by API handlers to answer a 4xx with the standard body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = errors or [{"code": code, "message": message, "field": field}]


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message, "field": field}]}


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str | None:
    # ninja locations look like ("body", "payload", "iban"): keep the field path.
    parts = [str(p) for p in loc if p not in {"body", "payload", "query", "path", "form"}]
    return ".".join(parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return api.create_response(request, {"errors": exc.errors}, status=exc.status)

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {
                "code": "invalid",
                "message": str(e.get("msg", "invalid value")),
                "field": _field_of(e.get("loc", ())),
            }
            for e in exc.errors
        ]
        return api.create_response(request, {"errors": errors}, status=400)

    @api.exception_handler(AuthenticationError)
    def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            error_body(
                "unauthorized",
                "A valid API key (Authorization: Bearer <key>) or session is required.",
            ),
            status=401,
        )

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {404: "not_found", 405: "method_not_allowed", 403: "forbidden", 409: "conflict"}.get(
            exc.status_code, "error"
        )
        return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)

    from django.core.exceptions import ObjectDoesNotExist
    from django.http import Http404

    @api.exception_handler(Http404)
    def _404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, error_body("not_found", "Not found."), status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def _dne(request: HttpRequest, exc: Exception) -> HttpResponse:
        # "Not yours" and "does not exist" give the same answer (CONVENTIONS rule 5).
        return api.create_response(request, error_body("not_found", "Not found."), status=404)
