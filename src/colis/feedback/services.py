"""The feedback outbox: shipment confirmations owed to marketplaces, sent exactly once.

Life of a delivery (`FeedbackDelivery.state`):

    pending ──take (lease)──▶ in_flight ──204──▶ sent ──read back: present──▶ confirmed
       ▲                        │   │                 └─read back: absent──▶ dropped (retry)
       │ 429/5xx/time-out       │   └─400──▶ failed (Amazon's reason; retry after a fix)
       └────────────────────────┘   └─authorization expired/revoked──▶ waiting_authorization

Exactly one confirmation per parcel: the row is taken by a status-conditional UPDATE with a
lease (a crashed worker's lease lapses); `outcome_unknown` is written BEFORE the marketplace
call and cleared once its answer is recorded. Whoever takes a row whose last outcome is
unknown (time-out, 5xx, dropped connection, crash between the call and the record) first
reads back what the marketplace holds (2026 getOrder `packages[]`) and re-sends only if the
package is absent. The connector sends confirmShipment once per call; backoff with jitter
is the outbox's, and every call goes through the shared rate limiter in client.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q

from colis.common import clock
from colis.feedback.models import FeedbackAttempt, FeedbackDelivery
from colis.feedback.selectors import parcel_shipment_facts
from colis.integrations.models import Integration
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConfirmedPackage,
    ConnectorError,
    InvalidCredentials,
    InvalidRequest,
    MarketplaceConnector,
    ShipmentConfirmation,
)
from colis.integrations.registry import connector_for
from colis.shipping.models import Parcel

log = logging.getLogger("colis.feedback")

S = FeedbackDelivery.State
TRIGGER_FOR_TYPE: dict[str, str] = {
    Integration.FeedbackType.EAGER: FeedbackDelivery.Trigger.LABEL_CREATED,
    Integration.FeedbackType.DELAYED: FeedbackDelivery.Trigger.FIRST_SCAN,
}
LEASE = dt.timedelta(minutes=2)
# The sweep looks this far back for parcels without a delivery (bounded work per minute).
SWEEP_WINDOW = dt.timedelta(days=30)


class FeedbackError(Exception):
    code = "feedback_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeliveryNotFound(FeedbackError):
    code = "not_found"


class DeliveryStateConflict(FeedbackError):
    code = "state_conflict"


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: base·2^(n-1) capped, drawn in [half, full]."""
    base = _setting("COLIS_FEEDBACK_BACKOFF_SECONDS", 30.0)
    cap = _setting("COLIS_FEEDBACK_BACKOFF_CAP_SECONDS", 3600.0)
    delay = min(cap, base * (2 ** max(attempts - 1, 0)))
    return random.uniform(delay / 2, delay)


def _verify_delay() -> dt.timedelta:
    """How long after a 204 the confirmation is read back (Amazon shows it after a while)."""
    return dt.timedelta(seconds=_setting("COLIS_FEEDBACK_VERIFY_SECONDS", 60.0))


def _max_attempts() -> int:
    return int(_setting("COLIS_FEEDBACK_MAX_ATTEMPTS", 12))


# --- owing ---------------------------------------------------------------------------------
def _enqueue(delivery_ids: Iterable[int]) -> None:
    """Enqueue delivery tasks after commit, marking the rows queued for a lease's time."""
    from colis.feedback import tasks

    ids = list(delivery_ids)
    if not ids:
        return
    FeedbackDelivery.objects.filter(id__in=ids).update(queued_until=clock.now() + LEASE)
    transaction.on_commit(lambda: [tasks.feedback_deliver_task(i) for i in ids])


def _moment(parcel: Parcel, trigger: str) -> dt.datetime | None:
    if trigger == FeedbackDelivery.Trigger.LABEL_CREATED:
        return parcel.label_created_at
    return parcel.first_scan_at


def _package_reference(parcel: Parcel) -> str:
    """The parcel's number within its order (1, 2, ...): a positive integer, stable."""
    return str(Parcel.objects.filter(order_id=parcel.order_id, id__lte=parcel.id).count())


