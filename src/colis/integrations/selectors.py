"""Reads of integrations, always scoped to the account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from colis.common import clock
from colis.integrations.errors import IntegrationNotFound, PendingConnectionInvalid
from colis.integrations.models import Integration, PendingConnection
from colis.integrations.ports import MarketplaceParticipation


def integration_list(*, account: Any, include_disconnected: bool = True) -> list[Integration]:
    qs = Integration.objects.filter(account=account)
    if not include_disconnected:
        qs = qs.exclude(state=Integration.State.DISCONNECTED)
    return list(qs.order_by("name", "id"))


def integration_get(*, account: Any, integration_id: int) -> Integration:
    """Raises Integration.DoesNotExist for another account's integration, as for a missing one."""
    return Integration.objects.get(account=account, pk=integration_id)


@dataclass(frozen=True, slots=True)
class PendingView:
    """A pending connection without its credentials: what the seller picks from."""

    id: int
    auth_kind: str
    seller_id: str
    participations: tuple[MarketplaceParticipation, ...]
    settings: dict[str, Any]
    expires_at: dt.datetime


def pending_connection_get(*, account: Any, pending_id: int) -> PendingView:
    """IntegrationNotFound when not this account's (or missing); PendingConnectionInvalid
    when it was used or has expired."""
    row = PendingConnection.objects.filter(account=account, pk=pending_id).first()
    if row is None:
        raise IntegrationNotFound("Not found.")
    if row.used_at is not None or row.expires_at <= clock.now():
        raise PendingConnectionInvalid(
            "This connection has expired or was already used: start connecting again."
        )
    payload: dict[str, Any] = row.payload if isinstance(row.payload, dict) else {}
    participations = tuple(
        MarketplaceParticipation(
            marketplace_id=str(p.get("marketplace_id", "")),
            country_code=str(p.get("country_code", "")),
            name=str(p.get("name", "")),
            currency=str(p.get("currency", "")),
        )
        for p in payload.get("participations", [])
    )
    return PendingView(
        id=row.pk,
        auth_kind=row.auth_kind,
        seller_id=row.seller_id,
        participations=participations,
        settings=dict(payload.get("settings", {})),
        expires_at=row.expires_at,
    )
