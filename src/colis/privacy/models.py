"""Retention policy and archive key per account; audit trails of purges and of PII access.

Nothing here holds buyer PII: the purge audit keeps counts, the access log keeps who looked
at which order and when, never what they saw.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.models import TenantModel

# Amazon's Data Protection Policy: buyer PII is kept at most 30 days after delivery.
MAX_RETENTION_DAYS = 30


class RetentionPolicy(TenantModel):
    """One per account: a retention window no longer than 30 days, and the tax archive key.

    The server holds only the age *public* key (recipient): it can write the archive but
    never read it back.
    """

    days = models.PositiveSmallIntegerField(
        _("retention after delivery (days)"),
        default=MAX_RETENTION_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_RETENTION_DAYS)],
    )
    archive_public_key = models.CharField(_("age public key"), max_length=100, blank=True)
    archive_key_set_at = models.DateTimeField(null=True, blank=True)
    # Why the purge of this account's orders waits (empty when all is well).
    archive_error = models.TextField(blank=True, default="")
    archive_error_at = models.DateTimeField(null=True, blank=True)
    archive_last_written_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["account"], name="one_retention_policy_per_account"),
            # Never longer than Amazon allows, whatever writes the row.
            models.CheckConstraint(
                condition=models.Q(days__gte=0, days__lte=MAX_RETENTION_DAYS),
                name="retention_days_at_most_30",
            ),
        ]


class PurgeAudit(TenantModel):
    """What one purge run did for one account: counts, never data."""

    run_id = models.CharField(max_length=32)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    retention_days = models.PositiveSmallIntegerField()
    orders_purged = models.PositiveIntegerField(default=0)
    orders_archived = models.PositiveIntegerField(default=0)
    archive_files = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["run_id", "account"], name="one_purge_audit_per_run"),
        ]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["account", "-started_at"], name="purge_audit_recent"),
        ]


class PiiAccess(TenantModel):
    """Someone opened an order's buyer data (panel or API): who, when, which order."""

    class Channel(models.TextChoices):
        PANEL = "panel", _("Panel")
        API = "api", _("API")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept when the user is removed: the trail must outlive the access.
    user_email = models.CharField(max_length=254, blank=True)
    order_id = models.BigIntegerField()
    order_external_id = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    at = models.DateTimeField()

    class Meta:
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["account", "-at"], name="pii_access_recent"),
            models.Index(fields=["account", "order_id", "-at"], name="pii_access_by_order"),
        ]
