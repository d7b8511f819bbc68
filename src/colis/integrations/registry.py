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
from typing import Any

from colis.integrations.ports import MarketplaceConnector

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
