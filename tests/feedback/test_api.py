"""GET /api/v1/parcels/{id}/feedback and POST /api/v1/feedback/{id}/retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from colis.accounts.models import User
from colis.feedback.models import FeedbackDelivery
from colis.integrations.models import Integration
from colis.shipping import services as shipping
from tests.conftest import ApiClient
from tests.feedback.conftest import Sandbox, mirror_order, run_outbox, ship

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seller(make_user: Callable[..., User], account: Any) -> User:
    return User.objects.get(account=account)


def test_parcel_feedback_and_retry(
    sandbox: Sandbox,
    account: Any,
    seller: User,
    make_user: Callable[..., User],
    make_shop: Callable[..., Integration],
) -> None:
    method = shipping.shipping_seed_demo(account=account)
    shop = make_shop("eager")
    shipping.amazon_carrier_mapping_set(
        account=account, method_id=method.id, carrier_code="Mondial Relay"
    )
    order = mirror_order(account, shop, sandbox.add_order())
    [parcel] = ship(account, order, method_id=method.id)
    run_outbox()
    api = ApiClient(seller)

    r = api.get(f"/api/v1/parcels/{parcel.id}/feedback")
    assert r.status_code == 200, r.content
    [d] = r.json()["deliveries"]
    assert d["state"] == "failed" and d["can_retry"]
    assert "Mondial Relay" in d["amazon_reason"]
    assert [a["outcome"] for a in d["attempt_log"]] == ["refused"]
    assert d["attempt_log"][0]["status_code"] == 400

    shipping.amazon_carrier_mapping_set(account=account, method_id=method.id, carrier_code="DHL")
    r = api.post(f"/api/v1/feedback/{d['id']}/retry")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "pending"
    run_outbox()
    assert FeedbackDelivery.objects.get(id=d["id"]).state == "confirmed"
    assert sandbox.summary(order.external_id) == {"rejected": 1, "accepted": 1}

    # Retrying a confirmed delivery is a conflict, in the standard error body.
    r = api.post(f"/api/v1/feedback/{d['id']}/retry")
    assert r.status_code == 409
    assert r.json()["errors"][0]["code"] == "state_conflict"

    # Another account: the same 404 as a missing object.
    other = ApiClient(make_user(ready=True))
    for resp in (
        other.get(f"/api/v1/parcels/{parcel.id}/feedback"),
        other.post(f"/api/v1/feedback/{d['id']}/retry"),
        api.get("/api/v1/parcels/999999/feedback"),
        api.post("/api/v1/feedback/999999/retry"),
    ):
        assert resp.status_code == 404
        assert resp.json() == {
            "errors": [{"code": "not_found", "message": "Not found.", "field": None}]
        }
