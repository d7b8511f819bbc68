"""The panel's shipping pages: the create-label dialog (method, weight in g or kg, split
into parcels), clear refusals, bulk labels with a merged PDF, the parcels list and its
filters, the parcel page (labels, history, feedback retry, cancel, the local carrier's
control), Settings › Webhooks & e-mails, and 404 for another account's parcel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from itertools import count
from typing import Any

import pytest
from django.test import Client

from colis.accounts.models import Account, User
from colis.feedback.models import FeedbackDelivery
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem
from colis.shipping import services as shipping
from colis.shipping.models import LabelBatch, Parcel, ShippingMethod
from colis.webhooks.models import TrackingEmailSetting, WebhookEndpoint

pytestmark = pytest.mark.django_db
_seq = count(1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(ready=True)


@pytest.fixture
def account(seller: User) -> Account:
    assert seller.account is not None
    return seller.account


@pytest.fixture
def client(seller: User) -> Client:
    c = Client()
    c.force_login(seller)
    return c


@pytest.fixture
def shop(account: Account) -> Integration:
    return Integration.objects.create(
        account=account,
        name="Amazon DE",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id="A1SELLER",
        marketplace_id="A1PA6795UKMFR9",
        feedback_type="none",
    )


@pytest.fixture
def method(account: Account, shop: Integration) -> ShippingMethod:
    return shipping.shipping_seed_demo(account=account)


def make_order(account: Account, shop: Integration, **extra: Any) -> Order:
    now = dt.datetime.now(dt.UTC)
    n = next(_seq)
    fields: dict[str, Any] = {
        "account": account,
        "integration": shop,
        "external_id": f"302-0000000-{n:07d}",
        "marketplace_id": shop.marketplace_id,
        "status": Order.Status.UNSHIPPED,
        "marketplace_status": "Unshipped",
        "purchased_at": now,
        "marketplace_updated_at": now,
        "ship_by": now + dt.timedelta(days=1),
        "order_total": Decimal("20.00"),
        "currency": "EUR",
        "recipient_country": "DE",
        "recipient_postal_code": "50667",
        "recipient_city": "Köln",
        "recipient_name": "Lukas Großmann",
        "recipient_lines": "Hauptstraße 59",
        "weight_grams": 700,
    }
    fields.update(extra)
    order = Order.objects.create(**fields)
    OrderItem.objects.create(
        account=account,
        order=order,
        external_id=f"{n}1",
        sku="MUG-RED",
        quantity=2,
        weight_grams=250,
        title="Red mug",
    )
    OrderItem.objects.create(
        account=account,
        order=order,
        external_id=f"{n}2",
        sku="TEA-100",
        quantity=1,
        weight_grams=200,
        title="Tea",
    )
    return order


def label_post(client: Client, order: Order, method: ShippingMethod, **data: Any) -> Any:
    items = list(order.items.order_by("id"))
    body: dict[str, Any] = {"method": method.pk, "count": 1, "weight_0": "", "unit_0": "g"}
    for item in items:
        body[f"qty_0_{item.pk}"] = item.quantity
    body.update(data)
    return client.post(f"/orders/{order.pk}/label/", body)


def test_dialog_shows_default_method_ship_by_and_items(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    order = make_order(account, shop)
    page = client.get(f"/orders/{order.pk}/label/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<html" not in html  # the dialog's fragment for htmx
    assert f'<option value="{method.pk}" selected>' in html
    assert "shop default" in html
    assert 'id="label-ship-by"' in html
    assert 'name="weight_0" id="weight_0" value="700"' in html  # 2 × 250 + 200
    full = client.get(f"/orders/{order.pk}/label/")
    assert b"<html" in full.content and b'id="label-form"' in full.content
    detail = client.get(f"/orders/{order.pk}/")
    assert b'id="create-label"' in detail.content and b'id="label-dialog"' in detail.content


def test_create_label_then_parcel_page_downloads_and_history(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    order = make_order(account, shop)
    response = label_post(client, order, method, weight_0="0,9", unit_0="kg")
    parcel = Parcel.objects.get(order=order)
    assert response.status_code == 302 and response["Location"] == f"/parcels/{parcel.pk}/"
    assert parcel.weight_grams == 900 and parcel.status == Parcel.Status.READY_TO_SEND
    page = client.get(f"/parcels/{parcel.pk}/")
    html = page.content.decode()
    assert parcel.tracking_number in html
    assert 'id="parcel-status" data-status="ready_to_send">Ready to send<' in html
    for fmt, kind in (
        ("pdf", "application/pdf"),
        ("a4", "application/pdf"),
        ("zpl", "application/zpl"),
    ):
        label = client.get(f"/parcels/{parcel.pk}/label.{fmt}")
        assert label.status_code == 200 and label["Content-Type"].startswith(kind), fmt
    assert client.get(f"/parcels/{parcel.pk}/label.pdf").content.startswith(b"%PDF")
    assert "Label created" in html and 'id="history"' in html
    assert 'id="advance-form"' in html  # the local carrier's control

    # the local carrier's control: to the first scan
    client.post(f"/parcels/{parcel.pk}/advance/", {"to": "in_transit"})
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.IN_TRANSIT and parcel.first_scan_at is not None
    html = client.get(f"/parcels/{parcel.pk}/").content.decode()
    assert 'data-event-status="in_transit"' in html
    assert 'id="parcel-cancel"' not in html  # scanned: no longer cancellable


def test_split_into_two_parcels(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    order = make_order(account, shop)
    mug, tea = order.items.order_by("id")
    added = client.post(
        f"/orders/{order.pk}/label/",
        {
            "method": method.pk,
            "count": 1,
            "add_parcel": "1",
            f"qty_0_{mug.pk}": 2,
            f"qty_0_{tea.pk}": 1,
        },
    )
    assert added.status_code == 200 and b'data-parcel="2"' in added.content
    response = client.post(
        f"/orders/{order.pk}/label/",
        {
            "method": method.pk,
            "count": 2,
            f"qty_0_{mug.pk}": 2,
            f"qty_0_{tea.pk}": 0,
            "weight_0": "500",
            "unit_0": "g",
            f"qty_1_{mug.pk}": 0,
            f"qty_1_{tea.pk}": 1,
            "weight_1": "0.2",
            "unit_1": "kg",
        },
    )
    assert response.status_code == 302
    parcels = list(Parcel.objects.filter(order=order).order_by("package_index"))
    assert [p.weight_grams for p in parcels] == [500, 200]
    assert [p.package_count for p in parcels] == [2, 2]


def test_clear_refusals(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    order = make_order(account, shop)
    heavy = label_post(client, order, method, weight_0="40", unit_0="kg")
    assert heavy.status_code == 400
    assert b'data-error="weight"' in heavy.content
    assert b"outside this shipping method&#x27;s range" in heavy.content
    assert b"up to 31,500 g" in heavy.content  # the method's limit, next to it
    method.destination_countries = ["FR"]
    method.save(update_fields=["destination_countries"])
    far = label_post(client, order, method)
    assert far.status_code == 400 and b'data-error="method"' in far.content
    assert b"does not deliver to the order&#x27;s country" in far.content
    too_many = label_post(client, order, method, **{f"qty_0_{order.items.first().pk}": 9})  # type: ignore[union-attr]
    assert too_many.status_code == 400 and b'data-error="items"' in too_many.content
    cancelled = make_order(account, shop, status=Order.Status.CANCELLED)
    page = client.get(f"/orders/{cancelled.pk}/label/")
    assert b'id="label-refused"' in page.content and b"was cancelled" in page.content
    refused = label_post(client, cancelled, method)
    assert refused.status_code == 400 and b"was cancelled" in refused.content
    asked = make_order(account, shop, buyer_cancel_requested=True)
    refused = label_post(client, asked, method)
    assert refused.status_code == 400 and b"asked to cancel" in refused.content
    assert not Parcel.objects.filter(account=account).exists()


def test_bulk_labels_result_page_and_merged_pdf(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    good = [make_order(account, shop) for _ in range(2)]
    bad = make_order(account, shop, buyer_cancel_requested=True)
    listing = client.get("/orders/").content.decode()
    assert 'id="bulk-labels"' in listing and "disabled aria-describedby" not in listing
    assert 'data-action="label"' in listing
    response = client.post(
        "/orders/labels/",
        {"order": [o.pk for o in [*good, bad]], "idempotency_key": "k1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 labels created, 1 of 3 orders refused." in html
    assert 'data-failure="buyer_cancel_requested"' in html and bad.external_id in html
    batch = LabelBatch.objects.get(account=account)
    assert f"/labels/batches/{batch.pk}/" in html
    pdf = client.get(f"/labels/batches/{batch.pk}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.post("/orders/labels/", {"order": [o.pk for o in good], "idempotency_key": "k1"})
    assert again.status_code == 200
    assert Parcel.objects.filter(account=account).count() == 2  # same key: no second label
    none = client.post("/orders/labels/", {})
    assert none.status_code == 302


def test_parcels_list_filters_and_badges(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    a, b = make_order(account, shop), make_order(account, shop)
    [pa] = shipping.parcel_create(account=account, order_id=a.pk)
    [pb] = shipping.parcel_create(account=account, order_id=b.pk)
    shipping.parcel_cancel(account=account, parcel_id=pb.pk)
    FeedbackDelivery.objects.create(
        account=account,
        parcel=pa,
        integration=shop,
        trigger="label_created",
        package_reference_id="1",
        state=FeedbackDelivery.State.FAILED,
        amazon_reason="Invalid carrier code",
    )
    html = client.get("/parcels/").content.decode()
    assert f'data-parcel="{pa.pk}"' in html and f'data-parcel="{pb.pk}"' in html
    assert ">Cancelled</span>" in html and "Refused by the marketplace" in html
    only = client.get("/parcels/?status=cancelled").content.decode()
    assert f'data-parcel="{pb.pk}"' in only and f'data-parcel="{pa.pk}"' not in only
    failed = client.get("/parcels/?feedback=failed").content.decode()
    assert f'data-parcel="{pa.pk}"' in failed and f'data-parcel="{pb.pk}"' not in failed
    none = client.get("/parcels/?feedback=none").content.decode()
    assert f'data-parcel="{pb.pk}"' in none and f'data-parcel="{pa.pk}"' not in none
    by_shop = client.get(f"/parcels/?integration={shop.pk}").content.decode()
    assert f'data-parcel="{pa.pk}"' in by_shop

    # the parcel page: Amazon's reason and a Retry button
    page = client.get(f"/parcels/{pa.pk}/").content.decode()
    assert "Invalid carrier code" in page and "data-retry=" in page
    delivery = FeedbackDelivery.objects.get(parcel=pa)
    from colis.feedback import tasks

    tasks_called: list[int] = []
    original = tasks.feedback_deliver_task
    tasks.feedback_deliver_task = tasks_called.append  # type: ignore[assignment]
    try:
        client.post(f"/parcels/{pa.pk}/feedback/{delivery.pk}/retry/")
    finally:
        tasks.feedback_deliver_task = original
    delivery.refresh_from_db()
    assert delivery.state == FeedbackDelivery.State.PENDING


def test_cancel_with_confirmation(
    client: Client, account: Account, shop: Integration, method: ShippingMethod
) -> None:
    [parcel] = shipping.parcel_create(account=account, order_id=make_order(account, shop).pk)
    confirm = client.get(f"/parcels/{parcel.pk}/cancel/")
    assert b'id="confirm-cancel"' in confirm.content
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.READY_TO_SEND  # GET changes nothing
    client.post(f"/parcels/{parcel.pk}/cancel/")
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.CANCELLED
    assert client.get(f"/parcels/{parcel.pk}/label.pdf").status_code == 409


def test_another_accounts_parcel_is_404(
    make_user: Callable[..., User], account: Account, shop: Integration, method: ShippingMethod
) -> None:
    [parcel] = shipping.parcel_create(account=account, order_id=make_order(account, shop).pk)
    other = Client()
    other.force_login(make_user(ready=True))
    for url in (
        f"/parcels/{parcel.pk}/",
        f"/parcels/{parcel.pk}/label.pdf",
        f"/parcels/{parcel.pk}/cancel/",
        f"/orders/{parcel.order_id}/label/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/parcels/{parcel.pk}/advance/", {"to": "in_transit"}).status_code == 404
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.READY_TO_SEND


def test_webhooks_and_tracking_settings_page(client: Client, account: Account) -> None:
    page = client.get("/settings/webhooks/").content.decode()
    assert 'id="amazon-no-tracking"' in page and "6 November 2020" in page
    client.post("/settings/webhooks/", {"action": "tracking", "enabled": "on", "language": "fr"})
    setting = TrackingEmailSetting.objects.get(account=account)
    assert setting.enabled and setting.language == "fr"
    bad = client.post(
        "/settings/webhooks/", {"action": "create", "url": "ftp://x", "events": ["order_imported"]}
    )
    assert bad.status_code == 400 and b"http://" in bad.content
    made = client.post(
        "/settings/webhooks/",
        {"action": "create", "url": "https://hooks.example/x", "events": ["order_imported"]},
    )
    endpoint = WebhookEndpoint.objects.get(account=account)
    assert endpoint.secret.encode() in made.content  # shown once
    assert endpoint.secret.encode() not in client.get("/settings/webhooks/").content


def test_shop_edit_page_explains_no_tracking_emails_to_amazon_buyers(
    client: Client, shop: Integration
) -> None:
    page = client.get(f"/integrations/{shop.pk}/edit/")
    assert b'id="no-tracking-emails"' in page.content and b"6 November 2020" in page.content


def test_demo_seller_gets_local_carrier_and_a_sandbox_shop(
    db: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from colis.devtools import demo
    from colis.integrations import tasks

    enqueued: list[int] = []
    monkeypatch.setattr(tasks, "integration_import_task", enqueued.append)
    demo.demo_seed()
    demo.demo_shipping_seed()
    with django_capture_on_commit_callbacks(execute=True):
        shop = demo.demo_connect_sandbox()
        assert demo.demo_connect_sandbox() == shop  # idempotent
    assert shop is not None and shop.auth_kind == "spapi_self"
    assert shop.credentials["refresh_token"].startswith("Atzr|")  # type: ignore[index]
    assert enqueued == [shop.pk, shop.pk]  # the worker imports; start-up does not wait
    method = ShippingMethod.objects.get(account=shop.account)
    assert method.carrier_account.carrier == "local"
    assert method.parcels.model.objects.count() == 0
    from colis.shipping.selectors import shipping_method_default

    assert shipping_method_default(account=shop.account, integration_id=shop.pk) == method
    assert demo.demo_sandbox_env(colis_port=8000, sandbox_port=8100)["COLIS_DEMO_SANDBOX"] == "1"
