"""Shipping sandbox orders in a real browser, end to end.

For each feedback type of the shop (eager, delayed, none): seller #1's Amazon.de orders are
imported from the in-process sandbox (the import service run directly: the queue is not
the subject), the seller opens an order, creates its label in the dialog, and — for
`delayed` — moves the local carrier's parcel to its first scan with the parcel page's
control. The queue runs in immediate mode, so the feedback outbox sends at once: the
sandbox records exactly one shipment confirmation with the method's mapped carrier code
(eager, delayed), or nothing (none). The eager run also makes bulk labels.

With `COLIS_SCREENSHOTS=1` it refreshes docs/screenshots/ship-*.png and parcel-*.png (EN, FR).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from huey.contrib.djhuey import HUEY

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox
from colis.accounts.models import User
from colis.feedback.models import FeedbackDelivery
from colis.integrations.models import Integration
from colis.notifications.models import OutboxMessage
from colis.notifications.tracking import tracking_email_settings_set
from colis.orders.models import Order
from colis.orders.services import order_import_run
from colis.shipping import services as shipping
from colis.shipping.models import Parcel
from colis.webhooks.models import TrackingEmail
from tests.browser.test_connect_e2e import (  # the same browser, sandbox and signed-in tab
    amazon,
    browser,
    page,
    seller,
    shoot,
    switch_language,
)

SELLER = defaults.SELLER_1
DE = "A1PA6795UKMFR9"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["amazon", "browser", "page", "seller"]  # fixtures used by name


@pytest.fixture
def immediate_queue(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Huey runs each task at once, in the thread that enqueues it; the outbox reads back
    at once."""
    settings.HUEY = {**settings.HUEY, "immediate": True}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"
    settings.COLIS_FEEDBACK_VERIFY_SECONDS = 0
    settings.COLIS_FEEDBACK_BACKOFF_SECONDS = 0.01
    settings.COLIS_FEEDBACK_BACKOFF_CAP_SECONDS = 0.05
    settings.COLIS_RATE_LIMIT_REDIS_URL = None
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = False


def _import(amazon: RunningSandbox, seller: User, feedback_type: str) -> list[Order]:
    created = httpx.post(
        f"{amazon.url}/_sandbox/orders",
        json={"seller_id": SELLER.selling_partner_id, "marketplace_id": DE, "count": 8},
    )
    assert created.status_code == 201, created.text
    shop = Integration.objects.create(
        account=seller.account,
        name="Bottega DE",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER.selling_partner_id,
        marketplace_id=DE,
        country_code="DE",
        region="EU",
        feedback_type=feedback_type,
        credentials={"refresh_token": SELLER.refresh_token},
        default_weight_grams=600,
        first_import_days=60,
    )
    assert seller.account is not None
    shipping.shipping_seed_demo(account=seller.account)  # "Local standard", the shop default
    # tracking e-mails ON: Amazon buyers must still get none (refused in the service)
    tracking_email_settings_set(account=seller.account, enabled=True)
    result = order_import_run(integration_id=shop.pk)
    assert result.status == "ok", result.reason
    orders = [
        o
        for o in Order.objects.filter(integration=shop).order_by("-purchased_at")
        if o.shippable and o.weight_grams is not None and o.weight_grams <= 31_500
    ]
    assert len(orders) >= 6, "the sandbox gave too few shippable orders"
    return orders


def _confirmations(amazon: RunningSandbox, order: Order) -> list[dict[str, Any]]:
    r = httpx.get(f"{amazon.url}/_sandbox/shipments", params={"order_id": order.external_id})
    assert r.status_code == 200, r.text
    return list(r.json()["shipments"])


