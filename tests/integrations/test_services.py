"""Connecting shops through the services, over real HTTP against the Amazon sandbox."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.db import connection

from amazon_sandbox import defaults
from colis.accounts.selectors import OnboardingIncomplete
from colis.common import clock
from colis.integrations import selectors, services
from colis.integrations.errors import (
    IntegrationAlreadyConnected,
    IntegrationNotFound,
    InvalidIntegrationInput,
    OAuthStateInvalid,
    PendingConnectionInvalid,
)
from colis.integrations.models import Integration, OAuthState
from colis.integrations.ports import AuthorizationRevoked, ConnectorError, InvalidCredentials
from colis.marketplaces.amazon.client import AuthorizationCodeRejected
from tests.marketplaces.conftest import DE, IT, SELLER_1, UK, control

SELLER = SELLER_1.selling_partner_id
SETTINGS: dict[str, Any] = {"name": "Bottega", "feedback_type": "eager", "import_weight": True}


@pytest.fixture
def seller(make_user: Any) -> Any:
    return make_user(ready=True)


def start(seller: Any, session_key: str = "session-1") -> str:
    return services.integration_oauth_start(
        account=seller.account, user=seller, session_key=session_key, **SETTINGS
    )


def consent(sb: Any, url: str, selling_partner_id: str = SELLER) -> dict[str, str]:
    """Drive Seller Central's consent like a seller's browser; the redirect's query."""
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200 and "Authorize" in page.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    answer = httpx.post(
        sb.url + "/apps/authorize/confirm",
        data={
            "application_id": query["application_id"],
            "state": query["state"],
            "redirect_uri": query.get("redirect_uri", ""),
            "version": query.get("version", ""),
            "selling_partner_id": selling_partner_id,
            "confirm": "1",
        },
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(defaults.REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def callback(seller: Any, back: dict[str, str], session_key: str = "session-1") -> Any:
    return services.integration_oauth_callback(
        account=seller.account,
        user=seller,
        session_key=session_key,
        state=back["state"],
        selling_partner_id=back["selling_partner_id"],
        spapi_oauth_code=back["spapi_oauth_code"],
    )


# --- website authorization ----------------------------------------------------------------------
def test_oauth_round_trip_creates_one_integration_per_marketplace(amazon: Any, seller: Any) -> None:
    url = start(seller)
    assert url.startswith(amazon.url + "/apps/authorize/consent?")
    assert "version=beta" not in url
    back = consent(amazon, url)
    pending = callback(seller, back)
    view = selectors.pending_connection_get(account=seller.account, pending_id=pending.pk)
    assert {p.marketplace_id for p in view.participations} == {IT, DE, UK}
    created = services.integration_create_from_pending(
        account=seller.account, user=seller, pending_id=pending.pk, marketplace_ids=[IT, DE, UK]
    )
    assert sorted(i.name for i in created) == ["Bottega DE", "Bottega IT", "Bottega UK"]
    uk = next(i for i in created if i.marketplace_id == UK)
    assert uk.country_code == "GB" and uk.region == "EU" and uk.auth_kind == "spapi_oauth"
    assert uk.authorized_at and uk.expires_at
    assert uk.expires_at - uk.authorized_at == dt.timedelta(days=365)
    fresh = Integration.objects.get(pk=uk.pk)
    # A new refresh token (the authorization code grant's), stored encrypted.
    token = fresh.credentials["refresh_token"]  # type: ignore[index]
    assert token.startswith("Atzr|") and token != SELLER_1.refresh_token
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM integrations_integration WHERE id = %s", [uk.pk])
        (raw,) = cursor.fetchone()
    assert "Atzr" not in raw
    # The pending connection is used up.
    with pytest.raises(PendingConnectionInvalid):
        services.integration_create_from_pending(
            account=seller.account, user=seller, pending_id=pending.pk, marketplace_ids=[IT]
        )


def test_state_is_stored_hashed_and_beta_adds_version(
    amazon: Any, seller: Any, settings: Any
) -> None:
    settings.COLIS_AMAZON_APP_BETA = True
    url = start(seller)
    state = parse_qs(urlsplit(url).query)["state"][0]
    assert "version=beta" in url
    row = OAuthState.objects.get()
    assert (
        row.state_hash == hashlib.sha256(state.encode()).hexdigest() and state not in row.state_hash
    )
    assert row.session_key_hash != "session-1"


def test_state_from_another_session_or_account_is_refused(
    amazon: Any, seller: Any, make_user: Any
) -> None:
    back = consent(amazon, start(seller))
    with pytest.raises(OAuthStateInvalid):
        callback(seller, back, session_key="another-session")
    other = make_user(ready=True)
    with pytest.raises(OAuthStateInvalid):
        callback(other, back)
    with pytest.raises(OAuthStateInvalid):
        callback(seller, {**back, "state": "forged"})
    assert control(amazon, "GET", "calls?limit=0")["operations"].get("lwa.token") is None


def test_state_is_single_use(amazon: Any, seller: Any) -> None:
    back = consent(amazon, start(seller))
    callback(seller, back)
    with pytest.raises(OAuthStateInvalid):
        callback(seller, back)


def test_state_older_than_ten_minutes_is_refused(amazon: Any, seller: Any) -> None:
    back = consent(amazon, start(seller))
    OAuthState.objects.update(created_at=clock.now() - dt.timedelta(minutes=11))
    with pytest.raises(OAuthStateInvalid):
        callback(seller, back)


def test_replayed_code_is_a_clear_error(amazon: Any, seller: Any) -> None:
    first = consent(amazon, start(seller))
    callback(seller, first)
    second = consent(amazon, start(seller))
    with pytest.raises(AuthorizationCodeRejected) as exc:
        callback(seller, {**second, "spapi_oauth_code": first["spapi_oauth_code"]})
    assert "already used or has expired" in exc.value.message
    assert first["spapi_oauth_code"] not in exc.value.message


def test_expired_code_is_a_clear_error(amazon: Any, seller: Any) -> None:
    back = consent(amazon, start(seller))
    control(amazon, "POST", "clock", advance_seconds=301)  # codes live five minutes
    with pytest.raises(AuthorizationCodeRejected):
        callback(seller, back)


def test_onboarding_gate(amazon: Any, make_user: Any) -> None:
    beginner = make_user()
    with pytest.raises(OnboardingIncomplete) as exc:
        start(beginner)
    assert "sender_address" in exc.value.missing and "direct_debit" in exc.value.missing
    with pytest.raises(OnboardingIncomplete):
        services.integration_create_mws(
            account=beginner.account,
            user=beginner,
            seller_id=SELLER,
            marketplace_id=IT,
            mws_auth_token=SELLER_1.mws_auth_token,
            **SETTINGS,
        )


# --- self-authorized ----------------------------------------------------------------------------
def self_check(seller: Any, **overrides: Any) -> Any:
    args = {
        "lwa_client_id": defaults.LWA_CLIENT_ID,
        "lwa_client_secret": defaults.LWA_CLIENT_SECRET,
        "refresh_token": SELLER_1.refresh_token,
        "seller_id": SELLER,
        **SETTINGS,
        **overrides,
    }
    return services.integration_self_authorized_check(account=seller.account, user=seller, **args)


def test_self_authorized_connect(amazon: Any, seller: Any) -> None:
    pending = self_check(seller)
    (it,) = services.integration_create_from_pending(
        account=seller.account, user=seller, pending_id=pending.pk, marketplace_ids=[IT]
    )
    assert it.auth_kind == "spapi_self" and it.seller_id == SELLER
    assert it.credentials["lwa_client_secret"] == defaults.LWA_CLIENT_SECRET  # type: ignore[index]


def test_self_authorized_without_seller_id_uses_a_stable_stand_in(amazon: Any, seller: Any) -> None:
    one = self_check(seller, seller_id="")
    two = self_check(seller, seller_id="")
    assert one.seller_id == two.seller_id and one.seller_id.startswith("SELF")


def test_self_authorized_wrong_secret_and_revoked_token(amazon: Any, seller: Any) -> None:
    with pytest.raises(InvalidCredentials):
        self_check(seller, lwa_client_secret="amzn1.oa2-cs.v1.wrong")
    control(
        amazon,
        "POST",
        "authorizations/revoke",
        seller_id=SELLER,
        application_id=defaults.APPLICATION_ID,
    )
    with pytest.raises(AuthorizationRevoked):
        self_check(seller)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lwa_client_id", "not-a-client"),
        ("refresh_token", "Atza|wrong-kind"),
        ("seller_id", "lowercase1234"),
    ],
)
def test_self_authorized_format_checks(seller: Any, field: str, value: str) -> None:
    with pytest.raises(InvalidIntegrationInput) as exc:
        self_check(seller, **{field: value})
    assert exc.value.field == field


