"""The orders API: list with filters and keyset pages, detail with PII, weights, sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY

from colis.orders.models import Order
from colis.orders.services import order_import_run

# The import tests' fixtures: a real sandbox and integrations pointing at it.
from tests.orders.conftest import make_integration, sandbox, sandbox_factory  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(sandbox: Any, make_integration: Any) -> Any:  # noqa: F811
    integration = make_integration(first_import_days=30, hold_prime=True)
    assert order_import_run(integration_id=integration.id).status == "ok"
    return integration


def _all_pages(api: Any, query: str = "", limit: int = 7) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = ""
    for _ in range(100):
        response = api.get(f"/api/v1/orders?limit={limit}{query}{after}")
        assert response.status_code == 200, response.content
        body = response.json()
        out.extend(body["orders"])
        if not body["next"]:
            return out
        after = f"&after={body['next']}"
    raise AssertionError("pagination did not end")


def test_list_pages_through_every_order_once(api: Any, imported: Any) -> None:
    orders = _all_pages(api)
    ids = [o["id"] for o in orders]
    assert len(ids) == len(set(ids)) == Order.objects.filter(integration=imported).count()
    keys = [(o["purchased_at"], o["id"]) for o in orders]
    assert keys == sorted(keys, reverse=True)
    assert "buyer_name" not in orders[0] and "address" not in orders[0]


def test_list_filters(api: Any, imported: Any) -> None:
    qs = Order.objects.filter(integration=imported)
    assert {o["id"] for o in _all_pages(api, "&has_error=true", 50)} == set(
        qs.filter(has_error=True).values_list("id", flat=True)
    )
    assert {o["id"] for o in _all_pages(api, "&prime=true", 50)} == set(
        qs.filter(is_prime=True).values_list("id", flat=True)
    )
    assert {o["id"] for o in _all_pages(api, "&status=cancelled", 50)} == set(
        qs.filter(status="cancelled").values_list("id", flat=True)
    )
    assert {o["id"] for o in _all_pages(api, f"&integration={imported.id}", 50)} == set(
        qs.values_list("id", flat=True)
    )
    now = dt.datetime.now(dt.UTC)
    overdue = qs.filter(ship_by__lt=now, status__in=["pending", "unshipped", "partially_shipped"])
    assert {o["id"] for o in _all_pages(api, "&ship_by=overdue", 50)} == set(
        overdue.values_list("id", flat=True)
    )
    assert api.get("/api/v1/orders?ship_by=today").status_code == 200
    order = qs.prefetch_related("items").first()
    assert order is not None
    found = _all_pages(api, f"&q={order.external_id}")
    assert [o["id"] for o in found] == [order.id]
    sku = order.items.all()[0].sku
    with_sku = _all_pages(api, f"&q={sku}", 50)
    assert order.id in {o["id"] for o in with_sku}
    assert all(sku in o["skus"] for o in with_sku)
    bad = api.get("/api/v1/orders?after=not-a-cursor")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "after"
    assert api.get("/api/v1/orders?ship_by=someday").status_code == 400
    assert api.get("/api/v1/orders?limit=0").status_code == 400


def test_detail_has_items_weights_and_the_address(api: Any, imported: Any) -> None:
    order = Order.objects.filter(integration=imported, status="unshipped").first()
    assert order is not None
    response = api.get(f"/api/v1/orders/{order.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["external_id"] == order.external_id
    assert body["address"]["name"] and body["address"]["lines"]
    assert body["address"]["name"] == order.recipient_name
    assert len(body["items"]) == order.items.count()
    for item in body["items"]:
        assert set(item) >= {"sku", "quantity", "unit_weight_grams", "weight_source"}


def test_other_accounts_orders_are_not_found(
    api: Any, imported: Any, make_user: Any, make_api: Any
) -> None:
    order = Order.objects.filter(integration=imported).first()
    assert order is not None
    stranger = make_api(make_user())
    response = stranger.get(f"/api/v1/orders/{order.id}")
    assert response.status_code == 404 and response.json()["errors"][0]["code"] == "not_found"
    assert stranger.get("/api/v1/orders").json()["orders"] == []
    assert stranger.post(f"/api/v1/integrations/{imported.id}/sync").status_code == 404
    assert api.get("/api/v1/orders/99999999").status_code == 404


def test_put_weight(api: Any, imported: Any) -> None:
    missing = Order.objects.filter(integration=imported, has_error=True, weight_grams__isnull=True)
    order = next(o for o in missing if any(e["code"] == "weight_missing" for e in o.errors))
    sku = next(e["sku"] for e in order.errors if e["code"] == "weight_missing")
    for grams in (0, -5, 70_001):
        response = api.put(f"/api/v1/products/{sku}/weight", {"grams": grams})
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "code": "invalid_weight",
            "message": response.json()["errors"][0]["message"],
            "field": "grams",
        }
    assert api.put(f"/api/v1/products/{sku}/weight", {"grams": "heavy"}).status_code == 400
    response = api.put(f"/api/v1/products/{sku}/weight", {"grams": 321})
    assert response.status_code == 200
    assert response.json() == {"sku": sku, "grams": 321, "source": "manual"}
    order.refresh_from_db()
    assert not any(e["code"] == "weight_missing" for e in order.errors)
    detail = api.get(f"/api/v1/orders/{order.id}").json()
    assert {i["weight_source"] for i in detail["items"] if i["sku"] == sku} == {"manual"}


def test_sync_endpoint(
    api: Any, imported: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    HUEY.immediate = True  # the queue is not the subject here (see tests/orders/test_scheduling.py)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = api.post(f"/api/v1/integrations/{imported.id}/sync")
        assert response.status_code == 202 and response.json()["queued"] is True
        assert len(callbacks) == 1
        since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).date().isoformat()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = api.post(f"/api/v1/integrations/{imported.id}/sync", {"since": since})
        assert response.status_code == 202 and response.json()["since"] == since
    finally:
        HUEY.immediate = False
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date().isoformat()
    response = api.post(f"/api/v1/integrations/{imported.id}/sync", {"since": future})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "since"
    imported.state = "revoked"
    imported.save(update_fields=["state"])
    response = api.post(f"/api/v1/integrations/{imported.id}/sync")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "integration_not_active"


def test_viewing_an_order_records_who_opened_its_buyer_data(api: Any, imported: Any) -> None:
    from colis.privacy.models import PiiAccess

    order = Order.objects.filter(integration=imported).first()
    assert order is not None
    assert api.get(f"/api/v1/orders/{order.pk}").status_code == 200
    access = PiiAccess.objects.get(order_id=order.pk)
    assert (access.user_id, access.channel, access.account_id) == (
        api.user.pk,
        "api",
        order.account_id,
    )
    assert order.recipient_name not in str(PiiAccess.objects.filter(pk=access.pk).values().first())
