"""Typed errors of connecting and managing integrations, each safe to show (no secrets)."""

from __future__ import annotations

from colis.accounts.selectors import OnboardingIncomplete
from colis.integrations.ports import ConnectorError

__all__ = [
    "IntegrationAlreadyConnected",
    "IntegrationError",
    "IntegrationNotFound",
    "InvalidIntegrationInput",
    "OAuthStateInvalid",
    "OnboardingIncomplete",
    "OrderMappingError",
    "PendingConnectionInvalid",
]


class IntegrationError(Exception):
    """Base of the integration services' own errors. `message` is plain words."""

    code = "integration_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidIntegrationInput(IntegrationError):
    """A value the seller typed is malformed (field-level)."""

    code = "invalid"


class IntegrationAlreadyConnected(IntegrationError):
    """The same seller and marketplace are already connected (live) in this account."""

    code = "already_connected"

    def __init__(self, message: str, *, seller_id: str = "", marketplace_id: str = "") -> None:
        super().__init__(message, field="marketplace_id")
        self.seller_id = seller_id
        self.marketplace_id = marketplace_id


class IntegrationNotFound(IntegrationError):
    """Not yours, or does not exist: the same answer (CONVENTIONS rule 5)."""

    code = "not_found"


class OAuthStateInvalid(IntegrationError):
    """The consent round trip's `state` is unknown, foreign, used or too old."""

    code = "oauth_state_invalid"


class PendingConnectionInvalid(IntegrationError):
    """The pending connection is unknown, used or expired: start connecting again."""

    code = "pending_invalid"


class OrderMappingError(ConnectorError):
    """One marketplace order could not be read (bad weight, quantity, marketplace, shape).

    Carries the order id so the import records a visible error for that order and goes on.
    """

    def __init__(self, message: str, *, order_id: str = "", code: str = "mapping_error") -> None:
        super().__init__(message, code=code)
        self.order_id = order_id
