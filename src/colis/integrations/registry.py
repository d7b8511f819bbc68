"""Find an integration's marketplace connector through the `colis.marketplaces` entry points.

A connector package declares, in its pyproject.toml:

    [project.entry-points."colis.marketplaces"]
    amazon = "colis.marketplaces.amazon.connector:connector_for_integration"

The entry point is a callable taking the Integration row and returning a MarketplaceConnector.
Services never import a marketplace package directly.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Protocol

from colis.integrations.ports import ConnectionCheck, MarketplaceConnector

GROUP = "colis.marketplaces"


class UnknownMarketplace(LookupError):
    """No installed package offers a connector for this channel."""


@functools.cache
def _factory(channel: str) -> Callable[[Any], MarketplaceConnector]:
    for ep in entry_points(group=GROUP):
        if ep.name == channel:
            return ep.load()  # type: ignore[no-any-return]
    raise UnknownMarketplace(
        f"no connector installed for channel {channel!r} (entry point group {GROUP})"
    )


def connector_for(integration: Any) -> MarketplaceConnector:
    """The connector for one integration (reads its channel, credentials and settings)."""
    return _factory(str(integration.channel))(integration)


def channels() -> list[str]:
    return sorted({ep.name for ep in entry_points(group=GROUP)})


# --- connecting a shop ------------------------------------------------------------------------
AUTHORIZERS = "colis.marketplaces.authorizers"


class MarketplaceAuthorizer(Protocol):
    """What a marketplace package offers for connecting a seller (entry point group
    `colis.marketplaces.authorizers`, a class instantiated without arguments)."""

    channel: str

    def marketplaces(self) -> dict[str, dict[str, str]]:
        """{marketplace id: {"country", "iso", "region", "name"}} of every known marketplace."""
        ...

    def has_app(self) -> bool: ...

    def has_mws(self) -> bool: ...

    def consent_url(self, *, state: str, region: str = "EU") -> str: ...

    def exchange_code(
        self, *, selling_partner_id: str, code: str, region: str = "EU"
    ) -> ConnectionCheck: ...

    def check_self_authorized(
        self,
        *,
        seller_id: str,
        lwa_client_id: str,
        lwa_client_secret: str,
        refresh_token: str,
        region: str = "EU",
    ) -> ConnectionCheck: ...

    def check_mws(
        self, *, seller_id: str, marketplace_id: str, mws_auth_token: str
    ) -> ConnectionCheck: ...

    def migrate_mws(self, *, seller_id: str, mws_auth_token: str, region: str = "EU") -> str: ...

    def forget(self, credentials: dict[str, Any] | None) -> None: ...


def authorizer_for(channel: str) -> MarketplaceAuthorizer:
    for ep in entry_points(group=AUTHORIZERS):
        if ep.name == channel:
            return ep.load()()  # type: ignore[no-any-return]
    raise UnknownMarketplace(
        f"no authorizer installed for channel {channel!r} (group {AUTHORIZERS})"
    )
