"""An integration's authorization lifecycle: reminders before expiry, expiry, renewal,
revocation, and the instance's LWA client secret rotation.

Amazon's rules (docs/authorization.md): an authorization lasts a year (SP-API: re-authorize
every 365 days; MWS: expires one year after the grant, deactivated, not invalidated, and
renewed with the same MWSAuthToken). colis reminds every user of the account 30, 23, 16, 9
and 2 days before, in their language, in the panel and by e-mail; at expiry the integration
turns `expired` (imports and shipment feedback wait, nothing is dropped, the token is kept);
renewal reactivates it for a year from the renewal.

Exactly once: each reminder has a UNIQUE dedupe key (integration, expiry, days before) on
`Notification`, inserted with its e-mail rows in one transaction; e-mails leave after commit
through `NotificationEmail` (see colis.notifications.services). State changes are
status-conditional UPDATEs. `integration_lifecycle_sweep` is safe to run at any time, as
often as wanted, from any number of workers.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from colis.common import clock
from colis.integrations.errors import (
    IntegrationError,
    IntegrationNotFound,
    InvalidIntegrationInput,
    OAuthStateInvalid,
)
from colis.integrations.models import Integration, OAuthState, PendingConnection
from colis.integrations.registry import authorizer_for
from colis.integrations.services import (
    AUTHORIZATION_LIFETIME,
    OAUTH_STATE_TTL,
    REFRESH_TOKEN_RE,
    _hash,
    _json,
    integration_oauth_callback,
)
from colis.notifications.models import Notification
from colis.notifications.services import notification_create, notification_emails_send_pending

log = logging.getLogger("colis.integrations.lifecycle")

DAY = dt.timedelta(days=1)
REMINDER_DAYS: tuple[int, ...] = (30, 23, 16, 9, 2)  # a reminder a week from a month before
LWA_SECRET_LIFETIME = dt.timedelta(days=180)
LWA_SECRET_REMINDER_DAYS: tuple[int, ...] = (30, 0)
LWA_ROTATED_ON = "COLIS_AMAZON_LWA_SECRET_ROTATED_ON"

S = Integration.State
K = Notification.Kind


class RenewalNotPossible(IntegrationError):
    """This integration cannot be renewed as it is (no token left, disconnected...)."""

    code = "renewal_not_possible"


class RenewalNeedsConsent(IntegrationError):
    """A Seller Central (SP-API) authorization is renewed on Amazon's consent page, in the
    panel (Connected shops › Renew): it gives a new refresh token."""

    code = "renewal_needs_consent"


# --- reading the schedule ---------------------------------------------------------------


def reminder_due(*, expires_at: dt.datetime, now: dt.datetime) -> int | None:
    """The reminder (days before expiry) that is due at `now`: the latest threshold passed,
    or None before the first one and from expiry on. A missed reminder is not sent late
    once the next one is due: at most one reminder a week."""
    if now >= expires_at:
        return None
    passed = [d for d in REMINDER_DAYS if expires_at - d * DAY <= now]
    return min(passed) if passed else None


def _marketplace(integration: Integration) -> str:
    return integration.country_code or integration.marketplace_id


def _params(integration: Integration, now: dt.datetime) -> dict[str, Any]:
    expires = integration.expires_at
    assert expires is not None
    return {
        "name": integration.name,
        "marketplace": _marketplace(integration),
        "expires_date": expires.date().isoformat(),
        "days": max(0, math.ceil((expires - now) / DAY)),
        "auth_kind": integration.auth_kind,
    }


def _period(integration: Integration) -> str:
    expires = integration.expires_at
    return expires.strftime("%Y%m%dT%H%M%S") if expires else "none"


def _account_users(account_id: int) -> list[Any]:
    from colis.accounts.models import User

    return list(User.objects.filter(account_id=account_id, is_active=True).order_by("id"))


# --- the sweep --------------------------------------------------------------------------


@dataclass
class SweepResult:
    reminders: list[tuple[int, int]] = field(default_factory=list)  # (integration id, days)
    expired: list[int] = field(default_factory=list)
    revoked_notified: list[int] = field(default_factory=list)
    lwa_reminders: int = 0
    emails_sent: int = 0


def integration_lifecycle_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Reminders due, expiries due, Amazon-side revocations to tell, the LWA secret reminder,
    then the e-mails owed. Idempotent: run it hourly, twice, or from several workers."""
    now = now or clock.now()
    result = SweepResult()
    _sweep_reminders(now, result)
    _sweep_expiries(now, result)
    _sweep_revoked(now, result)
    result.lwa_reminders = _sweep_lwa_secret(now)
    result.emails_sent = notification_emails_send_pending(now=now)
    return result