def _owed_rows(parcels: Iterable[Parcel], trigger: str) -> list[FeedbackDelivery]:
    rows = []
    for parcel in parcels:
        integration = parcel.order.integration
        if TRIGGER_FOR_TYPE.get(integration.feedback_type) != trigger:
            continue
        if _moment(parcel, trigger) is None or parcel.status == Parcel.Status.CANCELLED:
            continue
        if parcel.order.fulfilled_by_marketplace or not parcel.tracking_number:
            continue
        rows.append(
            FeedbackDelivery(
                account_id=parcel.account_id,
                parcel_id=parcel.id,
                integration_id=integration.id,
                kind=FeedbackDelivery.Kind.SHIPMENT,
                trigger=trigger,
                package_reference_id=_package_reference(parcel),
                state=S.PENDING
                if integration.state == Integration.State.ACTIVE
                else S.WAITING_AUTHORIZATION,
                next_attempt_at=clock.now(),
            )
        )
    return rows


def feedback_owe_for_parcel(*, parcel_id: int, trigger: str) -> FeedbackDelivery | None:
    """Record that a parcel's shipment confirmation is owed, if its shop's feedback type
    asks for it at this moment (`label_created` for eager, `first_scan` for delayed).
    Idempotent: one delivery per (parcel, kind), by a unique constraint. The delivery task
    is enqueued after commit. Returns the delivery, or None when nothing is owed."""
    parcel = Parcel.objects.select_related("order", "order__integration").get(id=parcel_id)
    rows = _owed_rows([parcel], trigger)
    if not rows:
        return None
    FeedbackDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    delivery = FeedbackDelivery.objects.get(
        parcel_id=parcel_id, kind=FeedbackDelivery.Kind.SHIPMENT
    )
    if delivery.state == S.PENDING and delivery.attempts == 0:
        _enqueue([delivery.id])
    return delivery


def feedback_owe_sweep(*, limit: int = 500) -> int:
    """Make the deliveries the shipping flow may have missed (a crash between the parcel's
    UPDATE and the outbox row): parcels with their moment set in the last 30 days and no
    delivery, at most `limit` per feedback type."""
    made = 0
    since = clock.now() - SWEEP_WINDOW
    for ft, trigger in TRIGGER_FOR_TYPE.items():
        moment = (
            "label_created_at"
            if trigger == FeedbackDelivery.Trigger.LABEL_CREATED
            else "first_scan_at"
        )
        parcels = list(
            Parcel.objects.filter(
                **{f"{moment}__gte": since},
                order__integration__feedback_type=ft,
                feedback_deliveries__isnull=True,
            )
            .exclude(status=Parcel.Status.CANCELLED)
            .select_related("order", "order__integration")
            .order_by("id")[:limit]
        )
        rows = _owed_rows(parcels, trigger)
        if rows:
            FeedbackDelivery.objects.bulk_create(rows, ignore_conflicts=True)
            made += len(rows)
    return made


# --- delivering ------------------------------------------------------------------------------
@dataclass
class Connectors:
    """One connector per integration for a run of many deliveries (keeps HTTP connections)."""

    cache: dict[int, MarketplaceConnector] = field(default_factory=dict)

    def get(self, integration: Integration) -> MarketplaceConnector:
        if integration.id not in self.cache:
            self.cache[integration.id] = connector_for(integration)
        return self.cache[integration.id]

    def close(self) -> None:
        for connector in self.cache.values():
            client = getattr(connector, "client", None)
            if client is not None and hasattr(client, "close"):
                client.close()
        self.cache.clear()


