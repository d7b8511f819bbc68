"""`colis outbox`: show the e-mails kept in the local outbox."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from colis.notifications.selectors import outbox_list


class Command(BaseCommand):
    help = "Show e-mails written to the local outbox (when no SMTP server is configured)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", help="only e-mails to this address")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--full", action="store_true", help="print bodies too")

    def handle(self, *args: Any, **options: Any) -> None:
        messages = outbox_list(to=options["to"], limit=options["limit"])
        if not messages:
            self.stdout.write("the outbox is empty")
        for message in messages:
            self.stdout.write(
                f"#{message.pk} {message.created_at:%Y-%m-%d %H:%M} to {', '.join(message.recipients())}"
            )
            self.stdout.write(f"  {message.subject}")
            if options["full"]:
                self.stdout.write(message.body)
                self.stdout.write("-" * 60)
