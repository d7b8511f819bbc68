from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from colis.notifications import messages
from colis.notifications.models import Notification, OutboxMessage


def outbox_list(*, to: str | None = None, limit: int = 50) -> list[OutboxMessage]:
    """Operator view of the local outbox; `to` filters by recipient (decrypted in Python)."""
    messages = list(OutboxMessage.objects.all()[: max(limit, 1) * (10 if to else 1)])
    if to:
        wanted = to.strip().lower()
        messages = [m for m in messages if wanted in (r.lower() for r in m.recipients())][:limit]
    return messages


# --- in-app notifications ---------------------------------------------------------------


def _visible(user: Any) -> Q:
    """A user's notifications: their own and their account's (user NULL)."""
    scope = Q(user=user)
    if getattr(user, "account_id", None):
        scope |= Q(user__isnull=True, account_id=user.account_id)
    return scope


@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    integration_id: int | None
    params: dict[str, Any]
    created_at: dt.datetime
    read_at: dt.datetime | None

    @property
    def unread(self) -> bool:
        return self.read_at is None


def notification_view(row: Notification, *, language: str | None = None) -> NotificationView:
    return NotificationView(
        id=row.pk,
        kind=row.kind,
        title=messages.render(row.title_key, row.params, language),
        body=messages.render(row.body_key, row.params, language),
        integration_id=row.integration_id,
        params=dict(row.params or {}),
        created_at=row.created_at,
        read_at=row.read_at,
    )


def notification_list(
    *, user: Any, unread: bool = False, limit: int = 100, language: str | None = None
) -> list[NotificationView]:
    """This user's notifications, newest first, rendered in `language` (active when None)."""
    qs = Notification.objects.filter(_visible(user))
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [notification_view(r, language=language) for r in qs[: max(1, min(limit, 500))]]


def notification_unread_count(*, user: Any) -> int:
    return Notification.objects.filter(_visible(user), read_at__isnull=True).count()