def _sweep_reminders(now: dt.datetime, result: SweepResult) -> None:
    soon = Integration.objects.filter(
        state=S.ACTIVE, expires_at__gt=now, expires_at__lte=now + max(REMINDER_DAYS) * DAY
    ).order_by("id")
    for integration in soon:
        assert integration.expires_at is not None
        days = reminder_due(expires_at=integration.expires_at, now=now)
        if days is None:
            continue
        key = f"authorization-reminder:{integration.pk}:{_period(integration)}:{days}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue  # the common case, read first; the INSERT below stays the guard
        created = notification_create(
            dedupe_key=key,
            kind=K.AUTHORIZATION_REMINDER,
            title_key="authorization_reminder.title",
            body_key="authorization_reminder.body",
            params={**_params(integration, now), "reminder_days": days},
            email_to=_account_users(integration.account_id),
            account=integration.account,
            integration=integration,
            now=now,
        )
        if created is not None:
            result.reminders.append((integration.pk, days))


def _sweep_expiries(now: dt.datetime, result: SweepResult) -> None:
    due = Integration.objects.filter(state=S.ACTIVE, expires_at__lte=now).order_by("id")
    for integration in due:
        with transaction.atomic():
            # Status-conditional: one worker turns it expired; the token stays (deactivated).
            changed = Integration.objects.filter(
                pk=integration.pk, state=S.ACTIVE, expires_at__lte=now
            ).update(state=S.EXPIRED, next_import_at=None, updated_at=now)
            if not changed:
                continue
            notification_create(
                dedupe_key=f"authorization-expired:{integration.pk}:{_period(integration)}",
                kind=K.AUTHORIZATION_EXPIRED,
                title_key="authorization_expired.title",
                body_key="authorization_expired.body",
                params=_params(integration, now),
                email_to=_account_users(integration.account_id),
                account=integration.account,
                integration=integration,
                now=now,
            )
        result.expired.append(integration.pk)
        log.info("integration %s: authorization expired; imports and feedback wait", integration.pk)


def _sweep_revoked(now: dt.datetime, result: SweepResult) -> None:
    """Revocations Amazon reported (invalid_grant at the last call): the token is still
    stored (a revocation in colis deletes it), so tell the account once."""
    for integration in Integration.objects.filter(state=S.REVOKED, credentials__isnull=False):
        authorized = integration.authorized_at.isoformat() if integration.authorized_at else ""
        key = f"authorization-revoked:{integration.pk}:{authorized}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue
        params = {"name": integration.name, "marketplace": _marketplace(integration)}
        if notification_create(
            dedupe_key=key,
            kind=K.AUTHORIZATION_REVOKED,
            title_key="authorization_revoked.title",
            body_key="authorization_revoked.body",
            params=params,
            email_to=_account_users(integration.account_id),
            account=integration.account,
            integration=integration,
            now=now,
        ):
            result.revoked_notified.append(integration.pk)


# --- the instance's LWA client secret ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class SecretRotation:
    """Where the instance's LWA client secret stands (`state`: unknown, ok, soon, overdue)."""

    rotated_on: dt.date | None
    due_on: dt.date | None
    days_left: int | None
    state: str
    problem: str = ""


