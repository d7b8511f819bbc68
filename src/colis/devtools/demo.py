"""The demo seller: onboarding complete, the local carrier with a default shipping method,
and — under `colis up --demo` — an Amazon shop connected to the local sandbox (seller #1,
Amazon.de, self-authorized with the sandbox's ready refresh token) whose orders are
imported by the worker, so a newcomer can print a label at once and watch the sandbox
receive the shipment confirmation (`/_sandbox/shipments`)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from colis.accounts.models import Account, Address, DirectDebitMandate, User
from colis.accounts.services import user_create
from colis.common import clock
from colis.integrations.models import Integration
from colis.shipping.services import shipping_seed_demo

log = logging.getLogger(__name__)
DEMO_MARKETPLACE = "A1PA6795UKMFR9"  # Amazon.de, one of sandbox seller #1's marketplaces

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


def _demo_account() -> Account | None:
    user = User.objects.filter(email=DEMO_EMAIL).select_related("account").first()
    return user.account if user is not None else None


def demo_shipping_seed() -> None:
    """The local carrier and its "Local standard" method, default for every demo shop."""
    account = _demo_account()
    if account is not None:
        shipping_seed_demo(account=account)


def demo_connect_sandbox() -> Integration | None:
    """Connect the demo seller to the sandbox's seller #1 on Amazon.de (once) and enqueue an
    import. Makes no network call: the worker imports when the sandbox is up (a failed
    first try is retried by the scheduler), so start-up never waits for the sandbox."""
    from amazon_sandbox import defaults
    from colis.integrations.tasks import integration_import_task

    account = _demo_account()
    if account is None:
        return None
    seller = defaults.SELLER_1
    now = clock.now()
    with transaction.atomic():
        shop = (
            Integration.objects.filter(
                account=account,
                channel=Integration.Channel.AMAZON,
                seller_id=seller.selling_partner_id,
                marketplace_id=DEMO_MARKETPLACE,
            )
            .exclude(state=Integration.State.DISCONNECTED)
            .first()
        )
        if shop is None:
            shop = Integration.objects.create(
                account=account,
                name=f"{seller.store_name} DE",
                auth_kind=Integration.AuthKind.SPAPI_SELF,
                seller_id=seller.selling_partner_id,
                marketplace_id=DEMO_MARKETPLACE,
                country_code="DE",
                region="EU",
                credentials={  # type: ignore[misc]  # an encrypted JSON document
                    "refresh_token": seller.refresh_token,
                    "lwa_client_id": defaults.LWA_CLIENT_ID,
                    "lwa_client_secret": defaults.LWA_CLIENT_SECRET,
                },
                feedback_type=Integration.FeedbackType.EAGER,
                default_weight_grams=500,
                state=Integration.State.ACTIVE,
                authorized_at=now,
                expires_at=now + dt.timedelta(days=365),
                next_import_at=now,
            )
        shipping_seed_demo(account=account)  # the new shop gets the default method
        shop_id = shop.pk
        transaction.on_commit(lambda: integration_import_task(shop_id))
    return shop


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
        # `colis demo` (run by `up --demo`) then connects the demo seller to the sandbox.
        "COLIS_DEMO_SANDBOX": "1",
    }
