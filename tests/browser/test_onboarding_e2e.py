"""A new seller's first visit, in a real browser: sign up, verify the e-mail, onboard.

Drives Debian's chromium through Playwright against pytest-django's live server. With
`COLIS_SCREENSHOTS=1` it also refreshes the screenshots in docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.services import REPO, chromium_path

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test body (reading the outbox) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = REPO / "docs" / "screenshots"
EMAIL = "neue.haendlerin@example.test"
PASSWORD = "Versand-2026-sicher!"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


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


@pytest.fixture(autouse=True)
def _panel_settings(settings: Any) -> None:
    settings.EMAIL_BACKEND = "colis.notifications.outbox.OutboxEmailBackend"
    settings.ACCOUNT_RATE_LIMITS = False


def shoot(page: Any, name: str) -> None:
    """Save a full-page screenshot, only when asked to (CI must not rewrite them)."""
    if os.environ.get("COLIS_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def switch_language(page: Any, code: str) -> None:
    page.locator(f"form.lang-form button[name=language][value={code}]").first.click()
    page.wait_for_selector(f"html[lang={code}]")


def verification_link(email: str) -> str:
    from colis.notifications.models import OutboxMessage

    for message in OutboxMessage.objects.all():
        if email in message.recipients():
            match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
            if match:
                return match.group(0)
    raise AssertionError(f"no verification e-mail to {email} in the outbox")


def steps_done(page: Any) -> dict[str, bool]:
    items = page.locator("[data-step]")
    return {
        items.nth(i).get_attribute("data-step"): items.nth(i).get_attribute("data-done") == "true"
        for i in range(items.count())
    }


def fill_address(page: Any, **values: str) -> None:
    for name, value in values.items():
        field = page.locator(f"#address-form [name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("#address-form button[type=submit]").click()


def test_new_seller_signs_up_verifies_and_onboards(live_server: Any, browser: Any) -> None:
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()

    # --- sign up -------------------------------------------------------------------------
    page.goto(f"{base}/accounts/signup/")
    assert page.locator("h1").inner_text() == "Create your colis account"
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_selector("text=Check your inbox")

    # --- the verification e-mail waits in the outbox -----------------------------------------
    link = verification_link(EMAIL)
    assert link.startswith(base)
    page.goto(link)
    page.locator("#confirm-email-form button[type=submit]").click()

    # --- the checklist: only the e-mail is done, no shop can be connected yet -----------------
    page.wait_for_selector("#onboarding-checklist")
    assert page.url.rstrip("/") == base
    assert steps_done(page) == {
        "email_verified": True,
        "sender_address": False,
        "return_address": False,
        "billing_address": False,
        "direct_debit": False,
    }
    assert page.locator("#connect-shop").is_disabled()

    # --- sender address: a rejected form shows its errors next to the fields ------------------
    page.goto(f"{base}/settings/addresses/new/?kind=sender")
    page.locator("#address-form button[type=submit]").click()
    page.wait_for_selector(
        "#address-form .errorlist"
    )  # count() alone would not wait for the reload
    assert page.locator("#address-form [aria-invalid=true]").count() > 0
    fill_address(
        page,
        name="Lager Berlin",
        company="Beispiel GmbH",
        street="Hauptstraße 1",
        postal_code="10115",
        city="Berlin",
        country="DE",
        phone="+49 30 1234567",
        email="lager@example.test",
    )
    page.wait_for_selector("#sender-addresses [data-address-id]")

    # --- returns go to the sender address ---------------------------------------------------
    page.locator("#return-same-as-sender button[type=submit]").click()
    page.wait_for_selector("#return-address .badge")

    # --- billing address with a VAT number ------------------------------------------------------
    page.goto(f"{base}/settings/addresses/new/?kind=billing")
    fill_address(
        page,
        name="Beispiel GmbH",
        street="Hauptstraße 1",
        postal_code="10115",
        city="Berlin",
        country="DE",
        vat_number="DE123456789",
    )
    page.wait_for_selector("#billing-address address")
    shoot(page, "addresses-en")

    # --- direct debit: the form, in English and in French, then signed ---------------------------
    page.goto(f"{base}/settings/direct-debit/")
    page.wait_for_selector("#mandate-form")
    shoot(page, "direct-debit-en")
    switch_language(page, "fr")
    assert page.locator("h1").inner_text() == "Prélèvement SEPA"
    shoot(page, "direct-debit-fr")
    page.fill("#mandate-form [name=account_holder]", "Beispiel GmbH")
    page.fill("#mandate-form [name=iban]", "DE89 3704 0044 0532 0130 00")
    page.fill("#mandate-form [name=bic]", "COBADEFFXXX")
    page.check("#mandate-form [name=accept]")
    page.locator("#mandate-form button[type=submit]").click()
    page.wait_for_selector("#mandate")

    # --- everything is done: the shop can be connected ------------------------------------------
    page.goto(f"{base}/")
    assert all(steps_done(page).values()), steps_done(page)
    connect = page.locator("a#connect-shop")
    assert connect.is_visible() and connect.is_enabled()
    shoot(page, "onboarding-checklist-fr")
    page.goto(f"{base}/settings/addresses/")
    shoot(page, "addresses-fr")

    switch_language(page, "en")
    page.goto(f"{base}/")
    assert page.locator("h1").inner_text() == "Getting started"
    shoot(page, "onboarding-checklist-en")

    # --- keyboard: the first Tab reaches the skip link, which shows itself and jumps to <main>
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # moved on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # --- the API agrees, with the browser's session ----------------------------------------------
    response = page.request.get(f"{base}/api/v1/onboarding")
    assert response.status == 200
    body = response.json()
    assert body["ready"] is True and body["missing"] == []

    # --- mobile width: the navigation folds behind a button ---------------------------------------
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{base}/")
    toggle = page.locator("[data-nav-toggle]")
    assert toggle.is_visible()
    assert not page.locator("#panel-nav").is_visible()
    shoot(page, "onboarding-checklist-mobile-en")
    for path in ["/", "/account/", "/settings/addresses/", "/settings/direct-debit/"]:
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways at 375px ({width}px)"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#panel-nav").is_visible()
    page.locator("#panel-nav a", has_text="Parcels").click()
    page.wait_for_selector("h1:has-text('Parcels')")
    context.close()
