"""Login with Amazon (token endpoint) and Seller Central's consent page."""

from __future__ import annotations

import asyncio
import html
from urllib.parse import parse_qs, urlencode

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .defaults import ALL_SELLERS
from .state import Sandbox
from .web import new_request_id

REVOKED = "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission."
BAD_CODE = "The request has an invalid grant parameter : code"


def _lwa_error(status: int, error: str, description: str) -> Response:
    return Response(
        orjson.dumps({"error_description": description, "error": error}),
        status,
        {
            "x-amzn-RequestId": new_request_id(),
            "Cache-Control": "no-cache, no-store, must-revalidate",
        },
        "application/json;charset=UTF-8",
    )


async def token(request: Request) -> Response:
    sb: Sandbox = request.app.state.sandbox
    delay = sb.faults.latency("lwa.token")
    if delay:
        await asyncio.sleep(delay)
    if sb.faults.roll("lwa.token", "500"):
        response = _lwa_error(
            500, "server_error", "The authorization server encountered an unexpected error"
        )
    elif sb.faults.roll("lwa.token", "503"):
        response = _lwa_error(
            503, "temporarily_unavailable", "The authorization server is temporarily unavailable"
        )
    else:
        response = await _token(sb, request)
    sb.record_call("lwa.token", response.status_code, seller=None, path=request.url.path)
    return response


async def _token(sb: Sandbox, request: Request) -> Response:
    ctype = request.headers.get("content-type", "")
    raw = (await request.body()).decode("utf-8", "replace")
    if "json" in ctype:
        try:
            data = {k: str(v) for k, v in orjson.loads(raw).items()}
        except (orjson.JSONDecodeError, AttributeError):
            return _lwa_error(400, "invalid_request", "The request has a malformed body")
    else:
        data = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    grant = data.get("grant_type", "")
    if not grant:
        return _lwa_error(
            400, "invalid_request", "The request is missing a required parameter : grant_type"
        )
    if grant not in ("authorization_code", "refresh_token", "client_credentials"):
        return _lwa_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server",
        )
    for name in ("client_id", "client_secret"):
        if not data.get(name):
            return _lwa_error(
                400, "invalid_request", f"The request is missing a required parameter : {name}"
            )
    now = sb.clock.now()
    app = sb.app_by_client_id(data["client_id"])
    if app is None or app.client_secret != data["client_secret"] or app.secret_expires_at <= now:
        return _lwa_error(401, "invalid_client", "Client authentication failed")
    if grant == "client_credentials":
        if not data.get("scope"):
            return _lwa_error(
                400, "invalid_request", "The request is missing a required parameter : scope"
            )
        access, ttl = sb.issue_access_token(app.application_id, None, data["scope"])
        return _token_ok(
            {
                "access_token": access,
                "scope": data["scope"],
                "token_type": "bearer",
                "expires_in": ttl,
            }
        )
    if grant == "refresh_token":
        refresh = data.get("refresh_token")
        if not refresh:
            return _lwa_error(
                400,
                "invalid_request",
                "The request is missing a required parameter : refresh_token",
            )
        auth = sb.authorization_by_refresh_token(refresh)
        if auth is None or auth.grantee != app.application_id or auth.state(now) != "active":
            return _lwa_error(400, "invalid_grant", REVOKED)
        access, ttl = sb.issue_access_token(app.application_id, auth.seller_id)
        return _token_ok(
            {
                "access_token": access,
                "refresh_token": refresh,
                "token_type": "bearer",
                "expires_in": ttl,
            }
        )
    code = data.get("code")
    if not code:
        return _lwa_error(
            400, "invalid_request", "The request is missing a required parameter : code"
        )
    with sb.lock:
        entry = sb.auth_codes.get(code)
        if (
            entry is None
            or entry.used
            or entry.expires_at <= now
            or entry.application_id != app.application_id
        ):
            return _lwa_error(400, "invalid_grant", BAD_CODE)
        if data.get("redirect_uri") and data["redirect_uri"] != entry.redirect_uri:
            return _lwa_error(
                400, "invalid_grant", "The request has an invalid grant parameter : redirect_uri"
            )
        entry.used = True
    auth = sb.grant_spapi(app.application_id, entry.seller_id)
    access, ttl = sb.issue_access_token(app.application_id, entry.seller_id)
    return _token_ok(
        {
            "access_token": access,
            "refresh_token": auth.refresh_token,
            "token_type": "bearer",
            "expires_in": ttl,
        }
    )


