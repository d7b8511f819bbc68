from __future__ import annotations

from colis.notifications.models import OutboxMessage


def outbox_list(*, to: str | None = None, limit: int = 50) -> list[OutboxMessage]:
    """Operator view of the local outbox; `to` filters by recipient (decrypted in Python)."""
    messages = list(OutboxMessage.objects.all()[: max(limit, 1) * (10 if to else 1)])
    if to:
        wanted = to.strip().lower()
        messages = [m for m in messages if wanted in (r.lower() for r in m.recipients())][:limit]
    return messages
