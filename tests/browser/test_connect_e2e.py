"""Connecting Amazon shops in a real browser, against the Amazon sandbox started in-process.

(i) Seller Central: the seller authorizes colis on the sandbox's consent page (its Confirm
button), comes back to colis, sees the three marketplaces seller #1 sells in, and connects
all three. (ii) MWS: the seller follows the instructions and types Seller ID and token.

With `COLIS_SCREENSHOTS=1` it refreshes docs/screenshots/connect-*.png and shops-*.png.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.accounts.models import User
from colis.integrations.models import Integration
from tests.helpers.services import REPO, chromium_path

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
# (reading what the panel created) stay plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SELLER = defaults.SELLER_1  # Bottega Sandbox: IT, DE, UK
IT, DE, UK = "APJ6JRA9NG5V4", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"
DEVELOPER_NAME = "colis Example GmbH"


@pytest.fixture
def browser() -> Iterator[Any]:
    executable = chromium_path()  # skips (or fails under CI) when chromium is absent
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def amazon(live_server: Any, settings: Any) -> Iterator[RunningSandbox]:
    """The sandbox, with colis' Amazon configuration pointed at it (COLIS_AMAZON_* settings)
    and the live server's callback registered as the application's redirect URI."""
    callback = f"{live_server.url}/integrations/amazon/callback"
    sb = start_sandbox(seed=1, orders=80, time_scale=1, rate_limits=False, redirect_uri=callback)
    settings.COLIS_AMAZON_SPAPI_URL = sb.url
    settings.COLIS_AMAZON_LWA_URL = sb.url
    settings.COLIS_AMAZON_SELLER_CENTRAL_URL = sb.url
    settings.COLIS_AMAZON_MWS_URL = sb.url
    settings.COLIS_AMAZON_APP_ID = defaults.APPLICATION_ID
    settings.COLIS_AMAZON_LWA_CLIENT_ID = defaults.LWA_CLIENT_ID
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = defaults.LWA_CLIENT_SECRET
    settings.COLIS_AMAZON_REDIRECT_URI = callback
    settings.COLIS_AMAZON_DEVELOPER_NAME = DEVELOPER_NAME
    settings.COLIS_AMAZON_DEVELOPER_ID = defaults.MWS_DEVELOPER_ID
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = defaults.MWS_ACCESS_KEY_ID
    settings.COLIS_AMAZON_MWS_SECRET_KEY = defaults.MWS_SECRET_KEY
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(email="bottega@example.test", ready=True)


@pytest.fixture
def page(browser: Any, live_server: Any, seller: User) -> Iterator[Any]:
    """A signed-in browser tab, 1280 wide, in English."""
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


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot, only when asked to (CI must not rewrite them)."""
    if os.environ.get("COLIS_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky sidebar follows the scroll
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def switch_language(page: Any, code: str) -> None:
    page.locator(f"form.lang-form button[name=language][value={code}]").first.click()
    page.wait_for_selector(f"html[lang={code}]")


def shoot_both(page: Any, name: str) -> None:
    """The page in English, then in French, then back to English."""
    if os.environ.get("COLIS_SCREENSHOTS") != "1":
        return
    shoot(page, f"{name}-en")
    switch_language(page, "fr")
    shoot(page, f"{name}-fr")
    switch_language(page, "en")


def connect_through_seller_central(
    page: Any, base: str, amazon: RunningSandbox, *, screenshots: bool = False
) -> str:
    """From the shops list to three connected shops, confirming on the sandbox's consent page."""
    page.goto(f"{base}/settings/shops/")
    page.locator("main a", has_text="Connect a shop").first.click()
    page.wait_for_selector("#connect-methods")
    if screenshots:
        shoot_both(page, "connect-choice")
    page.locator("#connect-oauth").click()
    page.fill("#oauth-form [name=name]", "Bottega")
    page.check("#oauth-form input[name=feedback_type][value=delayed]")
    page.locator("#oauth-form button[type=submit]").click()

    # --- on Amazon (the sandbox): choose seller #1 and confirm --------------------------------
    page.wait_for_selector("text=Authorize")
    assert page.url.startswith(f"{amazon.url}/apps/authorize/consent?")
    page.select_option("select[name=selling_partner_id]", SELLER.selling_partner_id)
    page.locator("button", has_text="Confirm").click()

    # --- back in colis: the marketplaces seller #1 sells in, all ticked -----------------------
    page.wait_for_selector("#pending-form")
    boxes = page.locator("#pending-form input[name=marketplace_ids]")
    assert sorted(boxes.nth(i).get_attribute("value") for i in range(boxes.count())) == sorted(
        [IT, DE, UK]
    )
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    if screenshots:
        shoot_both(page, "connect-pending")
    pending_url = page.url
    page.locator("#pending-form button[type=submit]").click()
    page.wait_for_selector("#integrations")
    return str(pending_url)


def test_connect_three_marketplaces_through_seller_central(
    page: Any, live_server: Any, amazon: RunningSandbox, seller: User
) -> None:
    base = live_server.url
    pending_url = connect_through_seller_central(page, base, amazon, screenshots=True)

    shops = Integration.objects.filter(account=seller.account)
    assert sorted(s.marketplace_id for s in shops) == sorted([IT, DE, UK])
    assert {s.auth_kind for s in shops} == {"spapi_oauth"}
    assert {s.feedback_type for s in shops} == {"delayed"}
    assert page.locator("#integrations tbody tr[data-state=active]").count() == 3
    assert page.locator(".messages").inner_text().startswith("3 shops connected")
    badges = page.locator("#integrations [data-badge=state]")
    assert {badges.nth(i).inner_text() for i in range(3)} == {"Active"}  # words, not colour
    shoot_both(page, "shops-connected")

    # the pending connection cannot be used twice (back to it after connecting)
    page.goto(pending_url)
    assert page.locator("#try-again").is_visible()
    assert Integration.objects.filter(account=seller.account).count() == 3


def test_connect_with_mws_credentials(
    page: Any, live_server: Any, amazon: RunningSandbox, seller: User
) -> None:
    base = live_server.url
    page.goto(f"{base}/integrations/amazon/connect/")
    page.locator("#connect-mws").click()
    page.wait_for_selector("#mws-instructions")
    assert page.locator("#developer-name").inner_text() == DEVELOPER_NAME
    assert page.locator("#developer-id").inner_text() == defaults.MWS_DEVELOPER_ID
    shoot_both(page, "connect-mws")

    # a wrong token: the error sits next to its field, the token is not sent back
    page.fill("#mws-form [name=name]", "Bottega")
    page.fill("#mws-form [name=seller_id]", SELLER.selling_partner_id)
    page.select_option("#mws-form [name=marketplace_id]", DE)
    page.fill("#mws-form [name=mws_auth_token]", "amzn.mws.not-a-token")
    page.locator("#mws-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert page.locator("#mws-form [name=mws_auth_token]").input_value() == ""
    assert page.locator("#mws-form [name=seller_id]").input_value() == SELLER.selling_partner_id
    assert not Integration.objects.filter(account=seller.account).exists()

    page.fill("#mws-form [name=mws_auth_token]", SELLER.mws_auth_token)
    page.locator("#mws-form button[type=submit]").click()
    page.wait_for_selector("#integrations")
    shop = Integration.objects.get(account=seller.account)
    assert (shop.auth_kind, shop.marketplace_id, shop.seller_id) == (
        "mws",
        DE,
        SELLER.selling_partner_id,
    )
    row = page.locator(f"#integrations tr[data-integration='{shop.pk}']")
    assert "MWS credentials" in row.inner_text() and "Amazon.de" in row.inner_text()
