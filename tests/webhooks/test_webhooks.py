"""Outgoing webhooks against a real receiver on loopback (http.server in a thread): the
signature verifies, a 500 is retried with backoff until it succeeds, every attempt is
logged and visible in the API, redirects are not followed, events come from the places
where things happen (parcel status change, order import, integration update), and the API
is scoped to the account."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from colis.accounts.models import Account, User
from colis.integrations import services as integration_services
from colis.integrations.models import Integration
from colis.integrations.ports import OrderData, OrderItemData, OrderStatus
from colis.orders.models import Order, OrderItem
from colis.orders.services import order_import_page
from colis.shipping import services as shipping
from colis.webhooks import services as webhooks
from colis.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import make_ready

pytestmark = pytest.mark.django_db


class Receiver:
    """A loopback HTTP server that answers with the next queued status (default 200)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def enqueued(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[int]:
    """The tasks enqueued after commit, recorded; the tests deliver themselves."""
    from colis.webhooks import tasks

    settings.COLIS_WEBHOOK_BACKOFF_SECONDS = 0
    calls: list[int] = []
    monkeypatch.setattr(tasks, "webhook_deliver_task", _Recorder(calls))
    return calls


class _Recorder:
    def __init__(self, calls: list[int]) -> None:
        self.calls = calls

    def __call__(self, delivery_id: int) -> None:
        self.calls.append(delivery_id)

    def schedule(self, args: tuple[int], delay: float) -> None:
        self.calls.append(args[0])


@pytest.fixture
def account(user: User) -> Account:
    assert user.account is not None
    make_ready(user.account)
    return user.account


@pytest.fixture
def shop(account: Account) -> Integration:
    return Integration.objects.create(
        account=account,
        name="Amazon DE",
        auth_kind="spapi_oauth",
        seller_id="A1",
        marketplace_id="A1PA6795UKMFR9",
        feedback_type="none",
    )


def test_signed_delivery_retried_on_500_and_logged(
    account: Account,
    receiver: Receiver,
    api: Any,
    user: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint = webhooks.webhook_endpoint_create(
        account=account, url=receiver.url, events=["integration_updated"]
    )
    receiver.statuses = [500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        [delivery_id] = webhooks.webhook_emit(
            account_id=account.id, event="integration_updated", payload={"integration_id": 7}
        )
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "pending"
    delivery = WebhookDelivery.objects.get(id=delivery_id)
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at is not None
    assert webhooks.webhook_due(now=delivery.next_attempt_at) == [delivery_id]
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "pending"
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "succeeded"
    assert len(receiver.requests) == 3
    # the same event, three times, each signed
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1
    for r in receiver.requests:
        header = r["headers"]["X-Colis-Signature"]
        assert header.startswith("t=") and ",v1=" in header
        assert webhooks.signature_verify(secret=endpoint.secret, header=header, body=r["body"])
        assert not webhooks.signature_verify(
            secret="wrong-secret-000000", header=header, body=r["body"]
        )
        assert r["headers"]["X-Colis-Event"] == "integration_updated"
    payload = json.loads(receiver.requests[0]["body"])
    assert payload["event"] == "integration_updated" and payload["data"] == {"integration_id": 7}
    # the log, through the API (the endpoint belongs to the API key's account)
    assert user.account == account
    log = api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").json()
    assert log[0]["state"] == "succeeded" and log[0]["attempts"] == 3
    assert [a["status_code"] for a in log[0]["attempt_log"]] == [500, 500, 200]


def test_backoff_grows_and_gives_up(account: Account, receiver: Receiver, settings: Any) -> None:
    settings.COLIS_WEBHOOK_BACKOFF_SECONDS = 30
    settings.COLIS_WEBHOOK_MAX_ATTEMPTS = 3
    assert [webhooks.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    webhooks.webhook_endpoint_create(account=account, url=receiver.url, events=["order_imported"])
    [delivery_id] = webhooks.webhook_emit(
        account_id=account.id, event="order_imported", payload={"orders": []}
    )
    receiver.statuses = [503, 503, 503]
    for _ in range(3):
        WebhookDelivery.objects.filter(id=delivery_id).update(next_attempt_at=None)
        webhooks.webhook_deliver(delivery_id=delivery_id)
    delivery = WebhookDelivery.objects.get(id=delivery_id)
    assert delivery.state == "failed" and delivery.attempts == 3
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "failed"  # no 4th call
    assert len(receiver.requests) == 3


def test_redirects_are_not_followed(account: Account, receiver: Receiver) -> None:
    receiver.statuses = [302]
    receiver.location = receiver.url + "/elsewhere"
    webhooks.webhook_endpoint_create(account=account, url=receiver.url, events=["order_imported"])
    [delivery_id] = webhooks.webhook_emit(account_id=account.id, event="order_imported", payload={})
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "pending"
    assert len(receiver.requests) == 1
    assert "redirects are not followed" in WebhookDelivery.objects.get(id=delivery_id).last_error


def test_unreachable_endpoint_is_an_attempt(account: Account) -> None:
    webhooks.webhook_endpoint_create(
        account=account, url="http://127.0.0.1:9/nothing", events=["order_imported"]
    )
    [delivery_id] = webhooks.webhook_emit(account_id=account.id, event="order_imported", payload={})
    assert webhooks.webhook_deliver(delivery_id=delivery_id) == "pending"
    delivery = WebhookDelivery.objects.get(id=delivery_id)
    assert delivery.attempts == 1 and delivery.last_status_code is None and delivery.last_error


def test_events_are_emitted_where_things_happen(
    account: Account, shop: Integration, receiver: Receiver, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    webhooks.webhook_endpoint_create(
        account=account, url=receiver.url, events=list(webhooks.EVENTS)
    )
    # an integration update
    integration_services.integration_update(account=account, integration_id=shop.pk, name="Shop 2")
    # an import page with one new order
    now = dt.datetime.now(dt.UTC)
    data = OrderData(
        external_id="028-1",
        marketplace_id=shop.marketplace_id,
        status=OrderStatus.UNSHIPPED,
        marketplace_status="Unshipped",
        purchased_at=now,
        last_updated_at=now,
        items=(OrderItemData(external_id="1", sku="SKU-1", quantity=1),),
    )
    order_import_page(integration=shop, orders=[data])
    order_import_page(integration=shop, orders=[data])  # the same order again: not new
    order = Order.objects.get(external_id="028-1")
    Order.objects.filter(id=order.id).update(weight_grams=300, recipient_country="DE")
    OrderItem.objects.filter(order=order).update(weight_grams=300)
    # a label, then the first scan
    shipping.shipping_seed_demo(account=account)
    [parcel] = shipping.parcel_create(account=account, order_id=order.pk)
    shipping.parcel_local_advance(account=account, parcel_id=parcel.pk, to="in_transit")
    rows = list(WebhookDelivery.objects.filter(account=account).order_by("id"))
    assert [r.event for r in rows] == [
        "integration_updated",
        "order_imported",
        "parcel_status_changed",
        "parcel_status_changed",
    ]
    assert rows[0].payload["data"]["changed"] == ["name"]
    assert rows[1].payload["data"]["orders"][0]["external_id"] == "028-1"
    assert [
        (r.payload["data"]["previous_status"], r.payload["data"]["status"]) for r in rows[2:]
    ] == [("pending", "ready_to_send"), ("ready_to_send", "in_transit")]
    assert rows[3].payload["data"]["tracking_number"] == parcel.tracking_number


def test_only_subscribed_active_endpoints_of_the_account(
    account: Account, make_user: Callable[..., User], receiver: Receiver
) -> None:
    other = make_user(ready=True).account
    webhooks.webhook_endpoint_create(account=account, url=receiver.url, events=["order_imported"])
    webhooks.webhook_endpoint_create(
        account=account, url=receiver.url, events=["integration_updated"], is_active=False
    )
    webhooks.webhook_endpoint_create(
        account=other, url=receiver.url, events=["integration_updated"]
    )
    assert (
        webhooks.webhook_emit(account_id=account.id, event="integration_updated", payload={}) == []
    )
    assert (
        len(webhooks.webhook_emit(account_id=account.id, event="order_imported", payload={})) == 1
    )


def test_api_crud_validation_and_tenancy(api: Any, make_api: Any, make_user: Any) -> None:
    made = api.post(
        "/api/v1/webhooks", {"url": "https://hooks.example/c", "events": ["order_imported"]}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["secret"].startswith("whsec_")
    hook_id = body["id"]
    assert api.get("/api/v1/webhooks").json()[0]["secret"] is None
    assert api.get(f"/api/v1/webhooks/{hook_id}").json()["url"] == "https://hooks.example/c"
    bad = api.post("/api/v1/webhooks", {"url": "file:///etc/passwd", "events": ["order_imported"]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "url"
    bad = api.post("/api/v1/webhooks", {"url": "https://x.example", "events": ["nope"]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "events"
    patched = api.patch(f"/api/v1/webhooks/{hook_id}", {"is_active": False, "rotate_secret": True})
    assert patched.json()["is_active"] is False and patched.json()["secret"].startswith("whsec_")
    assert patched.json()["secret"] != body["secret"]
    stranger = make_api(make_user())
    for method, path in (
        ("get", f"/api/v1/webhooks/{hook_id}"),
        ("get", f"/api/v1/webhooks/{hook_id}/deliveries"),
        ("delete", f"/api/v1/webhooks/{hook_id}"),
    ):
        assert getattr(stranger, method)(path).status_code == 404, path
    assert stranger.get("/api/v1/webhooks").json() == []
    assert api.delete(f"/api/v1/webhooks/{hook_id}").status_code == 204
    assert not WebhookEndpoint.objects.exists()
