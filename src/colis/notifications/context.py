"""Template context: the unread notifications count for the bell in the panel's nav."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from colis.notifications.selectors import notification_unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": notification_unread_count(user=user)}
