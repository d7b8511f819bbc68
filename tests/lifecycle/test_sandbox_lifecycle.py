"""The lifecycle against the Amazon sandbox, colis' clock and the sandbox's moved together
across the year: expiry pauses imports (the token kept), orders made during the pause
arrive after renewal from the saved cursor; MWS renews with the SAME token, SP-API through
the consent page with a NEW refresh token; revocation deletes the token (raw column);
a revocation on Amazon's side is detected at the next call and shown with Reconnect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.integrations import lifecycle, services
from colis.integrations.lifecycle import integration_lifecycle_sweep
from colis.integrations.models import Integration
from colis.integrations.ports import ConnectorError
from colis.notifications.models import Notification
from colis.orders.models import Order
from colis.orders.services import order_import_run
from tests.lifecycle.conftest import T0, YEAR, DrivenClock
from tests.marketplaces.conftest import configure_colis

SELLER = defaults.SELLER_1  # IT, DE, UK
DE = "A1PA6795UKMFR9"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


class Amazon:
    def __init__(self, running: RunningSandbox) -> None:
        self.running = running
        self.url = running.url
        self.http = httpx.Client(base_url=running.url, timeout=30)

    def control(self, method: str, path: str, json: Any = None) -> Any:
        response = self.http.request(method, f"/_sandbox/{path}", json=json)
        assert response.status_code < 300, response.text
        return response.json()

    def set_clock(self, when: dt.datetime) -> None:
        self.control("POST", "clock", {"set": when.strftime("%Y-%m-%dT%H:%M:%SZ")})

    def authorization(self, kind: str) -> dict[str, Any]:
        rows = self.control("GET", "authorizations")["authorizations"]
        return next(
            a for a in rows if a["kind"] == kind and a["seller_id"] == SELLER.selling_partner_id
        )

    def add_orders(self, count: int) -> list[str]:
        body = {
            "seller_id": SELLER.selling_partner_id,
            "marketplace_id": DE,
            "count": count,
            "fulfillment_channel": "MFN",
        }
        return list(self.control("POST", "orders", body)["order_ids"])

    def rotate_app_secret(self, until: dt.datetime) -> None:
        """The operator rotated the application's LWA secret (the sandbox's lapses at 180
        days): the same secret, valid until `until`."""
        apps = self.control("GET", "applications")["applications"]
        app = next(a for a in apps if a["application_id"] == defaults.APPLICATION_ID)
        app["secret_expires_at"] = until.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.control("POST", "applications", app)


@pytest.fixture
def amazon(settings: Any, clock: DrivenClock) -> Iterator[Amazon]:
    running = start_sandbox(seed=7, orders=150, rate_limits=False, start_time=T0)
    configure_colis(settings, running.url, COLIS_IMPORT_PREFETCH=False)
    sb = Amazon(running)
    try:
        yield sb
    finally:
        sb.http.close()
        running.stop()


def travel(clock: DrivenClock, amazon: Amazon, when: dt.datetime) -> None:
    clock.set(when)
    amazon.set_clock(when)


def raw_credentials(integration_id: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials FROM integrations_integration WHERE id = %s", [integration_id]
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_mws_expiry_pause_and_renewal_with_the_same_token(
    clock: DrivenClock, amazon: Amazon, settings: Any, make_user: Callable[..., Any]
) -> None:
    settings.COLIS_AMAZON_APP_ID = ""  # MWS only: no SP-API application to migrate to
    user = make_user(ready=True)
    shop = services.integration_create_mws(
        account=user.account,
        user=user,
        name="Bottega",
        seller_id=SELLER.selling_partner_id,
        marketplace_id=DE,
        mws_auth_token=SELLER.mws_auth_token,
        feedback_type="eager",
        import_weight=False,
    )
    assert shop.authorized_at == T0 and shop.expires_at == T0 + YEAR
    assert order_import_run(integration_id=shop.pk).status == "ok"
    shop.refresh_from_db()
    cursor, before = shop.cursor, Order.objects.filter(integration=shop).count()
    assert cursor is not None and before > 0

    # The expiry date: Amazon deactivates the token (expire control at the same moment);
    # colis' sweep turns the shop expired and keeps the token.
    expiry = T0 + YEAR
    travel(clock, amazon, expiry)
    amazon.control(
        "POST",
        "authorizations/expire",
        {"seller_id": SELLER.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID},
    )
    assert integration_lifecycle_sweep().expired == [shop.pk]
    shop.refresh_from_db()
    assert shop.state == Integration.State.EXPIRED
    assert shop.credentials == {"mws_auth_token": SELLER.mws_auth_token}
    assert amazon.authorization("mws")["state"] == "expired"

    # Paused: no call to Amazon; orders placed meanwhile wait on Amazon's side.
    calls = amazon.control("GET", "calls?limit=0")["total"]
    assert order_import_run(integration_id=shop.pk).status == "skipped"
    assert amazon.control("GET", "calls?limit=0")["total"] == calls
    travel(clock, amazon, expiry + 3 * DAY)
    during_pause = amazon.add_orders(3)

    # Renewing in colis before renewing on Amazon: Amazon still refuses the token.
    with pytest.raises(ConnectorError):
        lifecycle.integration_renew(account=user.account, integration_id=shop.pk)
    shop.refresh_from_db()
    assert shop.state == Integration.State.EXPIRED

    # The seller renews in Seller Central (the sandbox's renew control: the same token).
    travel(clock, amazon, expiry + 5 * DAY)
    amazon.control(
        "POST",
        "authorizations/renew",
        {"seller_id": SELLER.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID},
    )
    renewed = lifecycle.integration_renew(account=user.account, integration_id=shop.pk)
    assert renewed.state == Integration.State.ACTIVE
    assert renewed.authorized_at == expiry + 5 * DAY
    assert renewed.expires_at == expiry + 5 * DAY + YEAR
    assert renewed.credentials == {"mws_auth_token": SELLER.mws_auth_token}  # the same
    assert renewed.cursor == cursor  # imports resume from where they stopped

    travel(clock, amazon, expiry + 5 * DAY + HOUR)
    result = order_import_run(integration_id=shop.pk)
    assert result.status == "ok", result.reason
    imported = set(Order.objects.filter(integration=shop).values_list("external_id", flat=True))
    assert set(during_pause) <= imported
    shop.refresh_from_db()
    assert shop.cursor is not None and shop.cursor > cursor


def consent(amazon: Amazon, consent_url: str) -> str:
    """Play the seller on Seller Central's consent page; the path colis is sent back to."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
    assert amazon.http.get(consent_url).status_code == 200
    answer = amazon.http.post(
        "/apps/authorize/confirm",
        data={
            "application_id": query["application_id"],
            "state": query["state"],
            "redirect_uri": query.get("redirect_uri", ""),
            "version": query.get("version", ""),
            "selling_partner_id": SELLER.selling_partner_id,
            "confirm": "1",
        },
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(defaults.REDIRECT_URI)
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


@pytest.mark.django_db
def test_spapi_renewal_through_the_consent_page_gives_a_new_refresh_token(
    clock: DrivenClock,
    amazon: Amazon,
    make_user: Callable[..., Any],
    make_shop: Callable[..., Integration],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = make_user(ready=True)
    shop = make_shop(
        user.account,
        seller_id=SELLER.selling_partner_id,
        credentials={"refresh_token": SELLER.refresh_token},
    )
    assert order_import_run(integration_id=shop.pk).status == "ok"
    expiry = T0 + YEAR
    travel(clock, amazon, expiry + HOUR)
    amazon.rotate_app_secret(expiry + 180 * DAY)
    integration_lifecycle_sweep()
    shop.refresh_from_db()
    assert shop.state == Integration.State.EXPIRED
    assert amazon.authorization("spapi")["state"] == "expired"
    during_pause = amazon.add_orders(2)

    resumed: list[int] = []
    import colis.feedback.services as feedback_services

    monkeypatch.setattr(
        feedback_services,
        "feedback_resume_for_integration",
        lambda *, integration_id: resumed.append(integration_id),
        raising=False,
    )
    panel = Client()
    panel.force_login(user)
    page = panel.get(reverse("web:shop_renew", args=[shop.pk]))
    assert page.status_code == 200 and "Continue to Amazon" in page.content.decode()
    start = panel.post(reverse("web:shop_renew", args=[shop.pk]))
    assert start.status_code == 302 and start["Location"].startswith(amazon.url)
    back = consent(amazon, start["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        done = panel.get(back)
    assert done.status_code == 302 and done["Location"] == reverse("web:shops")
    assert resumed == [shop.pk]  # queued feedback released

    shop.refresh_from_db()
    new_token = shop.credentials["refresh_token"]  # type: ignore[index]
    assert new_token != SELLER.refresh_token
    assert new_token == amazon.authorization("spapi")["refresh_token"]
    assert shop.state == Integration.State.ACTIVE
    assert shop.expires_at == expiry + HOUR + YEAR
    # The old token no longer works on Amazon's side.
    old = httpx.post(
        amazon.url + "/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": SELLER.refresh_token,
            "client_id": defaults.LWA_CLIENT_ID,
            "client_secret": defaults.LWA_CLIENT_SECRET,
        },
    )
    assert old.status_code == 400 and old.json()["error"] == "invalid_grant"

    result = order_import_run(integration_id=shop.pk)
    assert result.status == "ok", result.reason
    imported = set(Order.objects.filter(integration=shop).values_list("external_id", flat=True))
    assert set(during_pause) <= imported


@pytest.mark.django_db
def test_revocation_deletes_the_token(
    clock: DrivenClock,
    amazon: Amazon,
    make_user: Callable[..., Any],
    make_shop: Callable[..., Integration],
) -> None:
    user = make_user(ready=True)
    shop = make_shop(
        user.account,
        seller_id=SELLER.selling_partner_id,
        credentials={"refresh_token": SELLER.refresh_token},
    )
    assert order_import_run(integration_id=shop.pk).status == "ok"
    orders = Order.objects.filter(integration=shop).count()
    assert raw_credentials(shop.pk) and SELLER.refresh_token not in raw_credentials(shop.pk)

    revoked = lifecycle.integration_revoke(account=user.account, integration_id=shop.pk)
    assert revoked.state == Integration.State.REVOKED
    assert raw_credentials(shop.pk) is None  # deleted, not flagged
    assert Order.objects.filter(integration=shop).count() == orders  # kept
    assert order_import_run(integration_id=shop.pk).status == "skipped"
    integration_lifecycle_sweep()
    assert not Notification.objects.filter(kind=Notification.Kind.AUTHORIZATION_REVOKED).exists()


@pytest.mark.django_db
def test_revoked_on_amazon_is_detected_shown_and_reconnected(
    clock: DrivenClock,
    amazon: Amazon,
    make_user: Callable[..., Any],
    make_shop: Callable[..., Integration],
) -> None:
    user = make_user(ready=True)
    shop = make_shop(
        user.account,
        seller_id=SELLER.selling_partner_id,
        credentials={"refresh_token": SELLER.refresh_token},
    )
    assert order_import_run(integration_id=shop.pk).status == "ok"
    amazon.control(
        "POST",
        "authorizations/revoke",
        {"seller_id": SELLER.selling_partner_id, "application_id": defaults.APPLICATION_ID},
    )
    # The cached access token would still pass for an hour: the next exchange is refused.
    travel(clock, amazon, T0 + 2 * HOUR)
    result = order_import_run(integration_id=shop.pk)
    assert result.status == "failed"
    shop.refresh_from_db()
    assert shop.state == Integration.State.REVOKED
    assert integration_lifecycle_sweep().revoked_notified == [shop.pk]
    assert integration_lifecycle_sweep().revoked_notified == []

    panel = Client()
    panel.force_login(user)
    html = panel.get(reverse("web:shops")).content.decode()
    assert "Authorization revoked" in html
    assert reverse("web:shop_renew", args=[shop.pk]) in html and "Reconnect" in html

    start = panel.post(reverse("web:shop_renew", args=[shop.pk]))
    assert start.status_code == 302
    done = panel.get(consent(amazon, start["Location"]))
    assert done.status_code == 302
    shop.refresh_from_db()
    assert shop.state == Integration.State.ACTIVE
    assert order_import_run(integration_id=shop.pk).status == "ok"
