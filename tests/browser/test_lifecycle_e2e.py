"""An authorization's year in a real browser, on a driven clock, against the Amazon sandbox:
the reminder (notifications page and the bell), the expired shop, the renewal (MWS: the same
token, renewed on Amazon's side first) and the shop active again.

With `COLIS_SCREENSHOTS=1` it refreshes docs/screenshots/authorization-*.png (EN and FR).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from django.conf import settings as django_settings
from django.test import Client

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.accounts.models import User
from colis.integrations import services
from colis.integrations.lifecycle import integration_lifecycle_sweep
from colis.integrations.models import Integration
from colis.orders.services import order_import_run
from tests.browser.test_connect_e2e import CHROMIUM_ARGS, shoot, switch_language
from tests.helpers.services import chromium_path

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELLER = defaults.SELLER_1
DE = "A1PA6795UKMFR9"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
YEAR = dt.timedelta(days=365)
DAY = dt.timedelta(days=1)


class Clock:
    def __init__(self, sandbox: RunningSandbox) -> None:
        self.current = T0
        self.sandbox = sandbox

    def now(self) -> dt.datetime:
        return self.current

    def set(self, when: dt.datetime) -> None:
        self.current = when
        httpx.post(
            self.sandbox.url + "/_sandbox/clock",
            json={"set": when.strftime("%Y-%m-%dT%H:%M:%SZ")},
            timeout=10,
        ).raise_for_status()


@pytest.fixture
def browser() -> Iterator[Any]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def amazon(settings: Any) -> Iterator[RunningSandbox]:
    sb = start_sandbox(seed=1, orders=60, rate_limits=False, start_time=T0)
    settings.COLIS_AMAZON_MWS_URL = sb.url
    settings.COLIS_AMAZON_SPAPI_URL = sb.url
    settings.COLIS_AMAZON_LWA_URL = sb.url
    settings.COLIS_AMAZON_APP_ID = ""  # MWS only
    settings.COLIS_AMAZON_DEVELOPER_NAME = "colis Example GmbH"
    settings.COLIS_AMAZON_DEVELOPER_ID = defaults.MWS_DEVELOPER_ID
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = defaults.MWS_ACCESS_KEY_ID
    settings.COLIS_AMAZON_MWS_SECRET_KEY = defaults.MWS_SECRET_KEY
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def clock(amazon: RunningSandbox, monkeypatch: pytest.MonkeyPatch) -> Clock:
    driven = Clock(amazon)
    monkeypatch.setattr("colis.common.clock.now", driven.now)
    return driven


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(email="bottega@example.test", ready=True)


@pytest.fixture
def page(browser: Any, live_server: Any, seller: User) -> Iterator[Any]:
    client = Client()
    client.force_login(seller)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def shoot_both(page: Any, name: str) -> None:
    shoot(page, f"{name}-en")
    switch_language(page, "fr")
    shoot(page, f"{name}-fr")
    switch_language(page, "en")


def test_reminder_expiry_and_renewal_in_the_panel(
    page: Any, live_server: Any, seller: User, amazon: RunningSandbox, clock: Clock
) -> None:
    base = live_server.url
    shop = services.integration_create_mws(
        account=seller.account,
        user=seller,
        name="Bottega",
        seller_id=SELLER.selling_partner_id,
        marketplace_id=DE,
        mws_auth_token=SELLER.mws_auth_token,
        feedback_type="eager",
        import_weight=False,
    )
    expiry = T0 + YEAR
    assert shop.expires_at == expiry
    assert order_import_run(integration_id=shop.pk).status == "ok"

    # 30 days before: the reminder, in the panel and the bell.
    clock.set(expiry - 30 * DAY)
    assert integration_lifecycle_sweep().reminders == [(shop.pk, 30)]
    page.goto(f"{base}/notifications/")
    bell = page.locator("nav .nav-count")
    assert bell.inner_text().strip().startswith("1")
    card = page.locator("#notifications [data-kind=authorization_reminder]")
    assert "March 2, 2027" in card.inner_text()
    shoot_both(page, "authorization-reminder")
    page.goto(f"{base}/settings/shops/")
    assert "Authorization expires" in page.locator("#integrations").inner_text()
    shoot_both(page, "authorization-shops")

    # The expiry date: the shop is expired, imports wait.
    clock.set(expiry)
    httpx.post(
        amazon.url + "/_sandbox/authorizations/expire",
        json={"seller_id": SELLER.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID},
        timeout=10,
    ).raise_for_status()
    assert integration_lifecycle_sweep().expired == [shop.pk]
    page.goto(f"{base}/settings/shops/")
    row = page.locator(f"tr[data-integration='{shop.pk}']")
    assert row.get_attribute("data-state") == "expired"
    assert "Expired on" in row.inner_text()
    shoot_both(page, "authorization-expired")

    # The seller renews in Seller Central (sandbox control), then in colis.
    clock.set(expiry + 2 * DAY)
    httpx.post(
        amazon.url + "/_sandbox/authorizations/renew",
        json={"seller_id": SELLER.selling_partner_id, "developer_id": defaults.MWS_DEVELOPER_ID},
        timeout=10,
    ).raise_for_status()
    row.locator("[data-action=renew]").click()
    page.wait_for_selector("#renew-confirm")
    shoot_both(page, "authorization-renew")
    switch_language(page, "fr")
    page.locator("#confirm-renew").click()
    page.wait_for_selector("ul.messages")
    shoot(page, "authorization-renewed-fr")
    switch_language(page, "en")
    shoot(page, "authorization-renewed-en")
    shop.refresh_from_db()
    assert shop.state == Integration.State.ACTIVE
    assert shop.expires_at == expiry + 2 * DAY + YEAR
    assert shop.credentials == {"mws_auth_token": SELLER.mws_auth_token}
    assert page.locator("nav .nav-count").count() == 0  # resolved: read
    assert page.locator(f"tr[data-integration='{shop.pk}']").get_attribute("data-state") == (
        "active"
    )
