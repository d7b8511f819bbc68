"""Connected shops in the panel: the onboarding gate, the three ways to connect Amazon (against
the real sandbox on loopback), the marketplace choice, the list, edit, sync, re-import and
disconnect; field errors with nothing saved; 404 for another account's shop."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from colis.accounts.models import Account, User
from colis.integrations.models import Integration, OAuthState, PendingConnection

SELLER = defaults.SELLER_1  # sells in IT, DE and UK
IT, DE, UK = "APJ6JRA9NG5V4", "A1PA6795UKMFR9", "A1F83G8C2ARO7P"
CALLBACK = "http://testserver/integrations/amazon/callback"
DEVELOPER_NAME = "colis test instance"

CONNECT_URLS = [
    "web:shop_connect_amazon",
    "web:shop_connect_oauth",
    "web:shop_connect_self",
    "web:shop_connect_mws",
]


def point_at(settings: Any, url: str) -> None:
    """colis' Amazon configuration aimed at the sandbox (the COLIS_AMAZON_* overrides)."""
    settings.COLIS_AMAZON_SPAPI_URL = url
    settings.COLIS_AMAZON_LWA_URL = url
    settings.COLIS_AMAZON_SELLER_CENTRAL_URL = url
    settings.COLIS_AMAZON_MWS_URL = url
    settings.COLIS_AMAZON_APP_ID = defaults.APPLICATION_ID
    settings.COLIS_AMAZON_LWA_CLIENT_ID = defaults.LWA_CLIENT_ID
    settings.COLIS_AMAZON_LWA_CLIENT_SECRET = defaults.LWA_CLIENT_SECRET
    settings.COLIS_AMAZON_REDIRECT_URI = CALLBACK
    settings.COLIS_AMAZON_DEVELOPER_NAME = DEVELOPER_NAME
    settings.COLIS_AMAZON_DEVELOPER_ID = defaults.MWS_DEVELOPER_ID
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = defaults.MWS_ACCESS_KEY_ID
    settings.COLIS_AMAZON_MWS_SECRET_KEY = defaults.MWS_SECRET_KEY


@pytest.fixture
def running_sandbox() -> Iterator[RunningSandbox]:
    """A fresh sandbox per test: consent rotates refresh tokens and tests move its clock."""
    sb = start_sandbox(seed=3, orders=30, time_scale=1, rate_limits=False, redirect_uri=CALLBACK)
    yield sb
    sb.stop()


@pytest.fixture
def sandbox(running_sandbox: RunningSandbox, settings: Any) -> RunningSandbox:
    point_at(settings, running_sandbox.url)
    return running_sandbox


@pytest.fixture
def seller(make_user: Callable[..., User]) -> User:
    return make_user(ready=True)


@pytest.fixture
def panel(seller: User) -> Client:
    client = Client()
    client.force_login(seller)
    return client


def account_of(user: User) -> Account:
    assert user.account is not None
    return user.account


def make_integration(account: Account, **extra: Any) -> Integration:
    values: dict[str, Any] = {
        "name": "Bottega IT",
        "auth_kind": Integration.AuthKind.SPAPI_OAUTH,
        "seller_id": SELLER.selling_partner_id,
        "marketplace_id": IT,
        "country_code": "IT",
        "region": "EU",
        "credentials": {"refresh_token": SELLER.refresh_token},
        "authorized_at": timezone.now(),
        "expires_at": timezone.now() + dt.timedelta(days=365),
    }
    values.update(extra)
    return Integration.objects.create(account=account, **values)


def nothing_connected(account: Account) -> bool:
    return not (
        Integration.objects.filter(account=account).exists()
        or PendingConnection.objects.filter(account=account).exists()
        or OAuthState.objects.filter(account=account).exists()
    )


