"""The texts of notifications, by key: stored as keys with parameters, rendered in the
reader's language when shown or e-mailed (so a French reader sees French whoever made it).

Parameters ending in `_date` hold ISO dates and are shown in the reader's date format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext_noop

MESSAGES: dict[str, str] = {
    # --- an integration's authorization ------------------------------------------------
    "authorization_reminder.title": gettext_noop(
        "The Amazon authorization of %(name)s expires on %(expires_date)s"
    ),
    "authorization_reminder.body": gettext_noop(
        "colis can import the orders of %(name)s (%(marketplace)s) and send shipments back "
        "until %(expires_date)s (%(days)s days left). After that date imports and shipment "
        "updates pause until you renew. To renew, open Connected shops in colis and choose "
        "Renew: a Seller Central authorization is confirmed on Amazon's consent page; an MWS "
        "authorization is first renewed in Seller Central › Settings › User Permissions."
    ),
    "authorization_expired.title": gettext_noop("The Amazon authorization of %(name)s has expired"),
    "authorization_expired.body": gettext_noop(
        "The authorization of %(name)s (%(marketplace)s) expired on %(expires_date)s. colis "
        "paused its imports and keeps the shipment updates it owes Amazon: nothing is lost. "
        "Open Connected shops in colis and choose Renew; imports resume where they stopped."
    ),
    "authorization_revoked.title": gettext_noop("Amazon revoked the authorization of %(name)s"),
    "authorization_revoked.body": gettext_noop(
        "Amazon no longer accepts colis' authorization for %(name)s (%(marketplace)s): it was "
        "revoked in Seller Central or never granted. Imports are stopped; orders already "
        "imported stay in colis. Open Connected shops and choose Reconnect."
    ),
    # --- the instance's LWA client secret (operators) --------------------------------
    "lwa_secret_rotation.title": gettext_noop(
        "Rotate the Amazon LWA client secret by %(due_date)s"
    ),
    "lwa_secret_rotation.body": gettext_noop(
        "Amazon asks for a new LWA client secret every 180 days. This instance's secret was "
        "last rotated on %(rotated_date)s and must be rotated by %(due_date)s, or every "
        "Amazon call of every shop stops. Generate a new secret in the Solution Provider "
        "Portal, set COLIS_AMAZON_LWA_CLIENT_SECRET and COLIS_AMAZON_LWA_SECRET_ROTATED_ON, "
        "and restart colis."
    ),
    "lwa_secret_rotation_overdue.title": gettext_noop(
        "The Amazon LWA client secret was due for rotation on %(due_date)s"
    ),
}


def _show(key: str, value: Any) -> Any:
    if key.endswith("_date") and isinstance(value, str):
        try:
            return formats.date_format(dt.date.fromisoformat(value[:10]), "DATE_FORMAT")
        except ValueError:
            return value
    return value


def render(key: str, params: dict[str, Any], language: str | None = None) -> str:
    """The text of a message key in `language` (the active language when None)."""
    template = MESSAGES.get(key)
    if template is None:
        return key
    with translation.override(language or translation.get_language()):
        shown = {k: _show(k, v) for k, v in (params or {}).items()}
        try:
            return translation.gettext(template) % shown
        except (KeyError, TypeError, ValueError):
            return translation.gettext(template)
