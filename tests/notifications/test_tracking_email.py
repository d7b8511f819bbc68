"""Tracking e-mails: never to an Amazon buyer, enforced in the e-mail service.

(i) A whole flow against the Amazon sandbox (in-process, on loopback): import seller #1's
orders, create labels, move the parcels through the local carrier's statuses with the
queue in immediate mode, tracking e-mails switched ON for the account: the OutboxMessage
table holds no e-mail to any sandbox buyer address, and each refusal is recorded
("amazon_order"). (ii) The service itself refuses an Amazon order and an Amazon relay
address on any channel. (iii) A non-Amazon ("manual" channel) order gets its branded
e-mail when enabled, in the account's language, once per status; none when disabled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from colis.accounts.models import Account, User
from colis.integrations.models import Integration
from colis.notifications.models import OutboxMessage
from colis.notifications.tracking import (
    TrackingEmailRefused,
    is_amazon_relay,
    tracking_email_send,
    tracking_email_settings_set,
)
from colis.orders.models import Order, OrderItem
from colis.orders.services import order_import_run
from colis.shipping import services as shipping
from colis.shipping.models import Parcel
from colis.webhooks.models import TrackingEmail
from tests.feedback.conftest import SELLER, Sandbox, configure, running_sandbox

__all__ = ["running_sandbox"]  # the module-scoped sandbox fixture, used by name

pytestmark = pytest.mark.django_db
DE = "A1PA6795UKMFR9"


@pytest.fixture(autouse=True)
def outbox_backend(settings: Any, tmp_path: Any) -> None:
    settings.EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks run where they are enqueued; the feedback outbox is not the subject here."""
    from colis.feedback import tasks as feedback_tasks

    monkeypatch.setattr(feedback_tasks, "feedback_deliver_task", lambda *a: None)
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = False


@pytest.fixture
def account(make_user: Callable[..., User]) -> Account:
    user = make_user(ready=True)
    assert user.account is not None
    return user.account