def _create_label_in_dialog(page: Any, base: str, order: Order, *, screenshots: bool) -> int:
    page.goto(f"{base}/orders/{order.pk}/")
    page.locator("#create-label").click()
    page.wait_for_selector("#label-dialog[open] #label-form")
    assert page.locator("#label-method option:checked").inner_text().endswith("shop default")
    assert page.locator("#label-ship-by").is_visible()
    if screenshots:
        shoot(page, "ship-label-dialog-en")
        page.locator("#label-dialog-close").click()
        switch_language(page, "fr")
        page.locator("#create-label").click()
        page.wait_for_selector("#label-dialog[open] #label-form")
        shoot(page, "ship-label-dialog-fr")
        page.locator("#label-dialog-close").click()
        switch_language(page, "en")
        page.locator("#create-label").click()
        page.wait_for_selector("#label-dialog[open] #label-form")
    # a weight above the method's limit is refused in the dialog, next to the weight
    page.fill("#weight_0", "40")
    page.select_option("#unit_0", "kg")
    page.locator("#label-submit").click()
    page.wait_for_selector("#label-dialog [data-error=weight]")
    assert "range" in page.locator("#label-dialog [data-error=weight]").inner_text()
    page.fill("#weight_0", "0.8")
    page.locator("#label-submit").click()
    page.wait_for_url(re.compile(r"/parcels/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


@pytest.mark.parametrize("feedback_type", ["eager", "delayed", "none"])
def test_ship_a_sandbox_order_end_to_end(
    page: Any,
    live_server: Any,
    amazon: RunningSandbox,
    seller: User,
    immediate_queue: None,
    feedback_type: str,
) -> None:
    base = live_server.url
    shots = feedback_type == "eager"
    orders = _import(amazon, seller, feedback_type)
    order = orders[0]
    parcel_id = _create_label_in_dialog(page, base, order, screenshots=shots)
    parcel = Parcel.objects.get(id=parcel_id)
    assert parcel.order_id == order.pk and parcel.weight_grams == 800
    assert parcel.status == Parcel.Status.READY_TO_SEND and parcel.tracking_number
    assert page.locator("#parcel-status").inner_text() == "Ready to send"  # words
    assert page.locator("#label-a6").is_visible() and page.locator("#label-zpl").is_visible()
    pdf = page.request.get(f"{base}/parcels/{parcel_id}/label.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    if feedback_type == "delayed":
        assert _confirmations(amazon, order) == []  # nothing before the first scan
        page.select_option("#advance-to", "picked_up")
        page.locator("#advance-submit").click()
        page.wait_for_selector("#parcel-status[data-status=picked_up]")
    elif feedback_type == "none":
        page.select_option("#advance-to", "in_transit")
        page.locator("#advance-submit").click()
        page.wait_for_selector("#parcel-status[data-status=in_transit]")

    rows = _confirmations(amazon, order)
    if feedback_type == "none":
        assert rows == []
        assert not FeedbackDelivery.objects.filter(parcel_id=parcel_id).exists()
        assert page.locator("#feedback-none").is_visible()
    else:
        [row] = rows  # exactly one confirmation
        assert row["outcome"] == "accepted"
        detail = row["body"]["packageDetail"]
        assert detail["carrierCode"] == "Other" and detail["carrierName"] == "colis local"
        assert detail["trackingNumber"] == parcel.tracking_number
        page.reload()
        assert page.locator("#feedback [data-delivery]").count() == 1
    # the buyer is an Amazon buyer: the tracking e-mail was refused, in the service, and
    # nothing reached the outbox
    assert set(
        TrackingEmail.objects.filter(parcel_id=parcel_id).values_list("reason", flat=True)
    ) == {"amazon_order"}
    assert not OutboxMessage.objects.exists()

    if shots:
        shoot(page, "parcel-page-en")
        switch_language(page, "fr")
        shoot(page, "parcel-page-fr")
        switch_language(page, "en")
        _bulk_and_list(page, base, amazon, orders[1:6])


def _bulk_and_list(page: Any, base: str, amazon: RunningSandbox, orders: list[Order]) -> None:
    """Bulk labels for two orders from the list (EN, then two more in FR), the parcels list."""
    # the buyer of one more order asked to cancel: refused, with the reason, the others go on
    refused = orders[4]
    Order.objects.filter(id=refused.pk).update(buyer_cancel_requested=True)
    for lang, pair in (("en", orders[:2]), ("fr", orders[2:4])):
        page.goto(f"{base}/orders/")
        if lang == "fr":
            switch_language(page, "fr")
        for order in [*pair, refused]:
            page.check(f"#orders input[name=order][value='{order.pk}']")
        page.locator("#bulk-labels").click()
        page.wait_for_selector("#bulk-created")
        assert page.locator("#bulk-created tbody tr").count() == 2
        assert page.locator("#bulk-failures [data-failure=buyer_cancel_requested]").count() == 1
        assert page.locator("#bulk-pdf").is_visible()
        shoot(page, f"ship-bulk-result-{lang}")
        for order in pair:
            assert len(_confirmations(amazon, order)) == 1
    page.goto(f"{base}/parcels/")
    page.wait_for_selector("#parcels")
    assert page.locator("#parcels tbody tr").count() == 5
    shoot(page, "parcel-list-fr")
    switch_language(page, "en")
    page.wait_for_selector("#parcels")
    badges = page.locator("#parcels [data-badge=status]").all_inner_texts()
    assert set(badges) == {"Ready to send"}
    shoot(page, "parcel-list-en")
