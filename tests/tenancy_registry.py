"""The registry of tenant object URLs that tests/test_tenancy.py checks.

Every URL that reaches ONE account's object by its id (API or panel) belongs here. The
isolation test makes two accounts, builds account A's objects with `make_objects`, then
proves that account B gets 404 on every URL, exactly like a missing object, and that A's
rows are unchanged; finally A itself must not get 404 (the URL is real).

LATER ISSUES: when you add an object URL (orders, parcels, integrations, labels...),
append an `ObjectUrl` to REGISTRY below (or call `register(...)` from your own module
imported here). One entry per (URL, method). Keep `make_objects` small and build the
objects through your services so they are valid; `body` is what a legitimate request
would send (the owner's request must succeed, or at least not be 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from colis.accounts.models import Account
from colis.accounts.services import address_create

ObjectIds = dict[str, int]


@dataclass(frozen=True)
class ObjectUrl:
    name: str
    kind: Literal["api", "panel"]
    method: Literal["get", "post", "put", "patch", "delete"]
    url_for: Callable[[ObjectIds], str]
    make_objects: Callable[[Account], ObjectIds]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def test_id(self) -> str:
        return f"{self.kind}:{self.method.upper()}:{self.name}"


REGISTRY: list[ObjectUrl] = []


def register(*entries: ObjectUrl) -> None:
    REGISTRY.extend(entries)


# --- accounts: addresses (onboarding) ---------------------------------------------------

ADDRESS = {
    "name": "Lager Berlin",
    "company": "",
    "street": "Hauptstr. 1",
    "street2": "",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "+49 30 1234567",
    "email": "ops@example.test",
    "vat_number": "",
}


def make_addresses(account: Account) -> ObjectIds:
    default = address_create(account=account, kind="sender", data=ADDRESS)
    other = address_create(account=account, kind="sender", data={**ADDRESS, "name": "Lager 2"})
    billing = address_create(account=account, kind="billing", data=ADDRESS)
    return {"sender": default.pk, "other_sender": other.pk, "billing": billing.pk}


def _api_address(key: str) -> Callable[[ObjectIds], str]:
    return lambda ids: f"/api/v1/addresses/{ids[key]}"


register(
    ObjectUrl("address", "api", "get", _api_address("sender"), make_addresses),
    ObjectUrl("address", "api", "put", _api_address("billing"), make_addresses, body=ADDRESS),
    ObjectUrl(
        "address",
        "api",
        "patch",
        _api_address("billing"),
        make_addresses,
        body={"city": "Köln", "postal_code": "50667"},
    ),
    ObjectUrl("address", "api", "delete", _api_address("billing"), make_addresses),
    ObjectUrl(
        "address default",
        "api",
        "post",
        lambda ids: f"/api/v1/addresses/{ids['other_sender']}/default",
        make_addresses,
    ),
    ObjectUrl(
        "address edit",
        "panel",
        "get",
        lambda ids: f"/settings/addresses/{ids['billing']}/edit/",
        make_addresses,
    ),
    ObjectUrl(
        "address edit",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['billing']}/edit/",
        make_addresses,
        body=ADDRESS,
    ),
    ObjectUrl(
        "address delete",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['sender']}/delete/",
        make_addresses,
    ),
    ObjectUrl(
        "address default",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['other_sender']}/default/",
        make_addresses,
    ),
)


# --- privacy: the PII access trail of one order ------------------------------------------


def make_privacy_order(account: Account) -> ObjectIds:
    from tests.privacy.conftest import make_order

    return {"order": make_order(account).pk}


register(
    ObjectUrl(
        "privacy pii-access of an order",
        "api",
        "get",
        lambda ids: f"/api/v1/privacy/pii-access?order_id={ids['order']}",
        make_privacy_order,
    ),
)


# --- integrations (connected shops) and orders: panel pages ------------------------------


def make_shop_objects(account: Account) -> ObjectIds:
    """A connected shop, a pending connection and an order with a missing weight."""
    import datetime as dt

    from django.utils import timezone

    from colis.integrations.models import Integration, PendingConnection
    from colis.orders.models import Order, OrderItem

    now = timezone.now()
    user = account.users.get()
    shop = Integration.objects.create(
        account=account,
        name="Bottega IT",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id="A1SBXSELLERIT1",
        marketplace_id="APJ6JRA9NG5V4",
        country_code="IT",
        region="EU",
        credentials={"refresh_token": "Atzr|tenancy-test-token"},  # type: ignore[misc]
    )
    pending = PendingConnection.objects.create(  # type: ignore[misc]  # encrypted JSON payload
        account=account,
        user=user,
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id="A1SBXSELLERIT1",
        payload={
            "credentials": {},
            "participations": [{"marketplace_id": "APJ6JRA9NG5V4", "country_code": "IT"}],
            "settings": {"name": "Bottega"},
        },
        expires_at=now + dt.timedelta(minutes=30),
    )
    order = Order.objects.create(
        account=account,
        integration=shop,
        external_id="402-0000000-0000001",
        marketplace_id="APJ6JRA9NG5V4",
        status=Order.Status.UNSHIPPED,
        marketplace_status="Unshipped",
        purchased_at=now,
        marketplace_updated_at=now,
        has_error=True,
        errors=[{"code": "weight_missing", "sku": "SKU-T", "message": "No weight."}],
        skus="SKU-T",
    )
    OrderItem.objects.create(account=account, order=order, external_id="1", sku="SKU-T", quantity=1)
    return {"shop": shop.pk, "pending": pending.pk, "order": order.pk}


SHOP_SETTINGS = {
    "name": "Bottega Italia",
    "feedback_type": "eager",
    "import_weight": "on",
    "first_import_days": "14",
    "import_interval_minutes": "5",
}


def _panel(path: str, key: str) -> Callable[[ObjectIds], str]:
    return lambda ids: path.format(ids[key])


register(
    ObjectUrl(
        "shop edit", "panel", "get", _panel("/integrations/{}/edit/", "shop"), make_shop_objects
    ),
    ObjectUrl(
        "shop edit",
        "panel",
        "post",
        _panel("/integrations/{}/edit/", "shop"),
        make_shop_objects,
        body=SHOP_SETTINGS,
    ),
    ObjectUrl(
        "shop sync", "panel", "post", _panel("/integrations/{}/sync/", "shop"), make_shop_objects
    ),
    ObjectUrl(
        "shop reimport",
        "panel",
        "get",
        _panel("/integrations/{}/reimport/", "shop"),
        make_shop_objects,
    ),
    ObjectUrl(
        "shop reimport",
        "panel",
        "post",
        _panel("/integrations/{}/reimport/", "shop"),
        make_shop_objects,
        body={"since": "2026-11-01"},
    ),
    ObjectUrl(
        "shop disconnect",
        "panel",
        "get",
        _panel("/integrations/{}/disconnect/", "shop"),
        make_shop_objects,
    ),
    ObjectUrl(
        "shop disconnect",
        "panel",
        "post",
        _panel("/integrations/{}/disconnect/", "shop"),
        make_shop_objects,
    ),
    ObjectUrl(
        "shop pending",
        "panel",
        "get",
        _panel("/integrations/pending/{}/", "pending"),
        make_shop_objects,
    ),
    ObjectUrl(
        "shop pending",
        "panel",
        "post",
        _panel("/integrations/pending/{}/", "pending"),
        make_shop_objects,
        body={"marketplace_ids": ["APJ6JRA9NG5V4"]},
    ),
    ObjectUrl("order", "panel", "get", _panel("/orders/{}/", "order"), make_shop_objects),
    ObjectUrl(
        "order weight",
        "panel",
        "post",
        _panel("/orders/{}/weight/", "order"),
        make_shop_objects,
        body={"sku": "SKU-T", "weight": "250", "unit": "g"},
    ),
)


# --- shipping: carrier accounts, shipping methods, parcels, labels -------------------------


def make_shipping_objects(account: Account) -> ObjectIds:
    """The local carrier, a method, an order and its parcel (with labels), a label batch."""
    from colis.shipping import services as shipping
    from tests.conftest import make_ready
    from tests.shipping.conftest import make_integration, make_order

    make_ready(account)
    shop = make_integration(account)
    method = shipping.shipping_seed_demo(account=account)
    [parcel] = shipping.parcel_create(account=account, order_id=make_order(account).id)
    batch = shipping.parcel_create_bulk(account=account, order_ids=[make_order(account).id])
    return {
        "parcel": parcel.pk,
        "method": method.pk,
        "carrier_account": method.carrier_account_id,
        "shop": shop.pk,
        "batch": batch.batch_id or 0,
    }


def _shipping_api(path: str, key: str) -> Callable[[ObjectIds], str]:
    return lambda ids: "/api/v1" + path.format(ids[key])


register(
    ObjectUrl(
        "parcel", "api", "get", _shipping_api("/parcels/{}", "parcel"), make_shipping_objects
    ),
    ObjectUrl(
        "parcel label",
        "api",
        "get",
        _shipping_api("/parcels/{}/label", "parcel"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "parcel label zpl",
        "api",
        "get",
        lambda ids: f"/api/v1/parcels/{ids['parcel']}/label?format=zpl",
        make_shipping_objects,
    ),
    ObjectUrl(
        "parcel cancel",
        "api",
        "post",
        _shipping_api("/parcels/{}/cancel", "parcel"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "parcel retry",
        "api",
        "post",
        _shipping_api("/parcels/{}/retry", "parcel"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "parcel advance",
        "api",
        "post",
        _shipping_api("/parcels/{}/advance", "parcel"),
        make_shipping_objects,
        body={"to": "in_transit"},
    ),
    ObjectUrl(
        "label batch",
        "api",
        "get",
        _shipping_api("/parcels/batches/{}/label", "batch"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "carrier account",
        "api",
        "get",
        _shipping_api("/carrier-accounts/{}", "carrier_account"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "carrier account",
        "api",
        "patch",
        _shipping_api("/carrier-accounts/{}", "carrier_account"),
        make_shipping_objects,
        body={"name": "Renamed"},
    ),
    ObjectUrl(
        "shipping method",
        "api",
        "get",
        _shipping_api("/shipping-methods/{}", "method"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "shipping method",
        "api",
        "patch",
        _shipping_api("/shipping-methods/{}", "method"),
        make_shipping_objects,
        body={"name": "Renamed"},
    ),
    ObjectUrl(
        "shipping method",
        "api",
        "delete",
        _shipping_api("/shipping-methods/{}", "method"),
        make_shipping_objects,
    ),
    ObjectUrl(
        "shop shipping default",
        "api",
        "put",
        _shipping_api("/shipping-defaults/{}", "shop"),
        make_shipping_objects,
        body={"method_id": None},
    ),
)


# --- integrations (connected shops): API -------------------------------------------------


def _api_integration(ids: ObjectIds) -> str:
    return f"/api/v1/integrations/{ids['shop']}"


register(
    ObjectUrl("integration", "api", "get", _api_integration, make_shop_objects),
    ObjectUrl(
        "integration", "api", "patch", _api_integration, make_shop_objects, body={"name": "Renamed"}
    ),
    ObjectUrl("integration", "api", "delete", _api_integration, make_shop_objects),
)


# --- feedback outbox: a parcel's deliveries, retry ------------------------------------------


def make_feedback_objects(account: Account) -> ObjectIds:
    """A parcel whose shop owes Amazon a confirmation: its delivery is made (pending)."""
    from colis.feedback.models import FeedbackDelivery

    ids = make_shipping_objects(account)
    delivery = FeedbackDelivery.objects.filter(parcel_id=ids["parcel"]).first()
    return {**ids, "delivery": delivery.pk if delivery else 0}


register(
    ObjectUrl(
        "parcel feedback",
        "api",
        "get",
        _shipping_api("/parcels/{}/feedback", "parcel"),
        make_feedback_objects,
    ),
    ObjectUrl(
        "feedback retry",
        "api",
        "post",
        _shipping_api("/feedback/{}/retry", "delivery"),
        make_feedback_objects,
    ),
)


# --- orders API: one order, an integration's sync ------------------------------------------

register(
    ObjectUrl(
        "order", "api", "get", lambda ids: f"/api/v1/orders/{ids['order']}", make_shop_objects
    ),
    ObjectUrl(
        "shop sync",
        "api",
        "post",
        lambda ids: f"/api/v1/integrations/{ids['shop']}/sync",
        make_shop_objects,
    ),
    ObjectUrl(
        "shop reimport",
        "api",
        "post",
        lambda ids: f"/api/v1/integrations/{ids['shop']}/sync",
        make_shop_objects,
        body={"since": "2026-11-20"},
    ),
)


# --- authorization lifecycle (renew, revoke) and notifications -------------------------


def make_notification(account: Account) -> ObjectIds:
    from django.utils import timezone

    from colis.notifications.models import Notification

    ids = make_shop_objects(account)
    row = Notification.objects.create(
        account=account,
        kind=Notification.Kind.AUTHORIZATION_REMINDER,
        integration_id=ids["shop"],
        title_key="authorization_reminder.title",
        body_key="authorization_reminder.body",
        params={"name": "Bottega IT", "marketplace": "IT", "expires_date": "2027-01-01"},
        dedupe_key=f"tenancy-test:{ids['shop']}",
        created_at=timezone.now(),
    )
    return {**ids, "notification": row.pk}


register(
    ObjectUrl(
        "integration renew",
        "api",
        "post",
        lambda ids: f"/api/v1/integrations/{ids['shop']}/renew",
        make_shop_objects,
    ),
    ObjectUrl(
        "integration revoke",
        "api",
        "post",
        lambda ids: f"/api/v1/integrations/{ids['shop']}/revoke",
        make_shop_objects,
    ),
    ObjectUrl(
        "notification read",
        "api",
        "post",
        lambda ids: f"/api/v1/notifications/{ids['notification']}/read",
        make_notification,
    ),
    ObjectUrl(
        "shop renew", "panel", "get", _panel("/integrations/{}/renew/", "shop"), make_shop_objects
    ),
    ObjectUrl(
        "shop revoke", "panel", "get", _panel("/integrations/{}/revoke/", "shop"), make_shop_objects
    ),
    ObjectUrl(
        "shop revoke",
        "panel",
        "post",
        _panel("/integrations/{}/revoke/", "shop"),
        make_shop_objects,
    ),
    ObjectUrl(
        "notification read",
        "panel",
        "post",
        _panel("/notifications/{}/read/", "notification"),
        make_notification,
    ),
)


# --- webhooks API and the panel's shipping pages ---------------------------------------------


def make_webhook_objects(account: Account) -> ObjectIds:
    """An endpoint with one delivery in its log."""
    from colis.webhooks import services as webhooks

    endpoint = webhooks.webhook_endpoint_create(
        account=account, url="https://hooks.example/colis", events=["integration_updated"]
    )
    webhooks.webhook_emit(account_id=account.id, event="integration_updated", payload={})
    return {"webhook": endpoint.pk}


def make_panel_shipping_objects(account: Account) -> ObjectIds:
    from tests.shipping.conftest import make_order

    ids = make_shipping_objects(account)
    return {**ids, "order": make_order(account).id}


register(
    ObjectUrl(
        "webhook",
        "api",
        "get",
        lambda ids: f"/api/v1/webhooks/{ids['webhook']}",
        make_webhook_objects,
    ),
    ObjectUrl(
        "webhook",
        "api",
        "patch",
        lambda ids: f"/api/v1/webhooks/{ids['webhook']}",
        make_webhook_objects,
        body={"description": "mine"},
    ),
    ObjectUrl(
        "webhook",
        "api",
        "delete",
        lambda ids: f"/api/v1/webhooks/{ids['webhook']}",
        make_webhook_objects,
    ),
    ObjectUrl(
        "webhook deliveries",
        "api",
        "get",
        lambda ids: f"/api/v1/webhooks/{ids['webhook']}/deliveries",
        make_webhook_objects,
    ),
    ObjectUrl(
        "parcel page",
        "panel",
        "get",
        lambda ids: f"/parcels/{ids['parcel']}/",
        make_panel_shipping_objects,
    ),
    ObjectUrl(
        "parcel label",
        "panel",
        "get",
        lambda ids: f"/parcels/{ids['parcel']}/label.pdf",
        make_panel_shipping_objects,
    ),
    ObjectUrl(
        "parcel cancel",
        "panel",
        "post",
        lambda ids: f"/parcels/{ids['parcel']}/cancel/",
        make_panel_shipping_objects,
    ),
    ObjectUrl(
        "parcel advance",
        "panel",
        "post",
        lambda ids: f"/parcels/{ids['parcel']}/advance/",
        make_panel_shipping_objects,
        body={"to": "in_transit"},
    ),
    ObjectUrl(
        "order label dialog",
        "panel",
        "get",
        lambda ids: f"/orders/{ids['order']}/label/",
        make_panel_shipping_objects,
    ),
    ObjectUrl(
        "label batch",
        "panel",
        "get",
        lambda ids: f"/labels/batches/{ids['batch']}/",
        make_panel_shipping_objects,
    ),
)