def lwa_secret_rotation(*, now: dt.datetime | None = None) -> SecretRotation:
    """From `COLIS_AMAZON_LWA_SECRET_ROTATED_ON` (YYYY-MM-DD; a Django setting of the same
    name wins): due 180 days later, `soon` from 30 days before."""
    now = now or clock.now()
    raw = getattr(settings, LWA_ROTATED_ON, None)
    if raw is None:
        raw = os.environ.get(LWA_ROTATED_ON, "")
    raw = str(raw).strip()
    if not raw:
        return SecretRotation(None, None, None, "unknown")
    try:
        rotated = dt.date.fromisoformat(raw)
    except ValueError:
        return SecretRotation(
            None, None, None, "unknown", f"{LWA_ROTATED_ON} is not a date (YYYY-MM-DD): {raw!r}"
        )
    due = rotated + LWA_SECRET_LIFETIME
    days_left = (due - now.date()).days
    state = "overdue" if days_left <= 0 else "soon" if days_left <= 30 else "ok"
    return SecretRotation(rotated, due, days_left, state)


def _sweep_lwa_secret(now: dt.datetime) -> int:
    status = lwa_secret_rotation(now=now)
    if status.due_on is None or status.days_left is None or status.rotated_on is None:
        return 0
    passed = [d for d in LWA_SECRET_REMINDER_DAYS if status.days_left <= d]
    if not passed:
        return 0
    days = min(passed)
    from colis.accounts.models import User

    made = 0
    for staff in User.objects.filter(is_staff=True, is_active=True).order_by("id"):
        key = f"lwa-secret-rotation:{status.due_on.isoformat()}:{days}:{staff.pk}"
        if Notification.objects.filter(dedupe_key=key).exists():
            continue
        title = "lwa_secret_rotation_overdue.title" if days == 0 else "lwa_secret_rotation.title"
        if notification_create(
            dedupe_key=key,
            kind=K.LWA_SECRET_ROTATION,
            title_key=title,
            body_key="lwa_secret_rotation.body",
            params={
                "rotated_date": status.rotated_on.isoformat(),
                "due_date": status.due_on.isoformat(),
                "days": status.days_left,
            },
            email_to=[staff],
            account=staff.account,
            user=staff,
            now=now,
        ):
            made += 1
    return made


# --- renewal ----------------------------------------------------------------------------


def _own(*, account: Any, integration_id: int) -> Integration:
    row = Integration.objects.filter(account=account, pk=integration_id).first()
    if row is None:
        raise IntegrationNotFound("Not found.")
    return row


def _resume_feedback(integration_id: int) -> None:
    """Queued shipment feedback (waiting for the authorization) goes out again."""
    from colis.feedback.services import feedback_resume_for_integration

    try:
        feedback_resume_for_integration(integration_id=integration_id)
    except Exception:  # the feedback sweep resumes waiting deliveries of active shops anyway
        log.exception("integration %s: could not resume feedback", integration_id)


def _reactivate(
    *, integration_id: int, credentials: dict[str, Any], now: dt.datetime
) -> Integration:
    """Active again for a year from now with these credentials; imports resume from the
    cursor (due at once), queued feedback is released after commit."""
    with transaction.atomic():
        row = Integration.objects.select_for_update().get(pk=integration_id)
        if row.state == S.DISCONNECTED:
            raise RenewalNotPossible("This shop is disconnected: connect it again.")
        row.state = S.ACTIVE
        row.credentials = credentials  # type: ignore[assignment]  # an encrypted JSON document
        row.authorized_at = now
        row.expires_at = now + AUTHORIZATION_LIFETIME
        row.next_import_at = None
        row.consecutive_failures = 0
        row.failing_since = None
        row.last_error = ""
        row.save(
            update_fields=[
                "state",
                "credentials",
                "authorized_at",
                "expires_at",
                "next_import_at",
                "consecutive_failures",
                "failing_since",
                "last_error",
                "updated_at",
            ]
        )
        # What the account was told about this authorization is resolved: read.
        Notification.objects.filter(
            integration_id=integration_id,
            read_at__isnull=True,
            kind__in=[K.AUTHORIZATION_REMINDER, K.AUTHORIZATION_EXPIRED, K.AUTHORIZATION_REVOKED],
        ).update(read_at=now)
        transaction.on_commit(lambda: _resume_feedback(integration_id))
    log.info("integration %s: authorization renewed until %s", integration_id, row.expires_at)
    return row


