"""Two requests racing for the same parcel (PostgreSQL: real row locks, real threads)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from colis.accounts.models import User
from colis.shipping import services
from colis.shipping.models import Parcel
from tests.helpers.services import on_postgres
from tests.shipping.conftest import make_integration, make_order

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if not on_postgres():
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers anyway")


def race(n: int, fn: Any) -> list[Any]:
    results: list[Any] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_the_same_request_twice_at_once_makes_one_label(make_user: Any) -> None:
    seller: User = make_user(ready=True)
    account = seller.account
    assert account is not None
    make_integration(account)
    services.shipping_seed_demo(account=account)
    order = make_order(account)
    results = race(
        4,
        lambda: [
            p.id
            for p in services.parcel_create(
                account=account, order_id=order.id, idempotency_key="k1"
            )
        ],
    )
    assert all(isinstance(r, list) for r in results), results
    assert len({tuple(r) for r in results}) == 1
    assert Parcel.objects.filter(order=order).count() == 1
    assert Parcel.objects.get(order=order).status == "ready_to_send"


def test_two_different_requests_never_ship_more_than_ordered(make_user: Any) -> None:
    seller: User = make_user(ready=True)
    account = seller.account
    assert account is not None
    make_integration(account)
    services.shipping_seed_demo(account=account)
    order = make_order(account, items=[("MUG", 3, 300)])
    item = order.items.get()
    results = race(
        3,
        lambda: services.parcel_create(
            account=account,
            order_id=order.id,
            items=[[{"order_item_id": item.id, "quantity": 2}]],
            idempotency_key=f"k-{threading.get_ident()}",
        ),
    )
    made = [r for r in results if isinstance(r, list)]
    assert len(made) == 1
    assert sum(p.items.get().quantity for p in Parcel.objects.filter(order=order)) == 2