def test_duplicate_is_already_connected_and_creates_nothing(amazon: Any, seller: Any) -> None:
    first = self_check(seller)
    services.integration_create_from_pending(
        account=seller.account, user=seller, pending_id=first.pk, marketplace_ids=[DE]
    )
    second = self_check(seller)
    with pytest.raises(IntegrationAlreadyConnected) as exc:
        services.integration_create_from_pending(
            account=seller.account, user=seller, pending_id=second.pk, marketplace_ids=[IT, DE]
        )
    assert exc.value.marketplace_id == DE
    assert Integration.objects.filter(account=seller.account).count() == 1  # IT rolled back too
    # The pending connection was not spent: the seller can pick again without DE.
    (it,) = services.integration_create_from_pending(
        account=seller.account, user=seller, pending_id=second.pk, marketplace_ids=[IT]
    )
    assert it.marketplace_id == IT


def test_marketplace_must_be_offered(amazon: Any, seller: Any) -> None:
    pending = self_check(seller)
    with pytest.raises(InvalidIntegrationInput) as exc:
        services.integration_create_from_pending(
            account=seller.account,
            user=seller,
            pending_id=pending.pk,
            marketplace_ids=["A13V1IB3VIYZZH"],
        )
    assert exc.value.field == "marketplace_ids"


