"""The imported orders pages: filters, search, keyset pages, the order page and its weight fix."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from colis.accounts.models import Account, User
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem, Product

NOW = timezone.now()


def make_integration(account: Account, **extra: Any) -> Integration:
    values: dict[str, Any] = {
        "name": "Bottega IT",
        "auth_kind": Integration.AuthKind.MWS,
        "seller_id": "A1SBXSELLERIT1",
        "marketplace_id": "APJ6JRA9NG5V4",
        "country_code": "IT",
        "region": "EU",
    }
    values.update(extra)
    return Integration.objects.create(account=account, **values)


def make_order(
    integration: Integration,
    external_id: str,
    *,
    items: list[tuple[str, int, int | None]] | None = None,
    purchased_at: dt.datetime | None = None,
    **extra: Any,
) -> Order:
    items = items if items is not None else [("SKU-MUG", 1, 350)]
    missing = [sku for sku, _, grams in items if grams is None]
    weight = None if missing else sum(q * (g or 0) for _, q, g in items)
    values: dict[str, Any] = {
        "marketplace_id": integration.marketplace_id,
        "status": Order.Status.UNSHIPPED,
        "marketplace_status": "Unshipped",
        "purchased_at": purchased_at or NOW - dt.timedelta(hours=2),
        "marketplace_updated_at": NOW - dt.timedelta(hours=1),
        "ship_by": NOW + dt.timedelta(days=2),
        "recipient_country": "IT",
        "recipient_postal_code": "20121",
        "recipient_city": "Milano",
        "recipient_name": "Giulia Rossi",
        "recipient_lines": "Via Dante 7\nScala B",
        "recipient_phone": "+39 02 1234567",
        "weight_grams": weight,
        "has_error": bool(missing),
        "errors": [
            {"code": "weight_missing", "sku": sku, "message": f"No weight is known for SKU {sku}."}
            for sku in missing
        ],
        "skus": " ".join(sorted({sku for sku, _, _ in items})),
    }
    values.update(extra)
    order = Order.objects.create(
        account=integration.account, integration=integration, external_id=external_id, **values
    )
    for n, (sku, quantity, grams) in enumerate(items):
        OrderItem.objects.create(
            account=integration.account,
            order=order,
            external_id=f"{external_id}-{n}",
            sku=sku,
            title=f"Product {sku}",
            quantity=quantity,
            weight_grams=grams,
            weight_source="amazon_catalog" if grams is not None else "",
        )
        if grams is not None:  # what the import learnt from Amazon's catalog
            Product.objects.update_or_create(
                account=integration.account,
                sku=sku,
                defaults={"weight_grams": grams, "weight_source": "amazon_catalog"},
            )
    return order


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(ready=True)


@pytest.fixture
def panel(seller: User) -> Client:
    client = Client()
    client.force_login(seller)
    return client


@pytest.fixture
def shop(seller: User) -> Integration:
    assert seller.account is not None
    return make_integration(seller.account)


def rows(response: Any) -> list[str]:
    return re.findall(r'data-order="([^"]+)"', response.content.decode())


# --- the list ---------------------------------------------------------------------------------


def test_empty_list_invites_to_connect_a_shop(panel: Client) -> None:
    response = panel.get(reverse("web:orders"))
    assert response.status_code == 200
    assert reverse("web:shops") in response.content.decode()


def test_list_shows_columns_and_weight_error(panel: Client, shop: Integration) -> None:
    make_order(shop, "402-0000001-0000001", items=[("SKU-MUG", 2, 350), ("SKU-PLATE", 1, 900)])
    make_order(shop, "402-0000002-0000002", items=[("SKU-NOWEIGHT", 1, None)])
    response = panel.get(reverse("web:orders"))
    html = response.content.decode()
    assert response.status_code == 200
    assert rows(response) == ["402-0000002-0000002", "402-0000001-0000001"] or set(
        rows(response)
    ) == {
        "402-0000001-0000001",
        "402-0000002-0000002",
    }
    assert "Bottega IT" in html
    assert "1,600 g" in html  # 2 × 350 + 900
    assert 'data-error-code="weight_missing"' in html
    assert "Weight missing" in html
    assert 'id="select-all"' in html
    assert re.search(r'<button type="submit" id="bulk-labels"[^>]*>\s*Create labels', html)
    assert 'action="/orders/labels/"' in html  # bulk labels (tests/web/test_shipping_panel.py)
    # the list never decrypts or shows the recipient
    assert "Giulia Rossi" not in html and "Via Dante" not in html


def test_list_counts_units(panel: Client, shop: Integration) -> None:
    make_order(shop, "402-0000003-0000003", items=[("SKU-MUG", 3, 350), ("SKU-PLATE", 2, 900)])
    html = panel.get(reverse("web:orders")).content.decode()
    row = html.split('data-order="402-0000003-0000003"')[1].split("</tr>")[0]
    assert re.search(r'<td class="num">5</td>', row)


def test_overdue_is_said_in_words(panel: Client, shop: Integration) -> None:
    make_order(shop, "402-0000004-0000004", ship_by=NOW - dt.timedelta(hours=3))
    html = panel.get(reverse("web:orders")).content.decode()
    assert 'data-overdue="1"' in html
    assert "Overdue" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"error": "yes"}, {"E"}),
        ({"error": "no"}, {"A", "P", "O", "S"}),
        ({"prime": "on"}, {"P"}),
        ({"ship_by": "overdue"}, {"O"}),
        ({"status": "shipped"}, {"S"}),
        ({"q": "E"}, {"E"}),  # by order id
        ({"q": "SKU-PRIME"}, {"P"}),  # by SKU
    ],
)
def test_filters_and_search(
    panel: Client, shop: Integration, query: dict[str, str], expected: set[str]
) -> None:
    make_order(shop, "A")
    make_order(shop, "E", items=[("SKU-X", 1, None)])
    make_order(shop, "P", is_prime=True, items=[("SKU-PRIME", 1, 100)])
    make_order(shop, "O", ship_by=NOW - dt.timedelta(days=1))
    make_order(shop, "S", status=Order.Status.SHIPPED, ship_by=NOW - dt.timedelta(days=3))
    response = panel.get(reverse("web:orders"), query)
    assert response.status_code == 200
    assert set(rows(response)) == expected


def test_filter_by_integration(panel: Client, seller: User, shop: Integration) -> None:
    assert seller.account is not None
    other = make_integration(
        seller.account, name="Bottega DE", marketplace_id="A1PA6795UKMFR9", country_code="DE"
    )
    make_order(shop, "IT-1")
    make_order(other, "DE-1")
    response = panel.get(reverse("web:orders"), {"integration": other.pk})
    assert rows(response) == ["DE-1"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"error": "maybe"},
        {"ship_by": "tomorrow"},
        {"integration": "abc"},
        {"integration": "999999"},
    ],
)
def test_bad_filters_are_field_errors(
    panel: Client, shop: Integration, query: dict[str, str]
) -> None:
    make_order(shop, "A")
    response = panel.get(reverse("web:orders"), query)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_another_accounts_shop_is_not_a_filter_choice(
    panel: Client, make_user: Callable[..., User], shop: Integration
) -> None:
    stranger = make_user(ready=True)
    assert stranger.account is not None
    theirs = make_integration(stranger.account, name="Stranger shop")
    make_order(theirs, "THEIRS")
    html = panel.get(reverse("web:orders")).content.decode()
    assert "Stranger shop" not in html and "THEIRS" not in html
    response = panel.get(reverse("web:orders"), {"integration": theirs.pk})
    assert response.status_code == 400
    assert "THEIRS" not in response.content.decode()


def test_keyset_pages_follow_the_next_link(panel: Client, shop: Integration) -> None:
    for n in range(55):
        make_order(shop, f"K-{n:03d}", purchased_at=NOW - dt.timedelta(minutes=n))
    first = panel.get(reverse("web:orders"))
    html = first.content.decode()
    assert len(rows(first)) == 50
    assert rows(first)[0] == "K-000"
    match = re.search(r'id="next-page" href="([^"]+)"', html)
    assert match
    next_url = match.group(1).replace("&amp;", "&")
    assert "after=" in next_url and "offset" not in next_url and "page=" not in next_url
    with CaptureQueriesContext(connection) as queries:
        second = panel.get(reverse("web:orders") + next_url)
    assert rows(second) == [f"K-{n:03d}" for n in range(50, 55)]
    assert 'id="next-page"' not in second.content.decode()
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


def test_next_link_keeps_the_filters(panel: Client, shop: Integration) -> None:
    for n in range(52):
        make_order(shop, f"F-{n:03d}", is_prime=True, purchased_at=NOW - dt.timedelta(minutes=n))
    make_order(shop, "NOT-PRIME")
    html = panel.get(reverse("web:orders"), {"prime": "on"}).content.decode()
    match = re.search(r'id="next-page" href="([^"]+)"', html)
    assert match
    url = match.group(1).replace("&amp;", "&")
    assert "prime=on" in url
    second = panel.get(reverse("web:orders") + url)
    assert rows(second) == ["F-050", "F-051"]


def test_broken_cursor_falls_back_to_the_first_page(panel: Client, shop: Integration) -> None:
    make_order(shop, "A")
    response = panel.get(reverse("web:orders"), {"after": "not-a-cursor!!"})
    assert response.status_code == 200
    assert rows(response) == ["A"]
    assert "no longer valid" in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(panel: Client, shop: Integration) -> None:
    make_order(shop, "Q-1")
    with CaptureQueriesContext(connection) as few:
        panel.get(reverse("web:orders"))
    for n in range(2, 20):
        make_order(shop, f"Q-{n}")
    with CaptureQueriesContext(connection) as many:
        panel.get(reverse("web:orders"))
    assert len(many.captured_queries) == len(few.captured_queries)


# --- one order ------------------------------------------------------------------------------


def test_order_page_shows_items_weights_sources_and_address(
    panel: Client, shop: Integration
) -> None:
    order = make_order(shop, "402-1", items=[("SKU-MUG", 2, 350), ("SKU-PLATE", 1, 900)])
    response = panel.get(reverse("web:order_detail", args=[order.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Giulia Rossi" in html and "Via Dante 7" in html and "Scala B" in html
    assert "20121 Milano" in html
    assert "350 g" in html and "900 g" in html and "Amazon catalog" in html
    assert re.search(r'id="total-weight"><strong>1,600 g', html)
    assert 'id="errors"' not in html
    # Opening the address is recorded: who and which order, never the data.
    from colis.privacy.models import PiiAccess

    access = PiiAccess.objects.get(order_id=order.pk)
    assert access.channel == "panel" and access.account_id == order.account_id


@pytest.mark.parametrize("language", ["en", "fr"])
def test_weight_missing_explains_both_fixes(
    panel: Client, shop: Integration, language: str
) -> None:
    order = make_order(shop, "402-2", items=[("SKU-NOWEIGHT", 1, None)])
    panel.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = panel.get(reverse("web:order_detail", args=[order.pk])).content.decode()
    assert 'data-error-code="weight_missing"' in html
    assert 'data-weight-form="SKU-NOWEIGHT"' in html
    assert f'<html lang="{language}"' in html
    if language == "en":
        assert "Manage All Inventory" in html and "Package Weight" in html
        assert "next import" in html
    else:
        assert "Gérer l&#x27;ensemble du" in html or "Gérer l'ensemble du" in html
        assert "prochain import" in html


@pytest.mark.parametrize(
    ("weight", "unit", "grams"),
    [("450", "g", 450), ("0,45", "kg", 450), ("1.2", "kg", 1200), ("12.3", "g", 13)],
)
def test_entering_the_weight_clears_the_error(
    panel: Client, shop: Integration, weight: str, unit: str, grams: int
) -> None:
    order = make_order(shop, "402-3", items=[("SKU-NOWEIGHT", 2, None), ("SKU-MUG", 1, 350)])
    other = make_order(shop, "402-4", items=[("SKU-NOWEIGHT", 1, None)])
    response = panel.post(
        reverse("web:order_weight", args=[order.pk]),
        {"sku": "SKU-NOWEIGHT", "weight": weight, "unit": unit},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:order_detail", args=[order.pk])
    product = Product.objects.get(account=shop.account, sku="SKU-NOWEIGHT")
    assert product.weight_grams == grams and product.weight_source == "manual"
    order.refresh_from_db()
    other.refresh_from_db()
    assert not order.has_error and order.weight_grams == 2 * grams + 350
    assert not other.has_error and other.weight_grams == grams  # remembered for the SKU
    html = panel.get(reverse("web:order_detail", args=[order.pk])).content.decode()
    assert 'data-error-code="weight_missing"' not in html
    assert "Entered in colis" in html


@pytest.mark.parametrize(
    "data",
    [
        {"sku": "SKU-NOWEIGHT", "weight": "", "unit": "g"},
        {"sku": "SKU-NOWEIGHT", "weight": "abc", "unit": "g"},
        {"sku": "SKU-NOWEIGHT", "weight": "0", "unit": "g"},
        {"sku": "SKU-NOWEIGHT", "weight": "-5", "unit": "g"},
        {"sku": "SKU-NOWEIGHT", "weight": "71", "unit": "kg"},
        {"sku": "SKU-NOWEIGHT", "weight": "NaN", "unit": "g"},
        {"sku": "SKU-NOWEIGHT", "weight": "500", "unit": "lb"},
        {"sku": "SKU-NOT-IN-ORDER", "weight": "500", "unit": "g"},
        {"weight": "500", "unit": "g"},
    ],
)
def test_bad_weight_is_refused_and_nothing_saved(
    panel: Client, shop: Integration, data: dict[str, str]
) -> None:
    order = make_order(shop, "402-5", items=[("SKU-NOWEIGHT", 1, None)])
    response = panel.post(reverse("web:order_weight", args=[order.pk]), data)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Product.objects.filter(account=shop.account, sku="SKU-NOWEIGHT").exists()
    order.refresh_from_db()
    assert order.has_error


def test_other_accounts_order_is_404(panel: Client, make_user: Callable[..., User]) -> None:
    stranger = make_user(ready=True)
    assert stranger.account is not None
    order = make_order(make_integration(stranger.account), "THEIRS", items=[("SKU-Z", 1, None)])
    assert panel.get(reverse("web:order_detail", args=[order.pk])).status_code == 404
    response = panel.post(
        reverse("web:order_weight", args=[order.pk]),
        {"sku": "SKU-Z", "weight": "100", "unit": "g"},
    )
    assert response.status_code == 404
    assert not Product.objects.exists()
    assert panel.get(reverse("web:order_detail", args=[999_999])).status_code == 404


def test_orders_need_sign_in(client: Client, db: Any) -> None:
    for url in (reverse("web:orders"), reverse("web:order_detail", args=[1])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
