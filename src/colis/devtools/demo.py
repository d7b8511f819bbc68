"""The demo seller: onboarding complete, so a newcomer can go straight to connecting a shop."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from colis.accounts.models import Address, DirectDebitMandate, User
from colis.accounts.services import user_create

DEMO_EMAIL = "demo@colis.example"
DEMO_PASSWORD = "demo-colis-2026"  # noqa: S105 - documented demo credential, local only


@transaction.atomic
def demo_seed() -> bool:
    """Create the demo seller once; True when it was created now."""
    if User.objects.filter(email=DEMO_EMAIL).exists():
        return False
    user = user_create(email=DEMO_EMAIL, password=DEMO_PASSWORD, verified=True)
    account = user.account
    assert account is not None
    account.name = "Atelier Démo"
    account.return_same_as_sender = True
    account.save(update_fields=["name", "return_same_as_sender"])
    common = {
        "account": account,
        "country": "FR",
        "phone": "+33 1 23 45 67 89",
        "email": DEMO_EMAIL,
    }
    Address.objects.create(
        kind=Address.Kind.SENDER,
        is_default=True,
        name="Atelier Démo",
        street="12 rue de la Paix",
        postal_code="75002",
        city="Paris",
        **common,
    )
    Address.objects.create(
        kind=Address.Kind.BILLING,
        name="Atelier Démo SAS",
        street="12 rue de la Paix",
        postal_code="75002",
        city="Paris",
        vat_number="FR40303265045",
        **common,
    )
    DirectDebitMandate.objects.create(
        account=account,
        reference="COLIS-DEMO-000001",
        account_holder="Atelier Démo SAS",
        iban="FR1420041010050500013M02606",
        iban_last4="2606",
        iban_country="FR",
        bic="PSSTFRPPLIL",
        signed_on=dt.date(2026, 1, 5),
        accepted_text_version="2026-01",
        accepted_language="fr",
    )
    return True
