"""`colis createuser`: make a user (and their account) from the command line."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from colis.accounts.models import User
from colis.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with a verified e-mail, in a new account (or --staff for an operator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", help="read from the terminal when omitted")
        parser.add_argument(
            "--staff", action="store_true", help="operator: may see the outbox and admin"
        )
        parser.add_argument("--language", choices=["en", "fr"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"a user with e-mail {email} already exists")
        password = options["password"] or getpass.getpass("Password (12 characters or more): ")
        try:
            validate_password(password, User(email=email))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user = user_create(
            email=email,
            password=password,
            verified=True,
            is_staff=options["staff"],
            language=options["language"],
        )
        self.stdout.write(f"created user {user.email} (account #{user.account_id})")
