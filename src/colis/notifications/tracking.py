"""Tracking e-mails to buyers of non-Amazon orders, when the seller turns them on.

Amazon's Data Protection Policy and its buyer-seller communication guidelines (6 November
2020) forbid marketing or tracking messages to Amazon buyers: Amazon tells its buyers
about their shipments itself, and buyers' addresses are relays
(`...@marketplace.amazon.<tld>`). So this service — not only the panel — refuses:

- any order whose integration channel is Amazon (`amazon_order`), and
- any recipient address on an Amazon relay domain (`amazon_relay_address`),

recording the refusal (`TrackingEmail`, outcome "refused") and raising
`TrackingEmailRefused`. Other refusals: e-mails switched off (`disabled`), no buyer
address (`no_recipient`). One e-mail per parcel and status (a unique constraint).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from colis.integrations.models import Integration
from colis.shipping.models import Parcel
from colis.webhooks.models import TrackingEmail, TrackingEmailSetting

log = logging.getLogger(__name__)

S = Parcel.Status
# Statuses a buyer hears about.
EMAIL_STATUSES = {
    S.READY_TO_SEND,
    S.PICKED_UP,
    S.IN_TRANSIT,
    S.OUT_FOR_DELIVERY,
    S.AWAITING_PICKUP,
    S.DELIVERY_FAILED,
    S.DELIVERED,
}
AMAZON_RELAY = re.compile(r"@(?:[a-z0-9-]+\.)*marketplace\.amazon\.[a-z.]+$", re.IGNORECASE)


class TrackingEmailRefused(Exception):
    """No tracking e-mail for this parcel; `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_amazon_relay(address: str) -> bool:
    return bool(AMAZON_RELAY.search((address or "").strip()))


def tracking_email_settings_set(
    *, account: Any, enabled: bool, language: str | None = None
) -> TrackingEmailSetting:
    row, _ = TrackingEmailSetting.objects.get_or_create(account=account)
    row.enabled = bool(enabled)
    if language is not None:
        if language not in {"en", "fr"}:
            raise ValueError("language must be en or fr")
        row.language = language
    row.save(update_fields=["enabled", "language", "updated_at"])
    return row


def _record(parcel: Parcel, status: str, outcome: str, reason: str = "") -> bool:
    """One row per (parcel, status); False if it already exists."""
    try:
        with transaction.atomic():
            TrackingEmail.objects.create(
                account_id=parcel.account_id,
                parcel=parcel,
                status=status,
                outcome=outcome,
                reason=reason,
            )
        return True
    except IntegrityError:
        return False


def _refuse(parcel: Parcel, status: str, code: str, message: str) -> TrackingEmailRefused:
    _record(parcel, status, TrackingEmail.Outcome.REFUSED, code)
    return TrackingEmailRefused(code, message)


def tracking_email_send(*, parcel_id: int, status: str | None = None) -> TrackingEmail | None:
    """Send the buyer the parcel's tracking e-mail for `status` (default: its current one).

    Raises `TrackingEmailRefused` (and records it) for Amazon orders and relay addresses,
    when e-mails are off, or without a buyer address. Returns None when this parcel's
    e-mail for this status was already sent."""
    parcel = Parcel.objects.select_related("order", "order__integration", "carrier_account").get(
        id=parcel_id
    )
    order = parcel.order
    status = status or parcel.status
    recipient = (order.buyer_email or "").strip()
    if order.integration.channel == Integration.Channel.AMAZON:
        raise _refuse(
            parcel,
            status,
            "amazon_order",
            "Amazon orders never get tracking e-mails from colis: Amazon informs its buyers "
            "(communication guidelines of 6 November 2020).",
        )
    if is_amazon_relay(recipient):
        raise _refuse(
            parcel,
            status,
            "amazon_relay_address",
            "The buyer's address is an Amazon relay address: no tracking e-mail is sent.",
        )
    setting = TrackingEmailSetting.objects.filter(account_id=parcel.account_id).first()
    if setting is None or not setting.enabled:
        raise _refuse(parcel, status, "disabled", "Tracking e-mails are switched off.")
    if not recipient:
        raise _refuse(parcel, status, "no_recipient", "The order has no buyer e-mail address.")
    if not _record(parcel, status, TrackingEmail.Outcome.SENT):
        return None
    with translation.override(setting.language):
        context = {
            "order": order,
            "parcel": parcel,
            "status_label": str(S(status).label),
            "carrier": parcel.carrier_account.name,
            "seller": getattr(order.account, "name", "") or "colis",
        }
        subject = render_to_string("notifications/tracking/subject.txt", context).strip()
        body = render_to_string("notifications/tracking/body.txt", context)
        html = render_to_string("notifications/tracking/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[recipient]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return TrackingEmail.objects.get(parcel=parcel, status=status)


def tracking_email_send_quietly(*, parcel_id: int, status: str) -> None:
    """The task's call: a refusal is recorded and logged, not raised."""
    try:
        tracking_email_send(parcel_id=parcel_id, status=status)
    except TrackingEmailRefused as exc:
        log.info("parcel %s: no tracking e-mail (%s)", parcel_id, exc.code)


def tracking_email_owed(*, account_id: int, parcel_id: int, status: str) -> None:
    """Called by shipping when a parcel's status changes: enqueue the send after commit,
    if the seller switched tracking e-mails on (off: nothing to do, nothing queued — a bulk
    run of labels costs no task per parcel). The send itself decides, and refuses Amazon."""
    if status not in EMAIL_STATUSES:
        return
    if not TrackingEmailSetting.objects.filter(account_id=account_id, enabled=True).exists():
        return
    from colis.webhooks import tasks

    transaction.on_commit(lambda: tasks.tracking_email_send_task(parcel_id, status))
