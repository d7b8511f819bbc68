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


def demo_sandbox_env(*, colis_port: int, sandbox_port: int) -> dict[str, str]:
    """Environment that points colis at the local sandbox with its seeded developer identity."""
    from amazon_sandbox import defaults

    sandbox = f"http://127.0.0.1:{sandbox_port}"
    return {
        "COLIS_AMAZON_DEVELOPER_NAME": "colis demo",
        "COLIS_AMAZON_DEVELOPER_ID": defaults.MWS_DEVELOPER_ID,
        "COLIS_AMAZON_APP_ID": defaults.APPLICATION_ID,
        "COLIS_AMAZON_LWA_CLIENT_ID": defaults.LWA_CLIENT_ID,
        "COLIS_AMAZON_LWA_CLIENT_SECRET": defaults.LWA_CLIENT_SECRET,
        "COLIS_AMAZON_REDIRECT_URI": f"http://127.0.0.1:{colis_port}/integrations/amazon/callback",
        "COLIS_AMAZON_MWS_ACCESS_KEY": defaults.MWS_ACCESS_KEY_ID,
        "COLIS_AMAZON_MWS_SECRET_KEY": defaults.MWS_SECRET_KEY,
        "COLIS_AMAZON_SPAPI_URL": sandbox,
        "COLIS_AMAZON_LWA_URL": sandbox,
        "COLIS_AMAZON_SELLER_CENTRAL_URL": sandbox,
        "COLIS_AMAZON_MWS_URL": sandbox,
    }
