"""Imported orders in a real browser: connect sandbox seller #1 through Seller Central, press
"Sync now" (the queue in immediate mode runs the real import against the sandbox), find the
orders with their weights and one in error for a missing weight, enter that weight in the
panel, and see the error clear.

With `COLIS_SCREENSHOTS=1` it refreshes docs/screenshots/orders-*.png, order-*.png and
shops-list-*.png.
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
from colis.integrations.models import Integration
from colis.orders.models import Order, Product
from tests.browser.test_connect_e2e import (  # the same browser, sandbox and signed-in tab
    amazon,
    browser,
    connect_through_seller_central,
    page,
    seller,
    shoot_both,
)

SELLER = defaults.SELLER_1
IT = "APJ6JRA9NG5V4"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["amazon", "browser", "page", "seller"]  # fixtures used by name


@pytest.fixture
def immediate_queue(settings: Any) -> Iterator[None]:
    """Huey runs each task at once, in the thread that enqueues it (COLIS_QUEUE_IMMEDIATE)."""
    settings.HUEY = {**settings.HUEY, "immediate": True}
    HUEY.immediate = True
    try:
        yield
    finally:
        HUEY.immediate = False


def test_import_orders_and_fix_a_missing_weight(
    page: Any, live_server: Any, amazon: RunningSandbox, seller: User, immediate_queue: None
) -> None:
    base = live_server.url
    connect_through_seller_central(page, base, amazon)
    shops = list(Integration.objects.filter(account=seller.account).order_by("name"))
    assert len(shops) == 3

    # a new order on Amazon.it: two of a product with no weight anywhere, one with a weight
    catalog = amazon.state.catalog.by_seller[SELLER.selling_partner_id]
    no_weight = catalog[0]  # the sandbox keeps index 0 weightless for every seller
    assert no_weight.catalog_weight is None and no_weight.listing_weight is None
    weighted = next(p for p in catalog if p.catalog_weight is not None)
    created = httpx.post(
        f"{amazon.url}/_sandbox/orders",
        json={
            "seller_id": SELLER.selling_partner_id,
            "marketplace_id": IT,
            "items": [{"sku": no_weight.sku, "quantity": 2}, {"sku": weighted.sku, "quantity": 1}],
        },
    )
    assert created.status_code == 201, created.text
    new_order_id = created.json()["order_ids"][0]

    # --- "Sync now" on each shop runs the import ---------------------------------------------
    for shop in shops:
        page.locator(f"#integrations tr[data-integration='{shop.pk}'] [data-action=sync]").click()
        page.wait_for_selector(".messages li.success")
    imported = Order.objects.filter(account=seller.account)
    assert imported.count() > 0
    for shop in shops:
        shop.refresh_from_db()
        assert shop.last_success_at is not None, shop.last_error
        assert not shop.is_failing
    page.goto(f"{base}/settings/shops/")
    total = sum(
        int(page.locator(f"tr[data-integration='{s.pk}'] [data-orders]").inner_text())
        for s in shops
    )
    assert total == imported.count()
    shoot_both(page, "shops-list")

    # --- the list: weights, and orders in error for a missing weight ------------------------------
    page.goto(f"{base}/orders/")
    page.wait_for_selector("#orders")
    weights = page.locator("#orders tbody tr td:nth-child(7)").all_inner_texts()
    assert any(re.fullmatch(r"[\d,.\u202f\xa0 ]+ g", w.strip()) for w in weights), weights
    shoot_both(page, "orders-list")

    page.select_option("#order-filters [name=error]", "yes")
    page.locator("#order-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"error=yes"))
    in_error = page.locator("#orders tbody tr[data-error='1']")
    assert in_error.count() == page.locator("#orders tbody tr").count() > 0
    missing = page.locator("#orders tbody tr [data-error-code=weight_missing]")
    assert missing.count() > 0

    # select-all ticks every row (for bulk labels)
    page.check("#select-all")
    boxes = page.locator("#orders input[data-select]")
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert page.locator("#orders-bulk #bulk-labels:not([disabled])").count() == 1

    # --- search finds the new order by its id; its page says how to fix it -------------------
    page.fill("#order-filters [name=q]", new_order_id)
    page.locator("#order-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"q=" + re.escape(new_order_id)))
    assert page.locator("#orders tbody tr").count() == 1
    row = page.locator(f"#orders tr[data-order='{new_order_id}']")
    assert "Weight missing" in row.inner_text() and "unknown" in row.inner_text()
    row.locator("[data-error-code=weight_missing]").click()
    page.wait_for_selector("#errors")
    order = Order.objects.get(account=seller.account, external_id=new_order_id)
    sku = no_weight.sku
    assert [e["sku"] for e in order.errors if e["code"] == "weight_missing"] == [sku]
    assert "Manage All Inventory" in page.locator("#errors").inner_text()
    assert order.recipient_city in page.locator("#address").inner_text()
    shoot_both(page, "order-weight-error")
    page.set_viewport_size({"width": 375, "height": 812})  # the weight form fits a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})

    form = page.locator(f"form[data-weight-form='{sku}']")
    form.locator("[name=weight]").fill("0")  # refused: nothing saved
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"form[data-weight-form='{sku}'] .errorlist")
    assert not Product.objects.filter(
        account=seller.account, sku=sku, weight_source="manual"
    ).exists()

    form = page.locator(f"form[data-weight-form='{sku}']")
    form.locator("[name=weight]").fill("0.45")
    form.locator("[name=unit]").select_option("kg")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages li.success")
    assert page.locator(f"form[data-weight-form='{sku}']").count() == 0
    product = Product.objects.get(account=seller.account, sku=sku)
    assert (product.weight_grams, product.weight_source) == (450, "manual")
    row = page.locator(f"#items tr[data-sku='{sku}']")
    assert "450 g" in row.inner_text() and "Entered in colis" in row.inner_text()
    order.refresh_from_db()
    assert not order.has_error and order.errors == []
    assert page.locator("#errors").count() == 0
    unit = Product.objects.get(account=seller.account, sku=weighted.sku).weight_grams
    assert unit is not None and order.weight_grams == 2 * 450 + unit
    total = page.locator("#total-weight").inner_text()
    assert re.sub(r"\D", "", total) == str(order.weight_grams)
    # every open order with that SKU lost its error for it
    for other in Order.objects.filter(account=seller.account, items__sku=sku):
        assert all(e.get("sku") != sku for e in other.errors)

    # --- a phone: no page scrolls sideways (wide tables scroll inside their frame) ------------
    page.set_viewport_size({"width": 375, "height": 812})
    paths = [
        "/settings/shops/",
        "/integrations/amazon/connect/",
        "/integrations/amazon/connect/mws/",
        f"/integrations/{shops[0].pk}/edit/",
        "/orders/",
        f"/orders/{order.pk}/",
    ]
    still_wrong = Order.objects.filter(account=seller.account, has_error=True).first()
    if still_wrong is not None:
        paths.append(f"/orders/{still_wrong.pk}/")
    for path in paths:
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375px ({width}px)"
