"""Django e-mail backend that writes to the outbox table instead of an SMTP server."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from colis.notifications.models import OutboxMessage

        sent = 0
        for message in email_messages:
            html = ""
            alternatives: list[Any] = getattr(message, "alternatives", [])
            for content, mimetype in alternatives:
                if mimetype == "text/html":
                    html = str(content)
            OutboxMessage.objects.create(
                subject=str(message.subject),
                from_email=str(message.from_email),
                to=",".join(message.recipients()),
                body=str(message.body),
                html_body=html,
            )
            sent += 1
        return sent
