"""E-mails kept in the local outbox when no SMTP server is configured."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

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