def _token_ok(body: dict[str, object]) -> Response:
    return Response(
        orjson.dumps(body),
        200,
        {
            "x-amzn-RequestId": new_request_id(),
            "Cache-Control": "no-cache, no-store, must-revalidate",
        },
        "application/json;charset=UTF-8",
    )


# --- Seller Central consent -----------------------------------------------------------------
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:40em;margin:3em auto}}button{{padding:.5em 1.5em}}</style>
</head><body>{content}</body></html>"""


def _error_page(code: str, message: str, status: int = 400) -> HTMLResponse:
    content = (
        f"<h1>We're sorry!</h1><p>An error occurred when we tried to authorize the application.</p>"
        f"<p>{html.escape(message)}</p><p>Error code: <strong>{code}</strong></p>"
    )
    return HTMLResponse(PAGE.format(title="Authorization error", content=content), status)


async def consent(request: Request) -> Response:
    sb: Sandbox = request.app.state.sandbox
    params = request.query_params
    sb.record_call("consent.page", 200, seller=None, path=request.url.path)
    problem = _check_consent(
        sb, params.get("application_id", ""), params.get("version"), params.get("redirect_uri")
    )
    if problem:
        return problem
    app = sb.applications[params["application_id"]]
    redirect_uri = params.get("redirect_uri") or app.redirect_uris[0]
    options = "".join(
        f'<option value="{s.selling_partner_id}">{html.escape(s.store_name)} ({s.selling_partner_id}; '
        f"{', '.join(s.marketplaces)})</option>"
        for s in ALL_SELLERS
    )
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(v, quote=True)}">'
        for k, v in (
            ("application_id", app.application_id),
            ("state", params.get("state", "")),
            ("redirect_uri", redirect_uri),
            ("version", params.get("version", "")),
        )
    )
    content = (
        f"<h1>Authorize {html.escape(app.name)}</h1>"
        f"<p>{html.escape(app.name)} asks for access to your Amazon seller account with these roles: "
        f"{html.escape(', '.join(app.roles))}.</p>"
        f'<form method="post" action="/apps/authorize/confirm">{hidden}'
        f'<label>Sandbox seller <select name="selling_partner_id">{options}</select></label>'
        f'<p><button type="submit" name="confirm" value="1">Confirm</button></p></form>'
    )
    return HTMLResponse(PAGE.format(title="Authorize application", content=content))


def _check_consent(
    sb: Sandbox, app_id: str, version: str | None, redirect_uri: str | None
) -> Response | None:
    app = sb.applications.get(app_id)
    if app is None:
        return _error_page("MD1000", "The application ID is not valid.", 404)
    if not app.published and version != "beta":
        return _error_page(
            "MD1000", "The application is in draft state: add version=beta to authorize it.", 400
        )
    if not app.redirect_uris:
        return _error_page("MD9100", "The application has no redirect URI.", 400)
    if redirect_uri and redirect_uri not in app.redirect_uris:
        return _error_page(
            "MD5101",
            "The redirect URI does not match the application's registered redirect URIs.",
            400,
        )
    return None


async def confirm(request: Request) -> Response:
    sb: Sandbox = request.app.state.sandbox
    form = {
        k: v[0]
        for k, v in parse_qs((await request.body()).decode(), keep_blank_values=True).items()
    }
    app_id = form.get("application_id", "")
    problem = _check_consent(
        sb, app_id, form.get("version") or None, form.get("redirect_uri") or None
    )
    if problem:
        sb.record_call("consent.confirm", problem.status_code, seller=None, path=request.url.path)
        return problem
    seller = form.get("selling_partner_id", "")
    if seller not in sb.seller_ids():
        return _error_page("MD1100", "Unknown selling partner.", 400)
    app = sb.applications[app_id]
    redirect_uri = form.get("redirect_uri") or app.redirect_uris[0]
    code = sb.issue_code(app, seller, redirect_uri)
    sb.record_call("consent.confirm", 302, seller=seller, path=request.url.path)
    query = urlencode(
        {"state": form.get("state", ""), "selling_partner_id": seller, "spapi_oauth_code": code}
    )
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(f"{redirect_uri}{sep}{query}", 302)
