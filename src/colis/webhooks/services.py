"""Writes of outgoing webhooks: endpoints, emitting events, delivering them.

`webhook_emit(account_id=, event=, payload=)` is the one call the other apps make where a
thing happens. It writes one `WebhookDelivery` per subscribed, active endpoint in the
caller's transaction (a savepoint: a failure here never breaks the caller's change) and
enqueues the sends after commit. A send is an HTTP POST of the JSON body, signed:

    X-Colis-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, f"{t}.{body}")>

Redirects are never followed; the time-out is 10 s. A 2xx answer delivers; anything else
(or a network failure) is retried with exponential backoff (30 s, 1 min, 2 min, ... capped
at 1 h) up to `COLIS_WEBHOOK_MAX_ATTEMPTS` (default 8), then the delivery is failed.
Every attempt is logged (`WebhookAttempt`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from colis.common import clock
from colis.webhooks.errors import WebhookInvalid, WebhookNotFound
from colis.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

PARCEL_STATUS_CHANGED = "parcel_status_changed"
ORDER_IMPORTED = "order_imported"
INTEGRATION_UPDATED = "integration_updated"
EVENTS = (PARCEL_STATUS_CHANGED, ORDER_IMPORTED, INTEGRATION_UPDATED)
TIMEOUT = 10.0
LEASE = dt.timedelta(seconds=60)
SIGNATURE_HEADER = "X-Colis-Signature"
D = WebhookDelivery.State


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def backoff_seconds(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: base * 2^(attempts-1), capped."""
    base = _setting("COLIS_WEBHOOK_BACKOFF_SECONDS", 30)
    cap = _setting("COLIS_WEBHOOK_BACKOFF_CAP_SECONDS", 3600)
    return float(min(cap, base * 2 ** max(attempts - 1, 0)))


def max_attempts() -> int:
    return int(_setting("COLIS_WEBHOOK_MAX_ATTEMPTS", 8))


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signature_verify(*, secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does: check the HMAC and that the timestamp is recent."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


# --- endpoints ---------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise WebhookInvalid(
            "The URL must start with http:// or https:// and name a host.", field="url"
        )
    if len(url) > 500:
        raise WebhookInvalid("The URL is too long (500 characters at most).", field="url")
    return url


