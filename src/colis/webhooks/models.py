"""Outgoing webhooks per account (endpoints, deliveries, attempts) and the seller's
tracking e-mail settings with the record of each tracking e-mail sent or refused.

Deliveries are an outbox (CONVENTIONS rule 6, after Saleor's EventDelivery /
EventDeliveryAttempt): one row per event owed to an endpoint, written in the transaction of
the change that caused it, sent after commit, retried with exponential backoff.

`TrackingEmailSetting` / `TrackingEmail` live here (not in colis.notifications) so that the
shipping issue's migrations stay in one app of its own; the service that uses them is
`colis.notifications.tracking`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.fields import EncryptedTextField
from colis.common.models import TenantModel


class WebhookEndpoint(TenantModel):
    url = models.URLField(_("URL"), max_length=500)
    secret = EncryptedTextField()  # HMAC-SHA256 key, encrypted at rest, shown once
    events = models.JSONField(default=list)  # subset of colis.webhooks.services.EVENTS
    description = models.CharField(_("description"), max_length=200, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(TenantModel):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed, no more retries")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40)
    event_id = models.CharField(max_length=40)  # the same for every endpoint of one event
    payload = models.JSONField()
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event"),
        ]
        ordering: ClassVar[list[str]] = ["-id"]


class WebhookAttempt(TenantModel):
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    response_excerpt = models.CharField(max_length=500, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]


class TrackingEmailSetting(TenantModel):
    """Whether the seller sends tracking e-mails to buyers of non-Amazon orders, and in
    which language (one row per account; none: off)."""

    enabled = models.BooleanField(_("send tracking e-mails"), default=False)
    language = models.CharField(
        _("e-mail language"),
        max_length=8,
        default="en",
        choices=[("en", "English"), ("fr", "Français")],
    )

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["account"], name="one_tracking_email_setting"),
        ]


class TrackingEmail(TenantModel):
    """One tracking e-mail per parcel and status: sent, or refused with a typed reason."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        REFUSED = "refused", _("Refused")

    parcel = models.ForeignKey("shipping.Parcel", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["parcel", "status"], name="one_tracking_email_per_status"
            ),
        ]
        ordering: ClassVar[list[str]] = ["id"]