def test_pending_of_another_account_is_not_found(amazon: Any, seller: Any, make_user: Any) -> None:
    pending = self_check(seller)
    other = make_user(ready=True)
    with pytest.raises(PendingConnectionInvalid):
        services.integration_create_from_pending(
            account=other.account, user=other, pending_id=pending.pk, marketplace_ids=[IT]
        )
    with pytest.raises(IntegrationNotFound):
        selectors.pending_connection_get(account=other.account, pending_id=pending.pk)


# --- MWS ----------------------------------------------------------------------------------------
def mws(seller: Any, **overrides: Any) -> Integration:
    args = {
        "seller_id": SELLER,
        "marketplace_id": IT,
        "mws_auth_token": SELLER_1.mws_auth_token,
        **SETTINGS,
        **overrides,
    }
    return services.integration_create_mws(account=seller.account, user=seller, **args)


def test_mws_connect_migrates_to_spapi(amazon: Any, seller: Any, caplog: Any) -> None:
    caplog.set_level("DEBUG")
    integration = mws(seller)
    for secret in (
        SELLER_1.mws_auth_token,
        defaults.MWS_SECRET_KEY,
        defaults.LWA_CLIENT_SECRET,
        "Atzr|",
    ):
        assert secret not in caplog.text
    assert integration.auth_kind == "mws" and integration.name == "Bottega IT"
    creds = Integration.objects.get(pk=integration.pk).credentials
    assert creds["mws_auth_token"] == SELLER_1.mws_auth_token  # type: ignore[index]
    assert creds["refresh_token"].startswith("Atzr|")  # type: ignore[index]
    calls = control(amazon, "GET", "calls?limit=0")["operations"]
    assert calls["mws.ListMarketplaceParticipations"]["count"] == 1
    assert calls["getAuthorizationCode"]["statuses"] == {"200": 1}


