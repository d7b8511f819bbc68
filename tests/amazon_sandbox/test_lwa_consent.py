"""Seller Central consent and Login with Amazon, with Amazon's error wording."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from amazon_sandbox import defaults
from amazon_sandbox.lwa import BAD_CODE, REVOKED

from .conftest import Amazon

SELLER = defaults.SELLER_1.selling_partner_id


def consent(
    amazon: Amazon, seller: str = SELLER, state: str = "xyz", **extra: str
) -> dict[str, str]:
    page = amazon.http.get(
        "/apps/authorize/consent",
        params={"application_id": defaults.APPLICATION_ID, "state": state, **extra},
    )
    assert page.status_code == 200
    assert "Confirm" in page.text and SELLER in page.text
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text))
    form["selling_partner_id"] = seller
    r = amazon.http.post("/apps/authorize/confirm", data=form)
    assert r.status_code == 302
    location = urlsplit(r.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == defaults.REDIRECT_URI
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def exchange(amazon: Amazon, code: str) -> tuple[int, dict[str, str]]:
    r = amazon.lwa(
        grant_type="authorization_code",
        code=code,
        redirect_uri=defaults.REDIRECT_URI,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    return r.status_code, r.json()


def test_consent_redirects_with_state_seller_and_code(fresh: Amazon) -> None:
    params = consent(fresh, state="s-42")
    assert params["state"] == "s-42"
    assert params["selling_partner_id"] == SELLER
    status, body = exchange(fresh, params["spapi_oauth_code"])
    assert status == 200
    assert body["access_token"].startswith("Atza|") and body["refresh_token"].startswith("Atzr|")
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600


def test_code_is_single_use_and_lives_five_minutes(fresh: Amazon) -> None:
    code = consent(fresh)["spapi_oauth_code"]
    assert exchange(fresh, code)[0] == 200
    assert exchange(fresh, code) == (400, {"error_description": BAD_CODE, "error": "invalid_grant"})
    stale = consent(fresh)["spapi_oauth_code"]
    fresh.advance(301)
    assert exchange(fresh, stale) == (
        400,
        {"error_description": BAD_CODE, "error": "invalid_grant"},
    )


def test_reauthorization_replaces_the_refresh_token(fresh: Amazon) -> None:
    old = defaults.SELLER_1.refresh_token
    _, body = exchange(fresh, consent(fresh)["spapi_oauth_code"])
    assert body["refresh_token"] != old
    r = fresh.lwa(
        grant_type="refresh_token",
        refresh_token=old,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    assert r.status_code == 400 and r.json() == {
        "error_description": REVOKED,
        "error": "invalid_grant",
    }
    assert fresh.token(refresh_token=body["refresh_token"])


def test_unknown_application_and_redirect_mismatch_show_error_pages(fresh: Amazon) -> None:
    r = fresh.http.get(
        "/apps/authorize/consent", params={"application_id": "amzn1.sp.solution.nope", "state": "x"}
    )
    assert r.status_code == 404 and "MD1000" in r.text and "location" not in r.headers
    r = fresh.http.get(
        "/apps/authorize/consent",
        params={
            "application_id": defaults.APPLICATION_ID,
            "state": "x",
            "redirect_uri": "https://evil.example/cb",
        },
    )
    assert r.status_code == 400 and "MD5101" in r.text


def test_draft_application_needs_version_beta(fresh: Amazon) -> None:
    fresh.control(
        "POST",
        "applications",
        {
            "application_id": "amzn1.sp.solution.draft",
            "client_id": "amzn1.application-oa2-client.d",
            "client_secret": "s",
            "redirect_uri": "http://127.0.0.1:9/cb",
            "roles": [],
            "published": False,
        },
    )
    r = fresh.http.get(
        "/apps/authorize/consent",
        params={"application_id": "amzn1.sp.solution.draft", "state": "x"},
    )
    assert r.status_code == 400
    r = fresh.http.get(
        "/apps/authorize/consent",
        params={"application_id": "amzn1.sp.solution.draft", "state": "x", "version": "beta"},
    )
    assert r.status_code == 200


def test_lwa_errors(fresh: Amazon) -> None:
    base = {"client_id": defaults.LWA_CLIENT_ID, "client_secret": defaults.LWA_CLIENT_SECRET}
    r = fresh.lwa(grant_type="password", **base)
    assert r.status_code == 400 and r.json()["error"] == "unsupported_grant_type"
    r = fresh.lwa(grant_type="refresh_token", **base)
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = fresh.lwa(
        grant_type="refresh_token",
        refresh_token=defaults.SELLER_1.refresh_token,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret="wrong",
    )
    assert r.status_code == 401 and r.json() == {
        "error_description": "Client authentication failed",
        "error": "invalid_client",
    }


def test_client_secret_expires_after_180_days(fresh: Amazon) -> None:
    fresh.advance(181 * 86400)
    r = fresh.lwa(
        grant_type="refresh_token",
        refresh_token=defaults.SELLER_1.refresh_token,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"


def test_client_credentials_grant(fresh: Amazon) -> None:
    r = fresh.lwa(
        grant_type="client_credentials",
        scope="sellingpartnerapi::migration",
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    assert r.status_code == 200 and r.json()["access_token"].startswith("Atza|")
    # A grantless token cannot read a seller's orders.
    r2 = fresh.get("/orders/v0/orders/028-0000000-0000000", token=r.json()["access_token"])
    assert r2.status_code == 403


def test_authorization_expires_after_a_year_and_is_renewed_by_consent(fresh: Amazon) -> None:
    access = fresh.token()
    fresh.advance(366 * 86400)
    fresh.control(
        "POST",
        "applications",
        {
            "application_id": defaults.APPLICATION_ID,
            "client_id": defaults.LWA_CLIENT_ID,
            "client_secret": defaults.LWA_CLIENT_SECRET,
            "redirect_uri": defaults.REDIRECT_URI,
            "roles": list(defaults.APPLICATION_ROLES),
            "name": "colis",
        },
    )  # secret rotated
    r = fresh.lwa(
        grant_type="refresh_token",
        refresh_token=defaults.SELLER_1.refresh_token,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    assert r.json() == {"error_description": REVOKED, "error": "invalid_grant"}
    assert fresh.get("/sellers/v1/marketplaceParticipations", token=access).status_code == 403
    states = {
        (a["seller_id"], a["kind"]): a["state"]
        for a in fresh.control("GET", "authorizations")["authorizations"]
    }
    assert states[(SELLER, "spapi")] == "expired"
    status, body = exchange(fresh, consent(fresh)["spapi_oauth_code"])
    assert status == 200
    assert (
        fresh.get("/sellers/v1/marketplaceParticipations", token=body["access_token"]).status_code
        == 200
    )


def test_revoke_control(fresh: Amazon) -> None:
    fresh.control(
        "POST",
        "authorizations/revoke",
        {"seller_id": SELLER, "application_id": defaults.APPLICATION_ID},
    )
    r = fresh.lwa(
        grant_type="refresh_token",
        refresh_token=defaults.SELLER_1.refresh_token,
        client_id=defaults.LWA_CLIENT_ID,
        client_secret=defaults.LWA_CLIENT_SECRET,
    )
    assert r.json()["error"] == "invalid_grant"
    fresh.control(
        "POST",
        "authorizations/renew",
        {"seller_id": SELLER, "application_id": defaults.APPLICATION_ID},
    )
    assert fresh.token(refresh_token=defaults.SELLER_1.refresh_token)