def consent(
    sandbox: RunningSandbox, consent_url: str, seller_id: str = SELLER.selling_partner_id
) -> str:
    """Play the seller on Seller Central: open the consent page, confirm; the redirect back."""
    assert consent_url.startswith(sandbox.url + "/apps/authorize/consent?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(consent_url).query).items()}
    with httpx.Client(base_url=sandbox.url) as http:
        assert http.get(consent_url).status_code == 200
        response = http.post(
            "/apps/authorize/confirm",
            data={
                "application_id": query["application_id"],
                "state": query["state"],
                "redirect_uri": query.get("redirect_uri", ""),
                "version": query.get("version", ""),
                "selling_partner_id": seller_id,
                "confirm": "1",
            },
        )
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(CALLBACK)
    return location.removeprefix("http://testserver")


def start_oauth(panel: Client, name: str = "Bottega") -> str:
    response = panel.post(
        reverse("web:shop_connect_oauth"),
        {"name": name, "feedback_type": "delayed", "import_weight": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


# --- the onboarding gate ------------------------------------------------------------------


@pytest.mark.parametrize("name", CONNECT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_connecting_waits_for_onboarding(
    make_user: Callable[..., User], sandbox: RunningSandbox, name: str, method: str
) -> None:
    user = make_user()  # e-mail verified, no addresses, no mandate
    client = Client()
    client.force_login(user)
    data = {
        "name": "Bottega",
        "feedback_type": "eager",
        "import_weight": "on",
        "seller_id": SELLER.selling_partner_id,
        "marketplace_id": IT,
        "mws_auth_token": SELLER.mws_auth_token,
        "lwa_client_id": defaults.LWA_CLIENT_ID,
        "lwa_client_secret": defaults.LWA_CLIENT_SECRET,
        "refresh_token": SELLER.refresh_token,
    }
    response = getattr(client, method)(reverse(name), data if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    page = client.get(response["Location"]).content.decode()
    assert "Finish onboarding first" in page and "Add a sender address" in page
    assert nothing_connected(account_of(user))


def test_callback_waits_for_onboarding(
    make_user: Callable[..., User], sandbox: RunningSandbox
) -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    response = client.get(
        reverse("web:shop_oauth_callback"),
        {
            "state": "x" * 40,
            "selling_partner_id": SELLER.selling_partner_id,
            "spapi_oauth_code": "c",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:dashboard")


def test_shops_list_says_what_is_missing_before_onboarding(make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user())
    html = client.get(reverse("web:shops")).content.decode()
    assert 'id="onboarding-missing"' in html and "Add a sender address" in html


@pytest.mark.parametrize("name", CONNECT_URLS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_connect_pages_render(
    panel: Client, sandbox: RunningSandbox, name: str, language: str
) -> None:
    panel.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = panel.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'aria-current="page"' in html  # "Connected shops" stays highlighted


def test_choice_says_which_ways_this_instance_lacks(panel: Client, settings: Any) -> None:
    settings.COLIS_AMAZON_APP_ID = ""
    settings.COLIS_AMAZON_MWS_ACCESS_KEY = ""
    html = panel.get(reverse("web:shop_connect_amazon")).content.decode()
    assert 'data-unavailable="oauth"' in html and 'data-unavailable="mws"' in html
    assert 'id="connect-oauth"' not in html and 'id="connect-mws"' not in html
    assert 'id="connect-self"' in html  # the seller's own app needs nothing from the operator


@pytest.mark.parametrize("language", ["en", "fr"])
def test_mws_page_names_this_instances_developer(
    panel: Client, sandbox: RunningSandbox, language: str
) -> None:
    panel.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = panel.get(reverse("web:shop_connect_mws")).content.decode()
    assert f'id="developer-name">{DEVELOPER_NAME}<' in html
    assert f'id="developer-id">{defaults.MWS_DEVELOPER_ID}<' in html
    if language == "en":
        assert "User Permissions" in html and "Authorize a developer" in html
    else:
        assert "Autorisations utilisateur" in html and "Autoriser un développeur" in html
    assert f'value="{IT}"' in html and "Amazon.it" in html  # a select of known marketplaces


# --- Seller Central (OAuth) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "feedback_type": "eager"},
        {"name": "   ", "feedback_type": "eager"},
        {"name": "Bottega", "feedback_type": "sometimes"},
        {"name": "B" * 81, "feedback_type": "eager"},
        {"name": "Bottega"},
    ],
)
def test_oauth_start_bad_input(
    panel: Client, seller: User, sandbox: RunningSandbox, data: dict[str, str]
) -> None:
    response = panel.post(reverse("web:shop_connect_oauth"), data)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert nothing_connected(account_of(seller))


def test_oauth_round_trip_to_three_shops(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    consent_url = start_oauth(panel)
    back = consent(sandbox, consent_url)
    response = panel.get(back)
    assert response.status_code == 302
    pending = PendingConnection.objects.get(account=account_of(seller))
    assert pending.seller_id == SELLER.selling_partner_id
    assert response["Location"] == reverse("web:shop_pending", args=[pending.pk])

    page = panel.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    for marketplace in (IT, DE, UK):
        assert re.search(rf'<input[^>]*value="{marketplace}"[^>]*checked', html), marketplace
    assert "Amazon.it" in html and "Amazon.de" in html and "Amazon.co.uk" in html

    done = panel.post(response["Location"], {"marketplace_ids": [IT, DE, UK]})
    assert done.status_code == 302 and done["Location"] == reverse("web:shops")
    shops = Integration.objects.filter(account=account_of(seller))
    assert sorted(s.marketplace_id for s in shops) == sorted([IT, DE, UK])
    assert {s.feedback_type for s in shops} == {"delayed"}
    html = panel.get(reverse("web:shops")).content.decode()
    assert html.count('data-state="active"') == 3
    assert "3 shops connected" in html

    # the pending connection is used up: posting again creates nothing
    again = panel.post(response["Location"], {"marketplace_ids": [IT]})
    assert again.status_code == 400
    assert 'id="try-again"' in again.content.decode()
    assert shops.count() == 3


def test_oauth_callback_replay_is_refused(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    back = consent(sandbox, start_oauth(panel))
    assert panel.get(back).status_code == 302
    replay = panel.get(back)
    assert replay.status_code == 400
    html = replay.content.decode()
    assert "already used" in html
    assert f'id="try-again" href="{reverse("web:shop_connect_oauth")}"' in html
    assert PendingConnection.objects.filter(account=account_of(seller)).count() == 1


def test_oauth_state_mismatch_is_refused(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    back = consent(sandbox, start_oauth(panel))
    forged = re.sub(r"state=[^&]+", "state=forged-state-value", back)
    response = panel.get(forged)
    assert response.status_code == 400
    assert 'id="try-again"' in response.content.decode()
    assert not PendingConnection.objects.filter(account=account_of(seller)).exists()


def test_oauth_state_from_another_browser_is_refused(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    back = consent(sandbox, start_oauth(panel))
    other_browser = Client()
    other_browser.force_login(seller)
    response = other_browser.get(back)
    assert response.status_code == 400
    assert not PendingConnection.objects.filter(account=account_of(seller)).exists()


def test_oauth_expired_code_is_refused(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    back = consent(sandbox, start_oauth(panel))
    with httpx.Client(base_url=sandbox.url) as http:
        http.post("/_sandbox/clock", json={"advance_seconds": 600}).raise_for_status()
    response = panel.get(back)
    assert response.status_code == 400
    assert 'id="try-again"' in response.content.decode()
    assert not PendingConnection.objects.filter(account=account_of(seller)).exists()


@pytest.mark.parametrize(
    "query",
    [
        {"error": "access_denied", "error_description": "The seller declined", "state": "s"},
        {"error": "server_error"},
        {"state": "s", "selling_partner_id": SELLER.selling_partner_id},  # no code
        {},
    ],
)
def test_oauth_callback_errors_from_amazon(
    panel: Client, seller: User, sandbox: RunningSandbox, query: dict[str, str]
) -> None:
    response = panel.get(reverse("web:shop_oauth_callback"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="try-again"' in html
    if query.get("error") == "access_denied":
        assert "You declined the authorization" in html
    assert not PendingConnection.objects.filter(account=account_of(seller)).exists()


@pytest.mark.parametrize("choice", [[], ["A13V1IB3VIYZZH"], ["nonsense"]])
def test_pending_needs_a_marketplace_it_offers(
    panel: Client, seller: User, sandbox: RunningSandbox, choice: list[str]
) -> None:
    panel.get(consent(sandbox, start_oauth(panel)))
    pending = PendingConnection.objects.get(account=account_of(seller))
    response = panel.post(
        reverse("web:shop_pending", args=[pending.pk]), {"marketplace_ids": choice}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not Integration.objects.filter(account=account_of(seller)).exists()


def test_connecting_a_connected_marketplace_again_says_so(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    make_integration(account_of(seller), name="Already here")
    panel.get(consent(sandbox, start_oauth(panel)))
    pending = PendingConnection.objects.get(account=account_of(seller))
    response = panel.post(
        reverse("web:shop_pending", args=[pending.pk]), {"marketplace_ids": [IT, DE]}
    )
    assert response.status_code == 400
    assert "already" in response.content.decode()
    assert Integration.objects.filter(account=account_of(seller)).count() == 1


# --- self-authorized app ------------------------------------------------------------------

SELF_OK = {
    "lwa_client_id": defaults.LWA_CLIENT_ID,
    "lwa_client_secret": defaults.LWA_CLIENT_SECRET,
    "refresh_token": SELLER.refresh_token,
    "seller_id": SELLER.selling_partner_id,
    "name": "Bottega",
    "feedback_type": "eager",
    "import_weight": "on",
}


def test_self_authorized_app_leads_to_the_marketplaces(
    panel: Client, seller: User, sandbox: RunningSandbox
) -> None:
    response = panel.post(reverse("web:shop_connect_self"), SELF_OK)
    assert response.status_code == 302
    pending = PendingConnection.objects.get(account=account_of(seller))
    assert response["Location"] == reverse("web:shop_pending", args=[pending.pk])
    html = panel.get(response["Location"]).content.decode()
    assert all(f'value="{m}"' in html for m in (IT, DE, UK))


@pytest.mark.parametrize(
    "change",
    [
        {"lwa_client_id": ""},
        {"lwa_client_id": "not-a-client-id"},
        {"lwa_client_secret": ""},
        {"refresh_token": "no-prefix-token"},
        {"seller_id": "B123"},
        {"name": ""},
        {"feedback_type": "x"},
        {"lwa_client_secret": "amzn1.oa2-cs.v1.wrong-secret"},  # Amazon says no
    ],
)
def test_self_authorized_bad_input(
    panel: Client, seller: User, sandbox: RunningSandbox, change: dict[str, str]
) -> None:
    response = panel.post(reverse("web:shop_connect_self"), {**SELF_OK, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    # secrets are never sent back to the browser
    assert defaults.LWA_CLIENT_SECRET not in html and SELLER.refresh_token not in html
    assert "amzn1.oa2-cs.v1.wrong-secret" not in html
    assert response["Cache-Control"] == "no-store"
    assert nothing_connected(account_of(seller))


# --- MWS ----------------------------------------------------------------------------------

MWS_OK = {
    "name": "Bottega",
    "seller_id": SELLER.selling_partner_id,
    "marketplace_id": DE,
    "mws_auth_token": SELLER.mws_auth_token,
    "feedback_type": "none",
    "import_weight": "on",
}


def test_mws_connects_one_shop(panel: Client, seller: User, sandbox: RunningSandbox) -> None:
    response = panel.post(reverse("web:shop_connect_mws"), MWS_OK)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("web:shops")
    shop = Integration.objects.get(account=account_of(seller))
    assert (shop.auth_kind, shop.marketplace_id, shop.feedback_type) == ("mws", DE, "none")
    html = panel.get(reverse("web:shops")).content.decode()
    assert "MWS credentials" in html and "Amazon.de" in html


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"seller_id": ""},
        {"seller_id": "lowercase-id"},
        {"seller_id": "B1SBXSELLERIT1"},  # not Amazon's shape
        {"marketplace_id": ""},
        {"marketplace_id": "XX"},
        {"mws_auth_token": ""},
        {"mws_auth_token": "amzn.mws.not-a-uuid"},
        {"mws_auth_token": "amzn.mws.00000000-0000-0000-0000-000000000000"},  # Amazon says no
        {"marketplace_id": "A13V1IB3VIYZZH"},  # France: seller 1 does not sell there
        {"feedback_type": ""},
    ],
)
def test_mws_bad_input(
    panel: Client, seller: User, sandbox: RunningSandbox, change: dict[str, str]
) -> None:
    response = panel.post(reverse("web:shop_connect_mws"), {**MWS_OK, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert SELLER.mws_auth_token not in html
    assert nothing_connected(account_of(seller))


# --- the list -----------------------------------------------------------------------------


def test_shops_list_shows_state_expiry_health_and_actions(panel: Client, seller: User) -> None:
    account = account_of(seller)
    now = timezone.now()
    active = make_integration(account, name="Bottega IT", imported_orders=42, last_success_at=now)
    make_integration(account, name="Bottega DE", marketplace_id=DE, state="expired")
    make_integration(account, name="Bottega UK", marketplace_id=UK, state="revoked")
    make_integration(account, name="Old FR", marketplace_id="A13V1IB3VIYZZH", state="disconnected")
    failing = make_integration(
        account,
        name="Bottega ES",
        marketplace_id="A1RKKUPIHCS9HS",
        seller_id="A2SBXSELLERFR2",
        consecutive_failures=3,
        failing_since=now - dt.timedelta(hours=1),
        last_error="Amazon did not answer in time. colis tries again in 10 minutes.",
    )
    html = panel.get(reverse("web:shops")).content.decode()
    for text in ("Active", "Authorization expired", "Authorization revoked", "Disconnected"):
        assert f">{text}</span>" in html  # the state in words, not colour alone
    assert "Amazon.it (IT)" in html and "Amazon.co.uk (UK)" in html
    row = html.split(f'data-integration="{active.pk}"')[1].split("</tr>")[0]
    assert ">42<" in row
    assert reverse("web:shop_edit", args=[active.pk]) in row
    assert reverse("web:shop_sync", args=[active.pk]) in row
    assert reverse("web:shop_reimport", args=[active.pk]) in row
    assert reverse("web:shop_disconnect", args=[active.pk]) in row
    assert (active.expires_at or now).strftime("%Y") in row
    row = html.split(f'data-integration="{failing.pk}"')[1].split("</tr>")[0]
    assert 'data-failing="1"' in row and "Import failing" in row
    assert "Amazon did not answer in time" in row
    assert 'data-action="retry"' in row
    assert reverse("web:shop_connect_amazon") in html


def test_empty_shops_list_invites_to_connect(panel: Client) -> None:
    html = panel.get(reverse("web:shops")).content.decode()
    assert "No connected shop yet" in html
    assert reverse("web:shop_connect_amazon") in html


# --- edit ---------------------------------------------------------------------------------

EDIT_OK = {
    "name": "Bottega Italia",
    "feedback_type": "delayed",
    "import_weight": "on",
    "use_default_weight": "on",
    "default_weight_grams": "500",
    "first_import_days": "30",
    "import_interval_minutes": "10",
    "import_afn": "on",
    "hold_prime": "on",
}


def test_edit_saves_every_setting(panel: Client, seller: User) -> None:
    shop = make_integration(account_of(seller))
    page = panel.get(reverse("web:shop_edit", args=[shop.pk]))
    assert page.status_code == 200 and 'value="Bottega IT"' in page.content.decode()
    response = panel.post(reverse("web:shop_edit", args=[shop.pk]), EDIT_OK)
    assert response.status_code == 302 and response["Location"] == reverse("web:shops")
    shop.refresh_from_db()
    assert shop.name == "Bottega Italia" and shop.feedback_type == "delayed"
    assert shop.default_weight_grams == 500 and shop.first_import_days == 30
    assert shop.import_interval_minutes == 10 and shop.import_afn and shop.hold_prime
    # the default weight is opt-in: unticking clears it
    data = {k: v for k, v in EDIT_OK.items() if k != "use_default_weight"}
    panel.post(reverse("web:shop_edit", args=[shop.pk]), data)
    shop.refresh_from_db()
    assert shop.default_weight_grams is None


@pytest.mark.parametrize(
    "change",
    [
        {"name": ""},
        {"feedback_type": "later"},
        {"default_weight_grams": ""},  # ticked but empty
        {"default_weight_grams": "0"},
        {"default_weight_grams": "80000"},
        {"default_weight_grams": "heavy"},
        {"first_import_days": "0"},
        {"first_import_days": "400"},
        {"import_interval_minutes": "0"},
        {"import_interval_minutes": "ten"},
    ],
)
def test_edit_bad_input(panel: Client, seller: User, change: dict[str, str]) -> None:
    shop = make_integration(account_of(seller))
    before = Integration.objects.filter(pk=shop.pk).values().get()
    response = panel.post(reverse("web:shop_edit", args=[shop.pk]), {**EDIT_OK, **change})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    after = Integration.objects.filter(pk=shop.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


# --- sync, re-import, disconnect ----------------------------------------------------------


def test_sync_now_enqueues_an_import(
    panel: Client, seller: User, django_capture_on_commit_callbacks: Any
) -> None:
    shop = make_integration(account_of(seller))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = panel.post(reverse("web:shop_sync", args=[shop.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:shops")
    assert len(callbacks) == 1
    assert "started" in panel.get(reverse("web:shops")).content.decode()


def test_sync_of_an_expired_shop_says_why(
    panel: Client, seller: User, django_capture_on_commit_callbacks: Any
) -> None:
    shop = make_integration(account_of(seller), state="expired")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = panel.post(reverse("web:shop_sync", args=[shop.pk]))
    assert response.status_code == 302
    assert not callbacks
    assert "reconnect" in panel.get(reverse("web:shops")).content.decode()


def test_sync_needs_post(panel: Client, seller: User) -> None:
    shop = make_integration(account_of(seller))
    assert panel.get(reverse("web:shop_sync", args=[shop.pk])).status_code == 405


def test_reimport_from_a_date(
    panel: Client, seller: User, django_capture_on_commit_callbacks: Any
) -> None:
    shop = make_integration(account_of(seller))
    page = panel.get(reverse("web:shop_reimport", args=[shop.pk]))
    assert page.status_code == 200 and 'type="date"' in page.content.decode()
    since = (timezone.now() - dt.timedelta(days=20)).date().isoformat()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = panel.post(reverse("web:shop_reimport", args=[shop.pk]), {"since": since})
    assert response.status_code == 302
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "since",
    [
        "",
        "yesterday",
        "2026-13-45",
        (timezone.now() + dt.timedelta(days=2)).date().isoformat(),
        (timezone.now() - dt.timedelta(days=400)).date().isoformat(),
    ],
)
def test_reimport_bad_date(
    panel: Client, seller: User, django_capture_on_commit_callbacks: Any, since: str
) -> None:
    shop = make_integration(account_of(seller))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = panel.post(reverse("web:shop_reimport", args=[shop.pk]), {"since": since})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert not callbacks


def test_disconnect_asks_first(panel: Client, seller: User) -> None:
    shop = make_integration(account_of(seller))
    page = panel.get(reverse("web:shop_disconnect", args=[shop.pk]))
    assert page.status_code == 200 and 'id="confirm-disconnect"' in page.content.decode()
    shop.refresh_from_db()
    assert shop.state == "active"
    response = panel.post(reverse("web:shop_disconnect", args=[shop.pk]))
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.state == "disconnected" and shop.credentials is None
    # a disconnected shop has nothing left to edit or disconnect
    assert panel.get(reverse("web:shop_edit", args=[shop.pk])).status_code == 404
    assert panel.get(reverse("web:shop_disconnect", args=[shop.pk])).status_code == 404


# --- not yours ----------------------------------------------------------------------------


def other_accounts_objects(make_user: Callable[..., User]) -> tuple[Integration, PendingConnection]:
    stranger = make_user(ready=True)
    account = account_of(stranger)
    shop = make_integration(account)
    pending = PendingConnection.objects.create(  # type: ignore[misc]  # encrypted JSON payload
        account=account,
        user=stranger,
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER.selling_partner_id,
        payload={
            "credentials": {},
            "participations": [{"marketplace_id": IT, "country_code": "IT"}],
            "settings": {"name": "X"},
        },
        expires_at=timezone.now() + dt.timedelta(minutes=30),
    )
    return shop, pending


@pytest.mark.parametrize(
    ("name", "method", "kind"),
    [
        ("web:shop_edit", "get", "shop"),
        ("web:shop_edit", "post", "shop"),
        ("web:shop_sync", "post", "shop"),
        ("web:shop_reimport", "get", "shop"),
        ("web:shop_reimport", "post", "shop"),
        ("web:shop_disconnect", "get", "shop"),
        ("web:shop_disconnect", "post", "shop"),
        ("web:shop_pending", "get", "pending"),
        ("web:shop_pending", "post", "pending"),
    ],
)
def test_another_accounts_objects_are_404(
    panel: Client, make_user: Callable[..., User], name: str, method: str, kind: str
) -> None:
    shop, pending = other_accounts_objects(make_user)
    target = shop.pk if kind == "shop" else pending.pk
    data = {**EDIT_OK, "since": timezone.now().date().isoformat(), "marketplace_ids": [IT]}
    before = Integration.objects.filter(pk=shop.pk).values().get()
    response = getattr(panel, method)(
        reverse(name, args=[target]), data if method == "post" else None
    )
    assert response.status_code == 404
    missing = getattr(panel, method)(
        reverse(name, args=[999_999]), data if method == "post" else None
    )
    assert missing.status_code == 404
    assert Integration.objects.filter(pk=shop.pk).values().get() == before
    pending.refresh_from_db()
    assert pending.used_at is None