def integration_renew(*, account: Any, integration_id: int, refresh_token: str = "") -> Integration:
    """Renew an authorization before or after expiry, for a year from now.

    MWS: the SAME MWSAuthToken is checked against Amazon (renewed there first, in Seller
    Central › Settings › User Permissions), then the integration is active again.
    Self-authorized SP-API: the seller's new `refresh_token` is checked and replaces the old.
    Seller Central SP-API: raises RenewalNeedsConsent (renew through the consent page with
    `integration_renew_oauth_start`). Amazon's refusal is the port's ConnectorError."""
    row = _own(account=account, integration_id=integration_id)
    if row.state == S.DISCONNECTED:
        raise RenewalNotPossible("This shop is disconnected: connect it again.")
    credentials = _json(row.credentials)
    authorizer = authorizer_for(row.channel)
    if row.auth_kind == Integration.AuthKind.MWS:
        token = str(credentials.get("mws_auth_token") or "")
        if not token:
            raise RenewalNotPossible(
                "colis no longer holds this shop's MWS token (it was revoked): disconnect the "
                "shop and connect it again."
            )
        authorizer.check_mws(
            seller_id=row.seller_id, marketplace_id=row.marketplace_id, mws_auth_token=token
        )
    elif row.auth_kind == Integration.AuthKind.SPAPI_SELF:
        refresh_token = (refresh_token or "").strip()
        if not REFRESH_TOKEN_RE.match(refresh_token):
            raise InvalidIntegrationInput(
                "Paste the new refresh token of your application (it starts with 'Atzr|').",
                field="refresh_token",
            )
        client_id = str(credentials.get("lwa_client_id") or "")
        client_secret = str(credentials.get("lwa_client_secret") or "")
        if not client_id or not client_secret:
            raise RenewalNotPossible(
                "colis no longer holds this shop's application credentials: disconnect the "
                "shop and connect it again."
            )
        check = authorizer.check_self_authorized(
            seller_id=row.seller_id,
            lwa_client_id=client_id,
            lwa_client_secret=client_secret,
            refresh_token=refresh_token,
            region=row.region or "EU",
        )
        old = dict(credentials)
        credentials = {**credentials, **check.credentials}
        _forget(authorizer, old)
    else:
        raise RenewalNeedsConsent(
            "A Seller Central authorization is renewed on Amazon's consent page: open "
            "Connected shops in the colis panel and choose Renew."
        )
    return _reactivate(integration_id=row.pk, credentials=credentials, now=clock.now())


def _forget(authorizer: Any, credentials: dict[str, Any]) -> None:
    try:
        authorizer.forget(credentials)
    except Exception:  # the cached access token lapses within the hour anyway
        log.warning("could not drop a cached access token")


def integration_renew_oauth_start(
    *, account: Any, user: Any, session_key: str, integration_id: int
) -> str:
    """The Seller Central consent URL renewing this integration (a Seller Central or MWS
    authorization, where this instance has an SP-API application): the callback then
    replaces the refresh token instead of connecting a new shop."""
    row = _own(account=account, integration_id=integration_id)
    if row.state == S.DISCONNECTED:
        raise RenewalNotPossible("This shop is disconnected: connect it again.")
    if row.auth_kind == Integration.AuthKind.SPAPI_SELF:
        raise RenewalNotPossible(
            "A self-authorized application is renewed with a new refresh token from your "
            "application, not on the consent page."
        )
    if not session_key:
        raise InvalidIntegrationInput("A browser session is needed to renew an authorization.")
    state = secrets.token_urlsafe(32)
    url = authorizer_for(row.channel).consent_url(state=state, region=row.region or "EU")
    made = OAuthState.objects.create(
        account=account,
        user=user,
        state_hash=_hash(state),
        session_key_hash=_hash(session_key),
        settings={"renew_integration_id": row.pk, "region": row.region or "EU"},
    )
    # Its age is checked against colis' clock: date it by that clock (auto_now_add is not).
    OAuthState.objects.filter(pk=made.pk).update(created_at=clock.now())
    return url