def test_no_tracking_email_ever_reaches_an_amazon_buyer(
    account: Account,
    running_sandbox: Sandbox,
    settings: Any,
    immediate: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    configure(settings, running_sandbox.url)
    tracking_email_settings_set(account=account, enabled=True, language="fr")  # ON
    shop = Integration.objects.create(
        account=account,
        name="Amazon DE",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER.selling_partner_id,
        marketplace_id=DE,
        region="EU",
        feedback_type="eager",
        credentials={"refresh_token": SELLER.refresh_token},
        default_weight_grams=500,
        first_import_days=60,
    )
    shipping.shipping_seed_demo(account=account)
    result = order_import_run(integration_id=shop.pk)
    assert result.status == "ok", result.reason
    orders = [o for o in Order.objects.filter(integration=shop) if o.shippable][:4]
    assert orders, "the sandbox gave no shippable order"
    buyers = {
        o.buyer_email.lower() for o in Order.objects.filter(integration=shop) if o.buyer_email
    }
    assert buyers and all(is_amazon_relay(b) for b in buyers)
    # the sandbox's own record of its buyers, not only what colis stored
    truth = {
        str(
            running_sandbox.control("GET", f"orders/{o.external_id}")
            .get("buyer", {})
            .get("buyerEmail", "")
        ).lower()
        for o in orders
    } - {""}
    parcels: list[Parcel] = []
    with django_capture_on_commit_callbacks(execute=True):
        for order in orders:
            parcels += shipping.parcel_create(account=account, order_id=order.pk, weight_grams=500)
    for to in ("picked_up", "in_transit", "out_for_delivery", "delivered"):
        with django_capture_on_commit_callbacks(execute=True):
            for parcel in parcels:
                shipping.parcel_local_advance(account=account, parcel_id=parcel.pk, to=to)
    sent_to = {r.lower() for m in OutboxMessage.objects.all() for r in m.recipients()}
    assert not sent_to & (buyers | truth)
    assert not any(is_amazon_relay(r) for r in sent_to)
    refusals = TrackingEmail.objects.filter(account=account)
    assert refusals.count() == len(parcels) * 5  # ready_to_send + the four moves
    assert set(refusals.values_list("outcome", "reason")) == {("refused", "amazon_order")}


def _manual_order(account: Account, email: str) -> Order:
    shop = Integration.objects.create(
        account=account,
        channel=Integration.Channel.MANUAL,
        name="Boutique en ligne",
        auth_kind=Integration.AuthKind.SPAPI_SELF,
        seller_id="SHOP",
        marketplace_id="WEB",
    )
    now = dt.datetime.now(dt.UTC)
    order = Order.objects.create(
        account=account,
        integration=shop,
        external_id="WEB-1001",
        marketplace_id="WEB",
        status=Order.Status.UNSHIPPED,
        marketplace_status="paid",
        purchased_at=now,
        marketplace_updated_at=now,
        order_total=Decimal("30.00"),
        currency="EUR",
        recipient_country="FR",
        recipient_postal_code="75002",
        recipient_city="Paris",
        recipient_name="Camille Martin",
        recipient_lines="3 rue du Louvre",
        buyer_email=email,
        weight_grams=400,
    )
    OrderItem.objects.create(
        account=account, order=order, external_id="1", sku="CUP", quantity=1, weight_grams=400
    )
    return order


def test_a_non_amazon_order_gets_its_email_when_enabled(
    account: Account, immediate: None, django_capture_on_commit_callbacks: Any
) -> None:
    order = _manual_order(account, "camille@example.org")
    shipping.shipping_seed_demo(account=account)  # the shop's default method
    # disabled (the default): nothing queued, nothing sent; the service itself refuses too
    with django_capture_on_commit_callbacks(execute=True):
        [parcel] = shipping.parcel_create(account=account, order_id=order.pk)
    assert not OutboxMessage.objects.exists() and not TrackingEmail.objects.exists()
    with pytest.raises(TrackingEmailRefused) as refused:
        tracking_email_send(parcel_id=parcel.pk)
    assert refused.value.code == "disabled"
    tracking_email_settings_set(account=account, enabled=True, language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        shipping.parcel_local_advance(account=account, parcel_id=parcel.pk, to="in_transit")
    [message] = OutboxMessage.objects.all()
    assert message.recipients() == ["camille@example.org"]
    parcel.refresh_from_db()
    assert parcel.tracking_number in message.body and "WEB-1001" in message.subject
    assert "En route" in message.subject or "Votre commande" in message.subject  # French
    assert "Numéro de suivi" in message.body and "colis local" in message.body
    assert parcel.tracking_number in message.html_body
    # once per status
    assert tracking_email_send(parcel_id=parcel.pk, status="in_transit") is None
    assert OutboxMessage.objects.count() == 1


def test_the_service_refuses_amazon_orders_and_relay_addresses(account: Account) -> None:
    tracking_email_settings_set(account=account, enabled=True)
    relay = _manual_order(account, "0a1b2c3d4e5f6a7@marketplace.amazon.de")
    shipping.shipping_seed_demo(account=account)
    [parcel] = shipping.parcel_create(account=account, order_id=relay.pk)
    with pytest.raises(TrackingEmailRefused) as refused:
        tracking_email_send(parcel_id=parcel.pk)
    assert refused.value.code == "amazon_relay_address"
    shop = relay.integration
    Integration.objects.filter(id=shop.pk).update(channel=Integration.Channel.AMAZON)
    Order.objects.filter(id=relay.pk).update(buyer_email="someone@example.org")
    with pytest.raises(TrackingEmailRefused) as refused:
        tracking_email_send(parcel_id=parcel.pk, status="delivered")
    assert refused.value.code == "amazon_order"
    assert not OutboxMessage.objects.exists()
    assert set(TrackingEmail.objects.values_list("reason", flat=True)) == {
        "amazon_relay_address",
        "amazon_order",
    }
    for address in (
        "x@marketplace.amazon.co.uk",
        "X@Marketplace.Amazon.COM",
        "y@eu.marketplace.amazon.de",
    ):
        assert is_amazon_relay(address), address
    assert not is_amazon_relay("amazon@example.org")
    assert not is_amazon_relay("x@marketplace.amazonia.example")
