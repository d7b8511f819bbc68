"""One page of port dataclasses into the database: per-order problems stay per order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from colis.integrations.ports import OrderData, OrderItemData, OrderStatus, PostalAddress
from colis.orders.models import Order
from colis.orders.selectors import integration_health, order_get, order_list
from colis.orders.services import order_import_page

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def _order(external_id: str, *, quantity: int = 1, sku: str = "SKU-1", **kw: Any) -> OrderData:
    return OrderData(
        external_id=external_id,
        marketplace_id="A1PA6795UKMFR9",
        status=kw.pop("status", OrderStatus.UNSHIPPED),
        marketplace_status="Unshipped",
        purchased_at=NOW,
        last_updated_at=NOW,
        items=(OrderItemData(external_id=f"{external_id}-1", sku=sku, quantity=quantity),),
        recipient=PostalAddress(
            name="Erika Mustermann",
            line1="Hauptstr. 5",
            city="Berlin",
            postal_code="10115",
            country_code="DE",
        ),
        order_total=Decimal("12.50"),
        currency="EUR",
        **kw,
    )


def test_a_bad_order_does_not_stop_the_page(make_integration: Any) -> None:
    integration = make_integration()
    page = [
        _order("028-0000001-0000001"),
        _order("028-0000002-0000002", quantity=-1),
        _order("028-0000003-0000003", sku="X" * 101),
        _order("028-0000004-0000004", is_prime=True),
    ]
    with transaction.atomic():
        stats = order_import_page(integration=integration, orders=page)
    assert stats.created == 2 and len(stats.mapping_errors) == 2
    assert "028-0000002-0000002" in stats.mapping_errors[0]
    assert set(Order.objects.values_list("external_id", flat=True)) == {
        "028-0000001-0000001",
        "028-0000004-0000004",
    }
    # Re-sending the same page changes nothing but the update counters.
    with transaction.atomic():
        again = order_import_page(integration=integration, orders=page)
    assert again.created == 0 and again.updated == 2 and Order.objects.count() == 2


def test_pii_is_encrypted_at_rest_and_only_in_the_detail(make_integration: Any) -> None:
    from django.db import connection

    integration = make_integration()
    with transaction.atomic():
        order_import_page(integration=integration, orders=[_order("028-0000009-0000009")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient_name, recipient_lines FROM orders_order")
        name, lines = cursor.fetchone()
    assert "Erika" not in name and "Hauptstr" not in lines
    account = integration.account
    order = order_list(account=account).orders[0]
    assert "recipient_name" in order.get_deferred_fields()
    detail = order_get(account=account, order_id=order.id)
    assert detail.recipient_name == "Erika Mustermann"


def test_integration_health(make_integration: Any, make_user: Any) -> None:
    integration = make_integration()
    with transaction.atomic():
        order_import_page(integration=integration, orders=[_order("028-0000005-0000005")])
    health = integration_health(account=integration.account, integration_id=integration.id)
    assert health.healthy and not health.importing
    assert health.orders_with_errors == 1  # no weight known for SKU-1
    with pytest.raises(type(integration).DoesNotExist):
        integration_health(account=make_user().account, integration_id=integration.id)


def test_a_purge_committed_during_an_import_is_never_undone(make_integration: Any) -> None:
    """The import read the order before a purge committed; its upsert must keep the tombstone."""
    from colis.orders.services import ORDER_UPDATE_FIELDS, PII_FIELDS, bulk_upsert

    integration = make_integration()
    with transaction.atomic():
        order_import_page(integration=integration, orders=[_order("028-0000009-0000009")])
    stale = Order.objects.get(external_id="028-0000009-0000009")  # read before the purge
    assert stale.recipient_name == "Erika Mustermann"
    Order.objects.filter(pk=stale.pk).update(
        recipient_name="[purged]", recipient_lines="", pii_purged_at=NOW
    )
    # The import now writes the row it built from its stale read.
    with transaction.atomic():
        bulk_upsert(
            Order,
            [stale],
            unique=["integration", "external_id"],
            update=ORDER_UPDATE_FIELDS,
            keep_if_set=("pii_purged_at", PII_FIELDS),
        )
    order = Order.objects.get(pk=stale.pk)
    assert order.recipient_name == "[purged]"
    assert order.recipient_lines == ""
    assert order.recipient_city == "Berlin"  # plain, non-PII columns still update
    assert order.pii_purged_at is not None