def integration_oauth_finish(
    *,
    account: Any,
    user: Any,
    session_key: str,
    state: str,
    selling_partner_id: str,
    spapi_oauth_code: str,
) -> PendingConnection | Integration:
    """The consent page's callback: a renewal (state started by
    `integration_renew_oauth_start`) returns the renewed Integration, whose new refresh token
    replaced the old; anything else is a new connection (`integration_oauth_callback`)."""
    row = OAuthState.objects.filter(
        account=account,
        state_hash=_hash(state or ""),
        session_key_hash=_hash(session_key or ""),
    ).first()
    renew_id = (row.settings or {}).get("renew_integration_id") if row is not None else None
    if row is None or not renew_id:
        return integration_oauth_callback(
            account=account,
            user=user,
            session_key=session_key,
            state=state,
            selling_partner_id=selling_partner_id,
            spapi_oauth_code=spapi_oauth_code,
        )
    now = clock.now()
    if row.created_at < now - OAUTH_STATE_TTL:
        raise OAuthStateInvalid("This authorization took more than 10 minutes: start again.")
    if OAuthState.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise OAuthStateInvalid("This authorization was already used: start again.")
    integration = _own(account=account, integration_id=int(renew_id))
    if (selling_partner_id or "").strip() != integration.seller_id:
        raise RenewalNotPossible(
            "Amazon authorized another seller account than this shop's: sign in to Seller "
            "Central with the shop's account and renew again."
        )
    if not spapi_oauth_code:
        raise OAuthStateInvalid("Amazon sent no authorization code: start again.")
    authorizer = authorizer_for(integration.channel)
    check = authorizer.exchange_code(
        selling_partner_id=integration.seller_id,
        code=spapi_oauth_code,
        region=str((row.settings or {}).get("region") or integration.region or "EU"),
    )
    old = _json(integration.credentials)
    credentials = {**old, "refresh_token": check.credentials["refresh_token"]}
    renewed = _reactivate(integration_id=integration.pk, credentials=credentials, now=now)
    if old.get("refresh_token") and old.get("refresh_token") != credentials["refresh_token"]:
        _forget(authorizer, old)
    return renewed


# --- revocation ---------------------------------------------------------------------------


def integration_revoke(*, account: Any, integration_id: int) -> Integration:
    """Revoke colis' authorization: the token is DELETED from the stored credentials, imports
    and feedback stop, the orders stay (read-only). Reconnecting authorizes again."""
    row = _own(account=account, integration_id=integration_id)
    if row.state == S.DISCONNECTED:
        raise RenewalNotPossible("This shop is disconnected already.")
    credentials = _json(row.credentials)
    with transaction.atomic():
        Integration.objects.filter(pk=row.pk).exclude(state=S.DISCONNECTED).update(
            state=S.REVOKED,
            credentials=None,
            resume_token="",
            next_import_at=None,
            lock_owner="",
            locked_until=None,
            updated_at=clock.now(),
        )
    _forget(authorizer_for(row.channel), credentials)
    row.refresh_from_db()
    log.info("integration %s: authorization revoked in colis; token deleted", row.pk)
    return row


__all__ = [
    "REMINDER_DAYS",
    "RenewalNeedsConsent",
    "RenewalNotPossible",
    "SecretRotation",
    "SweepResult",
    "integration_lifecycle_sweep",
    "integration_oauth_finish",
    "integration_renew",
    "integration_renew_oauth_start",
    "integration_revoke",
    "lwa_secret_rotation",
    "reminder_due",
]