def test_mws_connect_without_an_spapi_app_keeps_mws_only(
    amazon: Any, seller: Any, settings: Any
) -> None:
    settings.COLIS_AMAZON_APP_ID = ""
    settings.COLIS_AMAZON_LWA_CLIENT_ID = ""
    integration = mws(seller)
    assert "refresh_token" not in Integration.objects.get(pk=integration.pk).credentials  # type: ignore[operator]


def test_mws_wrong_token_is_refused_with_amazons_reason(amazon: Any, seller: Any) -> None:
    with pytest.raises(ConnectorError) as exc:
        mws(seller, mws_auth_token="amzn.mws.00000000-0000-0000-0000-000000000000")
    assert "denied" in exc.value.message.lower()
    assert not Integration.objects.exists()


def test_mws_revoked_authorization_is_refused(amazon: Any, seller: Any) -> None:
    control(
        amazon,
        "POST",
        "authorizations/revoke",
        seller_id=SELLER,
        developer_id=defaults.MWS_DEVELOPER_ID,
    )
    with pytest.raises(ConnectorError):
        mws(seller)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("seller_id", {"seller_id": "B1SBXSELLERIT1"}),
        ("seller_id", {"seller_id": "A12"}),
        ("marketplace_id", {"marketplace_id": "XX"}),
        ("mws_auth_token", {"mws_auth_token": "amzn.mws.nope"}),
    ],
)
def test_mws_format_checks(seller: Any, field: str, overrides: dict[str, str]) -> None:
    with pytest.raises(InvalidIntegrationInput) as exc:
        mws(seller, **overrides)
    assert exc.value.field == field


def test_mws_marketplace_where_the_seller_does_not_sell(amazon: Any, seller: Any) -> None:
    with pytest.raises(InvalidIntegrationInput) as exc:
        mws(seller, marketplace_id="A13V1IB3VIYZZH")  # FR
    assert exc.value.field == "marketplace_id"


# --- update and disconnect ----------------------------------------------------------------------
def test_update_disconnect_and_reconnect(amazon: Any, seller: Any, make_user: Any) -> None:
    integration = mws(seller)
    updated = services.integration_update(
        account=seller.account,
        integration_id=integration.pk,
        name="Bottega Italia",
        feedback_type="delayed",
        import_afn=True,
        default_weight_grams=500,
    )
    assert (
        updated.name,
        updated.feedback_type,
        updated.import_afn,
        updated.default_weight_grams,
    ) == (
        "Bottega Italia",
        "delayed",
        True,
        500,
    )
    with pytest.raises(InvalidIntegrationInput):
        services.integration_update(
            account=seller.account, integration_id=integration.pk, feedback_type="often"
        )
    with pytest.raises(InvalidIntegrationInput):
        services.integration_update(
            account=seller.account, integration_id=integration.pk, credentials={}
        )
    other = make_user(ready=True)
    with pytest.raises(IntegrationNotFound):
        services.integration_update(
            account=other.account, integration_id=integration.pk, name="mine"
        )
    with pytest.raises(IntegrationNotFound):
        services.integration_disconnect(account=other.account, integration_id=integration.pk)
    gone = services.integration_disconnect(account=seller.account, integration_id=integration.pk)
    row = Integration.objects.get(pk=gone.pk)
    assert row.state == "disconnected" and row.credentials is None
    again = mws(seller)  # a disconnected shop may be connected again
    assert again.pk != integration.pk
    assert [i.pk for i in selectors.integration_list(account=other.account)] == []
