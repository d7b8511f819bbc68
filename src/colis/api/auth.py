"""API authentication: `Authorization: Bearer <key>` or the panel's session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from colis.accounts.services import apikey_authenticate


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = apikey_authenticate(raw=token)
        if user is None or user.account_id is None:
            return None
        request.user = user
        return user


class PanelSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or getattr(user, "account_id", None) is None:
            return None
        return user


def current_user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def current_account(request: HttpRequest) -> Any:
    return request.auth.account  # type: ignore[attr-defined]
