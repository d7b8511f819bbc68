"""Typed errors of the webhooks services; messages are plain words, safe to show."""

from __future__ import annotations


class WebhookError(Exception):
    code = "webhook_error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class WebhookNotFound(WebhookError):
    code = "not_found"
    status = 404


class WebhookInvalid(WebhookError):
    code = "invalid"
