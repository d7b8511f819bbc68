"""`colis apikey create --email E`: print a new API key once; `list`, `revoke`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from colis.accounts.models import User
from colis.accounts.selectors import apikey_list
from colis.accounts.services import apikey_create, apikey_revoke


class Command(BaseCommand):
    help = "Manage API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a key and print it once")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")
        listing = sub.add_parser("list", help="list a user's account keys (last 4 characters)")
        listing.add_argument("--email", required=True)
        revoke = sub.add_parser("revoke", help="revoke a key by id")
        revoke.add_argument("--email", required=True)
        revoke.add_argument("--id", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = (
            User.objects.filter(email__iexact=options["email"].strip())
            .select_related("account")
            .first()
        )
        if user is None or user.account is None:
            raise CommandError(f"no user with e-mail {options['email']}")
        if options["action"] == "create":
            new = apikey_create(user=user, name=options["name"])
            self.stdout.write(new.raw)
            self.stderr.write(
                "Store this key now: colis keeps only its hash and cannot show it again."
            )
        elif options["action"] == "list":
            for key in apikey_list(account=user.account):
                state = "revoked" if key.revoked_at else "active"
                self.stdout.write(f"{key.pk}\t…{key.last4}\t{state}\t{key.name}")
        else:
            try:
                apikey_revoke(account=user.account, key_id=options["id"])
            except Exception as exc:
                raise CommandError(f"no key #{options['id']} in this account") from exc
            self.stdout.write(f"revoked key #{options['id']}")
