"""Every 4xx under /api/ answers the API's JSON error body, even when Django answered first.

Django itself answers an unmatched URL (a non-numeric id) with a 404 page and a wrong method
with a bare 405; API clients must always get `{"errors": [...]}`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

_CODES = {
    400: "invalid",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
}
_MESSAGES = {
    404: "Not found.",
    405: "Method not allowed.",
    403: "Forbidden.",
    400: "Bad request.",
    401: "A valid API key (Authorization: Bearer <key>) or session is required.",
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or not 400 <= response.status_code < 500:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        body = {
            "errors": [
                {
                    "code": _CODES.get(status, "error"),
                    "message": _MESSAGES.get(status, "Request refused."),
                    "field": None,
                }
            ]
        }
        replacement = JsonResponse(body, status=status)
        if response.has_header("Allow"):
            replacement["Allow"] = response["Allow"]
        return replacement
