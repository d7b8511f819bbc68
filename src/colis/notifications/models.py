"""E-mails kept in the local outbox when no SMTP server is configured."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.fields import EncryptedTextField


class OutboxMessage(models.Model):
    """One e-mail as it would have been sent. Recipients and body are encrypted at rest."""

    subject = EncryptedTextField()
    from_email = models.CharField(max_length=254)
    to = EncryptedTextField()  # comma-separated
    body = EncryptedTextField()
    html_body = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def recipients(self) -> list[str]:
        return [r for r in self.to.split(",") if r]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "to": self.recipients(),
            "subject": self.subject,
            "body": self.body,
            "created_at": self.created_at.isoformat(),
        }


class Notification(models.Model):
    """An in-app notification. `user` NULL: for every user of `account`; `account` NULL: an
    operator notification for one staff user. Title and body are message keys of
    `colis.notifications.messages` with their parameters, rendered in the reader's language.

    `dedupe_key` is UNIQUE: a reminder is inserted once however many sweeps run at once."""

    class Kind(models.TextChoices):
        AUTHORIZATION_REMINDER = "authorization_reminder", _("Authorization expires soon")
        AUTHORIZATION_EXPIRED = "authorization_expired", _("Authorization expired")
        AUTHORIZATION_REVOKED = "authorization_revoked", _("Authorization revoked")
        LWA_SECRET_ROTATION = "lwa_secret_rotation", _("LWA client secret rotation")

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    integration = models.ForeignKey(
        "integrations.Integration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title_key = models.CharField(max_length=80)
    body_key = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    # Set by the service from colis.common.clock (the driven clock in tests), not auto_now.
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=False) | models.Q(user__isnull=False),
                name="notification_has_audience",
            )
        ]
        indexes: ClassVar[list[Any]] = [models.Index(fields=["account", "read_at"])]

    def __str__(self) -> str:
        return self.dedupe_key


class NotificationEmail(models.Model):
    """One e-mail owed for a notification to one user: an outbox row inserted in the
    notification's transaction and sent after commit. `sent_at` is set by a
    status-conditional UPDATE under a lease, so a crash before the send re-sends it once."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    lease_owner = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["notification", "user"], name="one_email_per_notification_user"
            )
        ]