def _take(delivery_id: int, owner: str, now: dt.datetime) -> bool:
    """pending (due) | sent (due for read-back) | in_flight with a lapsed lease → in_flight."""
    due = Q(state__in=[S.PENDING, S.SENT]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    lapsed = Q(state=S.IN_FLIGHT) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    return bool(
        FeedbackDelivery.objects.filter(due | lapsed, id=delivery_id).update(
            state=S.IN_FLIGHT, lease_owner=owner, lease_until=now + LEASE, updated_at=now
        )
    )


def _finish(delivery: FeedbackDelivery, owner: str, **changes: Any) -> bool:
    """Release the lease with the outcome; only the lease holder may (status-conditional)."""
    changes.setdefault("lease_owner", "")
    changes.setdefault("queued_until", None)
    changes.setdefault("lease_until", None)
    changes["updated_at"] = clock.now()
    done = FeedbackDelivery.objects.filter(
        id=delivery.id, state=S.IN_FLIGHT, lease_owner=owner
    ).update(**changes)
    if not done:
        log.warning("feedback %s: lease lost before the outcome was recorded", delivery.id)
    return bool(done)


def _summary(c: ShipmentConfirmation | None, operation: str) -> dict[str, Any]:
    if c is None:
        return {"operation": operation}
    return {
        "operation": operation,
        "order_id": c.order_external_id,
        "package_reference_id": c.package_reference_id,
        "carrier_code": c.carrier_code,
        "shipping_method": c.shipping_method,
        "items": len(c.items),
        "units": sum(q for _, q in c.items),
    }


def _attempt(
    delivery: FeedbackDelivery,
    action: str,
    started: float,
    *,
    outcome: str,
    summary: dict[str, Any],
    status: int | None = None,
    reason: str = "",
) -> None:
    FeedbackAttempt.objects.create(
        account_id=delivery.account_id,
        delivery=delivery,
        action=action,
        request_summary=summary,
        status_code=status,
        outcome=outcome,
        response_reason=reason[:2000],
        duration_ms=int((time.monotonic() - started) * 1000),
    )


def _confirmation(delivery: FeedbackDelivery) -> tuple[ShipmentConfirmation, str]:
    """What to tell Amazon about the delivery's parcel, and the parcel's status."""
    facts = parcel_shipment_facts(parcel_id=delivery.parcel_id)
    shipment = facts.shipment
    if delivery.trigger == FeedbackDelivery.Trigger.FIRST_SCAN:
        moment = facts.first_scan_at or facts.label_created_at
    else:
        moment = facts.label_created_at
    confirmation = ShipmentConfirmation(
        order_external_id=facts.order_external_id,
        marketplace_id=facts.marketplace_id,
        package_reference_id=delivery.package_reference_id,
        carrier_code=shipment.carrier_code,
        carrier_name=shipment.carrier_name,
        shipping_method=shipment.shipping_method,
        tracking_number=shipment.tracking_number,
        ship_date=moment or clock.now(),
        items=tuple(shipment.items),
    )
    return confirmation, facts.status


def _holds(packages: tuple[ConfirmedPackage, ...], c: ShipmentConfirmation) -> bool:
    return any(
        p.package_reference_id == c.package_reference_id
        or (c.tracking_number and p.tracking_number == c.tracking_number)
        for p in packages
    )


def _pause_integration(integration: Integration, exc: ConnectorError) -> None:
    state = (
        Integration.State.REVOKED
        if isinstance(exc, AuthorizationRevoked)
        else Integration.State.EXPIRED
    )
    Integration.objects.filter(id=integration.id, state=Integration.State.ACTIVE).update(
        state=state, last_error=exc.message[:2000]
    )


def _retry_later(delivery: FeedbackDelivery, owner: str, message: str, **extra: Any) -> str:
    attempts = max(delivery.attempts, 1)
    if attempts >= _max_attempts():
        _finish(delivery, owner, state=S.FAILED, last_error=message, **extra)
        return S.FAILED
    _finish(
        delivery,
        owner,
        state=S.PENDING,
        last_error=message,
        next_attempt_at=clock.now() + dt.timedelta(seconds=backoff_seconds(attempts)),
        **extra,
    )
    return S.PENDING


def _auth_failure(
    delivery: FeedbackDelivery,
    owner: str,
    integration: Integration,
    exc: ConnectorError,
    **extra: Any,
) -> str:
    _pause_integration(integration, exc)
    _finish(delivery, owner, state=S.WAITING_AUTHORIZATION, last_error=exc.message, **extra)
    return S.WAITING_AUTHORIZATION


def feedback_deliver(
    *, delivery_id: int, connectors: Connectors | None = None, now: dt.datetime | None = None
) -> str:
    """Send (or read back) one delivery if it is due and nobody holds it; the state after."""
    now = now or clock.now()
    owner = uuid.uuid4().hex
    with transaction.atomic():  # take, read and (for a first send) mark: one commit
        if not _take(delivery_id, owner, now):
            row = FeedbackDelivery.objects.filter(id=delivery_id).values_list("state", flat=True)
            return str(row[0]) if row else "missing"
        # The shop's credentials are decrypted only when its connector is first built.
        delivery = (
            FeedbackDelivery.objects.select_related("integration")
            .defer("integration__credentials")
            .get(id=delivery_id)
        )
        if (
            not delivery.outcome_unknown
            and not delivery.sent_at
            and not delivery.submission_id
            and delivery.integration.state == Integration.State.ACTIVE
        ):
            # A plain send comes next: mark it now, committed before any call to Amazon.
            _mark_sending(delivery, owner)
    own = connectors is None
    connectors = connectors or Connectors()
    try:
        return _deliver(delivery, owner, connectors)
    except Exception as exc:  # a bug must not leave the row leased for two minutes
        log.exception("feedback %s: delivery failed", delivery_id)
        return _retry_later(delivery, owner, f"Unexpected error: {exc.__class__.__name__}")
    finally:
        if own:
            connectors.close()


def _deliver(delivery: FeedbackDelivery, owner: str, connectors: Connectors) -> str:
    integration = delivery.integration
    if integration.state != Integration.State.ACTIVE:
        _finish(
            delivery,
            owner,
            state=S.WAITING_AUTHORIZATION,
            last_error=f"The shop's authorization is {integration.get_state_display().lower()}.",
        )
        return S.WAITING_AUTHORIZATION
    c, parcel_status = _confirmation(delivery)
    if parcel_status == Parcel.Status.CANCELLED and not delivery.sent_at:
        _finish(delivery, owner, state=S.FAILED, last_error="The parcel was cancelled.")
        return S.FAILED
    connector = connectors.get(integration)

    if delivery.submission_id:  # MWS: the feed was sent; its report says how it went
        return _feed_result(delivery, owner, connector, integration, c)

    if delivery.outcome_unknown or delivery.sent_at:
        # The last send may have reached Amazon (time-out, 5xx, crash), or it answered 204
        # and this is the check that it kept the package: read back before anything else.
        started = time.monotonic()
        try:
            packages = connector.fetch_confirmed_packages(order_external_id=c.order_external_id)
        except (AuthorizationExpired, AuthorizationRevoked) as exc:
            return _auth_failure(delivery, owner, integration, exc)
        except ConnectorError as exc:
            _attempt(
                delivery,
                FeedbackAttempt.Action.READ_BACK,
                started,
                outcome="error",
                summary=_summary(c, "read_back"),
                status=exc.status,
                reason=exc.message,
            )
            return _retry_later(delivery, owner, exc.message)
        if packages is not None:
            held = _holds(packages, c)
            _attempt(
                delivery,
                FeedbackAttempt.Action.READ_BACK,
                started,
                outcome="present" if held else "absent",
                summary=_summary(c, "read_back"),
                status=200,
            )
            now = clock.now()
            if held:
                _finish(
                    delivery,
                    owner,
                    state=S.CONFIRMED,
                    confirmed_at=now,
                    sent_at=delivery.sent_at or now,
                    outcome_unknown=False,
                    last_error="",
                )
                return S.CONFIRMED
            if delivery.sent_at and not delivery.outcome_unknown:
                # Amazon answered 204 and does not hold it: dropped. Shown, retried by hand.
                _finish(
                    delivery,
                    owner,
                    state=S.DROPPED,
                    last_error="Amazon accepted the confirmation but does not show the package.",
                )
                return S.DROPPED
        elif delivery.sent_at and not delivery.outcome_unknown:
            _finish(delivery, owner, state=S.CONFIRMED, confirmed_at=clock.now())
            return S.CONFIRMED
        # Absent (or unreadable here: MWS): send.

    return _send(delivery, owner, connector, integration, c)


def _mark_sending(delivery: FeedbackDelivery, owner: str) -> bool:
    """outcome_unknown + one more attempt, by the lease holder only."""
    marked = FeedbackDelivery.objects.filter(
        id=delivery.id, state=S.IN_FLIGHT, lease_owner=owner
    ).update(outcome_unknown=True, attempts=F("attempts") + 1)
    if marked:
        delivery.attempts += 1
        delivery._marked = True  # type: ignore[attr-defined]
    return bool(marked)


def _send(
    delivery: FeedbackDelivery,
    owner: str,
    connector: MarketplaceConnector,
    integration: Integration,
    c: ShipmentConfirmation,
) -> str:
    # Mark the outcome unknown BEFORE the call: a crash after it leaves the mark behind.
    if not getattr(delivery, "_marked", False) and not _mark_sending(delivery, owner):
        return S.IN_FLIGHT
    delivery._marked = False  # type: ignore[attr-defined]
    attempts = delivery.attempts
    started = time.monotonic()
    summary = _summary(c, "confirm_shipment")
    try:
        receipt = connector.confirm_shipment(confirmation=c)
    except (AuthorizationExpired, AuthorizationRevoked) as exc:
        _attempt(
            delivery,
            FeedbackAttempt.Action.SEND,
            started,
            outcome="unauthorized",
            summary=summary,
            status=exc.status,
            reason=exc.message,
        )
        # Amazon refused the caller before reading the request: nothing was recorded.
        return _auth_failure(delivery, owner, integration, exc, outcome_unknown=False)
    except (InvalidRequest, InvalidCredentials) as exc:
        _attempt(
            delivery,
            FeedbackAttempt.Action.SEND,
            started,
            outcome="refused",
            summary=summary,
            status=exc.status,
            reason=exc.message,
        )
        _finish(
            delivery,
            owner,
            state=S.FAILED,
            outcome_unknown=False,
            amazon_reason=exc.message,
            last_error=exc.message,
        )
        return S.FAILED
    except ConnectorError as exc:
        _attempt(
            delivery,
            FeedbackAttempt.Action.SEND,
            started,
            outcome="unknown" if exc.status != 429 else "throttled",
            summary=summary,
            status=exc.status,
            reason=exc.message,
        )
        if exc.status == 429:
            # Refused unread: the outcome is known, a throttle is not a failed attempt, and
            # the shared limiter (drained by the client) paces the next try: come back soon.
            pause = _setting("COLIS_FEEDBACK_THROTTLE_SECONDS", 1.0)
            _finish(
                delivery,
                owner,
                state=S.PENDING,
                attempts=attempts - 1,
                outcome_unknown=False,
                last_error=exc.message,
                next_attempt_at=clock.now()
                + dt.timedelta(seconds=random.uniform(pause / 2, pause)),
            )
            return S.PENDING
        return _retry_later(delivery, owner, exc.message)
    now = clock.now()
    with transaction.atomic():  # the attempt and the outcome: one commit
        _attempt(
            delivery,
            FeedbackAttempt.Action.SEND,
            started,
            outcome="submitted" if receipt.submission_id else "accepted",
            summary=summary,
            status=200 if receipt.submission_id else 204,
        )
        _finish(
            delivery,
            owner,
            state=S.SENT,
            sent_at=now,
            outcome_unknown=False,
            submission_id=receipt.submission_id,
            last_error="",
            amazon_reason="",
            next_attempt_at=now + _verify_delay(),
        )
    return S.SENT


def _feed_result(
    delivery: FeedbackDelivery,
    owner: str,
    connector: MarketplaceConnector,
    integration: Integration,
    c: ShipmentConfirmation,
) -> str:
    started = time.monotonic()
    try:
        result = connector.fetch_submission_result(submission_id=delivery.submission_id)
    except (AuthorizationExpired, AuthorizationRevoked) as exc:
        return _auth_failure(delivery, owner, integration, exc)
    except ConnectorError as exc:
        _attempt(
            delivery,
            FeedbackAttempt.Action.FEED_RESULT,
            started,
            outcome="error",
            summary=_summary(c, "feed_result"),
            status=exc.status,
            reason=exc.message,
        )
        return _retry_later_sent(delivery, owner, exc.message)
    if not result.done:
        _attempt(
            delivery,
            FeedbackAttempt.Action.FEED_RESULT,
            started,
            outcome="processing",
            summary=_summary(c, "feed_result"),
            status=200,
        )
        return _retry_later_sent(delivery, owner, "")
    reason = result.errors.get(c.package_reference_id) or result.errors.get("")
    _attempt(
        delivery,
        FeedbackAttempt.Action.FEED_RESULT,
        started,
        outcome="refused" if reason else "accepted",
        summary=_summary(c, "feed_result"),
        status=200,
        reason=reason or "",
    )
    if reason:
        _finish(
            delivery,
            owner,
            state=S.FAILED,
            amazon_reason=reason,
            last_error=reason,
            submission_id="",
        )
        return S.FAILED
    _finish(delivery, owner, state=S.CONFIRMED, confirmed_at=clock.now(), last_error="")
    return S.CONFIRMED


def _retry_later_sent(delivery: FeedbackDelivery, owner: str, message: str) -> str:
    """A feed still processing: ask again later (state sent keeps the submission id)."""
    _finish(
        delivery,
        owner,
        state=S.SENT,
        last_error=message,
        next_attempt_at=clock.now() + _verify_delay(),
    )
    return S.SENT


# --- the seller's and the scheduler's controls ------------------------------------------------
def feedback_retry(*, account: Any, delivery_id: int) -> FeedbackDelivery:
    """Send a failed or dropped delivery again (after the seller fixed the cause, e.g. the
    carrier mapping). Status-conditional: a delivery in any other state is a conflict."""
    delivery = FeedbackDelivery.objects.filter(account=account, id=delivery_id).first()
    if delivery is None:
        raise DeliveryNotFound("No such feedback delivery.")
    now = clock.now()
    changed = FeedbackDelivery.objects.filter(
        account=account, id=delivery_id, state__in=[S.FAILED, S.DROPPED]
    ).update(
        state=S.PENDING,
        next_attempt_at=now,
        attempts=0,
        sent_at=None,
        submission_id="",
        # A dropped confirmation was read back as absent: send it straight away.
        outcome_unknown=False,
        updated_at=now,
    )
    if not changed:
        raise DeliveryStateConflict(
            f"Only a failed or dropped delivery can be retried (this one is {delivery.state})."
        )
    _enqueue([delivery_id])
    delivery.refresh_from_db()
    return delivery


def feedback_resume_for_integration(*, integration_id: int) -> int:
    """The shop's authorization is active again: its waiting deliveries become due."""
    if not Integration.objects.filter(id=integration_id, state=Integration.State.ACTIVE).exists():
        return 0
    now = clock.now()
    ids = list(
        FeedbackDelivery.objects.filter(
            integration_id=integration_id, state=S.WAITING_AUTHORIZATION
        ).values_list("id", flat=True)
    )
    resumed = FeedbackDelivery.objects.filter(id__in=ids, state=S.WAITING_AUTHORIZATION).update(
        state=S.PENDING, next_attempt_at=now, updated_at=now
    )
    _enqueue(ids)
    return resumed


def feedback_due(
    *, now: dt.datetime | None = None, limit: int = 500, unqueued: bool = False
) -> list[int]:
    """Ids of deliveries due now, oldest first, bounded: sends (pending, or leases that
    lapsed) then read-backs of sent ones (at most `COLIS_FEEDBACK_READBACKS_PER_SWEEP`, 25:
    getOrder's plan serves 30 a minute). Waiting deliveries of shops active again are
    resumed first."""
    now = now or clock.now()
    for integration_id in (
        FeedbackDelivery.objects.filter(
            state=S.WAITING_AUTHORIZATION, integration__state=Integration.State.ACTIVE
        )
        .values_list("integration_id", flat=True)
        .distinct()
    ):
        FeedbackDelivery.objects.filter(
            integration_id=integration_id, state=S.WAITING_AUTHORIZATION
        ).update(state=S.PENDING, next_attempt_at=now, updated_at=now)
    free = Q(queued_until__isnull=True) | Q(queued_until__lt=now) if unqueued else Q()
    sends = FeedbackDelivery.objects.filter(
        Q(state=S.PENDING, next_attempt_at__lte=now) | Q(state=S.IN_FLIGHT, lease_until__lt=now)
    ).filter(free)
    ids = list(sends.order_by("next_attempt_at", "id").values_list("id", flat=True)[:limit])
    # Read-backs ride getOrder's plan (0.5/s, burst 30): take no more per call than it
    # serves in a minute, so workers do not sit in the limiter while sends wait.
    room = min(limit - len(ids), int(_setting("COLIS_FEEDBACK_READBACKS_PER_SWEEP", 25)))
    if room > 0:
        checks = FeedbackDelivery.objects.filter(state=S.SENT, next_attempt_at__lte=now)
        ids += list(
            checks.filter(free)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:room]
        )
    return ids


def feedback_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """The periodic sweep: owe what the shipping flow missed, then enqueue what is due and
    not already queued (a conditional UPDATE of `queued_until` per row, so two sweeps
    enqueue a delivery once; a task enqueued twice would still take its row only once)."""
    feedback_owe_sweep(limit=limit)
    now = now or clock.now()
    free = Q(queued_until__isnull=True) | Q(queued_until__lt=now)
    claimed = [
        delivery_id
        for delivery_id in feedback_due(now=now, limit=limit, unqueued=True)
        if FeedbackDelivery.objects.filter(free, id=delivery_id).update(queued_until=now + LEASE)
    ]
    if claimed:
        from colis.feedback import tasks

        transaction.on_commit(lambda: [tasks.feedback_deliver_task(i) for i in claimed])
    return claimed


def feedback_deliver_many(*, delivery_ids: Iterable[int]) -> dict[str, int]:
    """Deliver several in this process with one connector per shop (bench, CLI)."""
    connectors = Connectors()
    counts: dict[str, int] = {}
    try:
        for delivery_id in delivery_ids:
            state = feedback_deliver(delivery_id=delivery_id, connectors=connectors)
            counts[state] = counts.get(state, 0) + 1
    finally:
        connectors.close()
    return counts
