"""The feedback outbox: one row per status update owed to a marketplace, and its attempts.

Modelled on Saleor's EventDelivery / EventDeliveryAttempt (CONVENTIONS rule 6). A delivery
is taken by a status-conditional UPDATE with a lease (a crashed worker's lease lapses);
`outcome_unknown` is set before the marketplace call and cleared once its answer is
recorded, so whoever takes the row next reads back before sending again.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.models import TenantModel


class FeedbackDelivery(TenantModel):
    class Kind(models.TextChoices):
        SHIPMENT = "shipment", _("Shipment confirmation")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        IN_FLIGHT = "in_flight", _("Being sent")
        SENT = "sent", _("Sent, being checked")
        CONFIRMED = "confirmed", _("Confirmed by the marketplace")
        FAILED = "failed", _("Refused by the marketplace")
        DROPPED = "dropped", _("Accepted, then lost by the marketplace")
        WAITING_AUTHORIZATION = "waiting_authorization", _("Waiting for the shop's authorization")

    class Trigger(models.TextChoices):
        LABEL_CREATED = "label_created", _("Label created")
        FIRST_SCAN = "first_scan", _("First carrier scan")

    parcel = models.ForeignKey(
        "shipping.Parcel", on_delete=models.CASCADE, related_name="feedback_deliveries"
    )
    integration = models.ForeignKey(
        "integrations.Integration", on_delete=models.CASCADE, related_name="feedback_deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SHIPMENT)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    state = models.CharField(
        max_length=24, choices=State.choices, default=State.PENDING, db_index=True
    )
    # A string holding a positive integer, stable per parcel (its number within the order).
    package_reference_id = models.CharField(max_length=20)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set when a delivery task is enqueued: the sweep does not enqueue it again meanwhile.
    queued_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    # Set before the marketplace call, cleared once its answer is recorded.
    outcome_unknown = models.BooleanField(default=False)
    submission_id = models.CharField(max_length=64, blank=True, default="")  # MWS feed
    last_error = models.TextField(blank=True, default="")
    amazon_reason = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["parcel", "kind"], name="one_feedback_per_parcel_kind"),
        ]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["state", "next_attempt_at"], name="feedback_due"),
        ]
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} of parcel {self.parcel_id}: {self.state}"


class FeedbackAttempt(TenantModel):
    """One call to the marketplace for a delivery. No PII: the request summary holds the
    operation, the package reference, the carrier code and item counts only."""

    class Action(models.TextChoices):
        SEND = "send", _("Send")
        READ_BACK = "read_back", _("Read back")
        FEED_RESULT = "feed_result", _("Feed result")

    delivery = models.ForeignKey(
        FeedbackDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    request_summary = models.JSONField(default=dict)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=24)
    response_reason = models.TextField(blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    @property
    def outcome_label(self) -> str:
        """The outcome in the reader's language (the stored value stays a stable code)."""
        return str(OUTCOME_LABELS.get(self.outcome, self.outcome))

    class Meta:
        ordering: ClassVar[list[str]] = ["id"]


OUTCOME_LABELS = {
    "accepted": _("accepted"),
    "refused": _("refused"),
    "submitted": _("submitted"),
    "processing": _("processing"),
    "present": _("found at Amazon"),
    "absent": _("not found at Amazon"),
    "error": _("error"),
    "unauthorized": _("not authorized"),
    "unknown": _("no answer"),
    "throttled": _("throttled, retried"),
}
