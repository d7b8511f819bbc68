"""Reads of outgoing webhooks; every read takes `account=` (CONVENTIONS rule 5)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from colis.webhooks.errors import WebhookNotFound
from colis.webhooks.models import (
    TrackingEmailSetting,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def webhook_endpoint_list(*, account: Any) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(account=account)


def webhook_delivery_list(
    *, account: Any, endpoint_id: int, limit: int = 100
) -> list[WebhookDelivery]:
    if not WebhookEndpoint.objects.filter(account=account, id=endpoint_id).exists():
        raise WebhookNotFound("No such webhook.")
    return list(
        WebhookDelivery.objects.filter(account=account, endpoint_id=endpoint_id)
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("id")))
        .order_by("-id")[:limit]
    )


def tracking_email_setting_get(*, account: Any) -> TrackingEmailSetting:
    """The account's setting (not saved when there is none: off, English)."""
    row = TrackingEmailSetting.objects.filter(account=account).first()
    return row or TrackingEmailSetting(account=account, enabled=False, language="en")