def _clean_events(events: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise WebhookInvalid(
            f"Unknown event {unknown[0]!r}; one of: {', '.join(EVENTS)}.", field="events"
        )
    if not chosen:
        raise WebhookInvalid("Choose at least one event.", field="events")
    return chosen


def webhook_endpoint_create(
    *,
    account: Any,
    url: str,
    events: Sequence[str],
    secret: str | None = None,
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """A new endpoint; without a secret one is generated (`whsec_...`, shown once)."""
    if secret is not None and len(secret) < 16:
        raise WebhookInvalid("A secret has at least 16 characters.", field="secret")
    return WebhookEndpoint.objects.create(
        account=account,
        url=_clean_url(url),
        events=_clean_events(events),
        secret=secret or f"whsec_{secrets.token_urlsafe(32)}",
        description=description[:200],
        is_active=is_active,
    )


def webhook_endpoint_get(*, account: Any, endpoint_id: int) -> WebhookEndpoint:
    row = WebhookEndpoint.objects.filter(account=account, id=endpoint_id).first()
    if row is None:
        raise WebhookNotFound("No such webhook.")
    return row


def webhook_endpoint_update(
    *,
    account: Any,
    endpoint_id: int,
    url: str | None = None,
    events: Sequence[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    rotate_secret: bool = False,
) -> WebhookEndpoint:
    row = webhook_endpoint_get(account=account, endpoint_id=endpoint_id)
    fields: list[str] = []
    if url is not None:
        row.url = _clean_url(url)
        fields.append("url")
    if events is not None:
        row.events = _clean_events(events)
        fields.append("events")
    if description is not None:
        row.description = description[:200]
        fields.append("description")
    if is_active is not None:
        row.is_active = bool(is_active)
        fields.append("is_active")
    if rotate_secret:
        row.secret = f"whsec_{secrets.token_urlsafe(32)}"
        fields.append("secret")
    if fields:
        row.save(update_fields=[*fields, "updated_at"])
    return row


def webhook_endpoint_delete(*, account: Any, endpoint_id: int) -> None:
    webhook_endpoint_get(account=account, endpoint_id=endpoint_id).delete()


# --- emitting ----------------------------------------------------------------------------


def _enqueue(delivery_ids: list[int]) -> None:
    from colis.webhooks import tasks

    if delivery_ids:
        transaction.on_commit(lambda: [tasks.webhook_deliver_task(i) for i in delivery_ids])


def webhook_subscribed(*, account_id: int, event: str) -> bool:
    """Whether an active endpoint of the account wants `event` (skip building a payload)."""
    return any(
        event in (events or [])
        for events in WebhookEndpoint.objects.filter(
            account_id=account_id, is_active=True
        ).values_list("events", flat=True)
    )


def webhook_emit(*, account_id: int, event: str, payload: dict[str, Any]) -> list[int]:
    """Owe `event` to every active endpoint of the account that subscribed to it; the
    sends run after commit. Never raises: the change that caused the event stands."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    try:
        endpoints = [
            e
            for e in WebhookEndpoint.objects.filter(account_id=account_id, is_active=True).only(
                "id", "events"
            )
            if event in (e.events or [])
        ]
        if not endpoints:
            return []
        event_id = f"evt_{uuid.uuid4().hex}"
        now = clock.now()
        body = {
            "id": event_id,
            "event": event,
            "created_at": now.isoformat(),
            "data": json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
        }
        with transaction.atomic():
            rows = WebhookDelivery.objects.bulk_create(
                [
                    WebhookDelivery(
                        account_id=account_id,
                        endpoint_id=e.id,
                        event=event,
                        event_id=event_id,
                        payload=body,
                        next_attempt_at=now,
                    )
                    for e in endpoints
                ]
            )
        ids = [r.id for r in rows if r.id is not None] or list(
            WebhookDelivery.objects.filter(event_id=event_id).values_list("id", flat=True)
        )
        _enqueue(ids)
        return ids
    except Exception:
        log.exception("webhook %s for account %s not recorded", event, account_id)
        return []


# --- delivering --------------------------------------------------------------------------


def _take(delivery_id: int, now: dt.datetime) -> bool:
    return bool(
        WebhookDelivery.objects.filter(id=delivery_id, state=D.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=now + LEASE)
    )


def webhook_deliver(*, delivery_id: int) -> str:
    """Send one delivery now (if pending and not taken); returns its state afterwards."""
    now = clock.now()
    if not _take(delivery_id, now):
        row = WebhookDelivery.objects.filter(id=delivery_id).only("state").first()
        return row.state if row else "missing"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(id=delivery_id)
    endpoint = delivery.endpoint
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "colis-webhooks/1",
        "X-Colis-Event": delivery.event,
        "X-Colis-Delivery": str(delivery.id),
        SIGNATURE_HEADER: signature(secret=endpoint.secret, timestamp=int(time.time()), body=body),
    }
    started = time.monotonic()
    status: int | None = None
    error = ""
    excerpt = ""
    if not endpoint.is_active:
        error = "The endpoint is switched off."
    else:
        try:
            with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as client:
                response = client.post(endpoint.url, content=body, headers=headers)
            status = response.status_code
            excerpt = response.text[:500]
            if not 200 <= status < 300:
                error = f"HTTP {status}" + (
                    " (redirects are not followed)" if 300 <= status < 400 else ""
                )
        except httpx.TimeoutException:
            error = f"No answer within {TIMEOUT:.0f} s."
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
    duration = int((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    done = clock.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            account_id=delivery.account_id,
            delivery=delivery,
            status_code=status,
            error=error,
            response_excerpt=excerpt,
            duration_ms=duration,
        )
        changes: dict[str, Any] = {
            "attempts": attempts,
            "last_status_code": status,
            "last_error": error,
            "lease_until": None,
        }
        if not error:
            changes.update(state=D.SUCCEEDED, delivered_at=done, next_attempt_at=None)
        elif attempts >= max_attempts():
            changes.update(state=D.FAILED, next_attempt_at=None)
        else:
            changes.update(next_attempt_at=done + dt.timedelta(seconds=backoff_seconds(attempts)))
        WebhookDelivery.objects.filter(id=delivery.id, state=D.PENDING).update(**changes)
    state = str(changes.get("state", D.PENDING))
    if state == D.PENDING:
        from colis.webhooks import tasks

        delay = backoff_seconds(attempts)
        transaction.on_commit(
            lambda: tasks.webhook_deliver_task.schedule(args=(delivery.id,), delay=delay)
        )
    return state


def webhook_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come (a lost task, a restart): the sweep's list."""
    now = now or clock.now()
    return list(
        WebhookDelivery.objects.filter(state=D.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )


def webhook_delivery_retry(*, account: Any, delivery_id: int) -> WebhookDelivery:
    """Send a failed delivery again (the receiver is fixed)."""
    row = WebhookDelivery.objects.filter(account=account, id=delivery_id).first()
    if row is None:
        raise WebhookNotFound("No such delivery.")
    WebhookDelivery.objects.filter(id=row.id, state=D.FAILED).update(
        state=D.PENDING, attempts=0, next_attempt_at=clock.now(), lease_until=None
    )
    _enqueue([row.id])
    row.refresh_from_db()
    return row
