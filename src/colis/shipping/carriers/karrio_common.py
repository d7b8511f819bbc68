"""Shared karrio plumbing: gateways, port ↔ karrio conversions, karrio messages → errors."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from colis.shipping import ports

logger = logging.getLogger(__name__)


@functools.cache
def karrio_sdk() -> Any:
    """Import karrio once (its plugin discovery is slow) and quieten its INFO logging."""
    try:  # karrio logs through loguru at INFO on every call; colis keeps WARNING and up.
        from loguru import logger as loguru_logger

        loguru_logger.disable("karrio")
    except ImportError:  # pragma: no cover
        pass
    import karrio.addons.label as karrio_label
    import karrio.sdk as karrio

    # karrio's generic labels compile their Jinja template on every label (`Template(src)`),
    # 60 % of a label's time; the compiled template is immutable, so compile it once.
    if not hasattr(karrio_label.Template, "cache_info"):
        karrio_label.Template = functools.lru_cache(maxsize=16)(karrio_label.Template)
    _bound_carrier_calls()
    return karrio


CARRIER_TIMEOUT = 30  # seconds; karrio's proxies call urlopen without a timeout


def _bound_carrier_calls() -> None:
    """karrio's carrier proxies never pass a timeout: a stuck carrier would hold a request
    (and the parcel's lease) forever. Give karrio's one HTTP function a default."""
    import karrio.core.utils.helpers as karrio_http

    current = karrio_http.urlopen
    if getattr(current, "colis_timeout", False):
        return

    def urlopen(request: Any, timeout: Any = None, *args: Any, **kwargs: Any) -> Any:
        return current(request, timeout or CARRIER_TIMEOUT, *args, **kwargs)

    urlopen.colis_timeout = True  # type: ignore[attr-defined]
    karrio_http.urlopen = urlopen


@functools.cache
def token_cache() -> Any:
    """One karrio cache per process: OAuth tokens (DHL) are reused across gateways."""
    import karrio.lib as lib

    return lib.Cache()


def gateway(carrier_name: str, settings: dict[str, Any]) -> Any:
    return karrio_sdk().gateway[carrier_name].create(settings, cache=token_cache())


def address(party: ports.Party) -> dict[str, Any]:
    return {
        "person_name": party.name or None,
        "company_name": party.company or None,
        "address_line1": party.street1,
        "address_line2": party.street2 or None,
        "postal_code": party.postal_code,
        "city": party.city,
        "country_code": party.country_code,
        "state_code": party.region or None,
        "phone_number": party.phone or None,
        "email": party.email or None,
    }


def parcel(package: ports.PackageSpec, *, reference: str = "") -> dict[str, Any]:
    return {
        "weight": round(package.weight_grams / 1000, 3),
        "weight_unit": "KG",
        "reference_number": reference or package.reference or None,
        "items": [
            {
                "sku": line.sku,
                "title": line.title[:100] or line.sku,
                "quantity": line.quantity,
                "weight": (line.unit_weight_grams or 0) / 1000 or None,
                "weight_unit": "KG",
            }
            for line in package.items
        ],
    }


def raise_for_messages(messages: Sequence[Any], carrier_label: str) -> None:
    """karrio answers problems as Message objects (and wraps exceptions into them)."""
    if not messages:
        return
    items = tuple(
        ports.CarrierMessage(code=str(m.code or ""), message=str(m.message or "")) for m in messages
    )
    text = "; ".join(
        f"{m.message} ({m.code})" if m.code and m.code not in m.message else m.message
        for m in items
    )
    raise ports.CarrierError(f"{carrier_label}: {text}", messages=items)


def parse_timestamp(
    value: str | None,
    date: str | None = None,
    time: str | None = None,
    *,
    tz: str = "UTC",
) -> dt.datetime:
    """karrio's event timestamps are the carrier's local time (`tz`) written with a "Z"
    (`lib.fiso_timestamp` drops the real offset: La Poste's 10:12+01:00 becomes 10:12Z),
    so a "Z" is read as local time; an explicit other offset is kept."""
    candidates = [value] if value else []
    if date:
        candidates.append(f"{date}T{time or '00:00'}")
    for text in candidates:
        try:
            parsed = dt.datetime.fromisoformat(str(text).removesuffix("Z"))
        except ValueError:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=ZoneInfo(tz))
        return parsed
    return dt.datetime.now(tz=dt.UTC)


KARRIO_STATUS: dict[str, ports.TrackingStatus] = {
    "pending": ports.TrackingStatus.ANNOUNCED,
    "picked_up": ports.TrackingStatus.PICKED_UP,
    "in_transit": ports.TrackingStatus.IN_TRANSIT,
    "on_hold": ports.TrackingStatus.EXCEPTION,
    "delivery_delayed": ports.TrackingStatus.DELAYED,
    "out_for_delivery": ports.TrackingStatus.OUT_FOR_DELIVERY,
    "ready_for_pickup": ports.TrackingStatus.AWAITING_PICKUP,
    "delivery_failed": ports.TrackingStatus.DELIVERY_FAILED,
    "return_to_sender": ports.TrackingStatus.RETURNED,
    "delivered": ports.TrackingStatus.DELIVERED,
    "cancelled": ports.TrackingStatus.CANCELLED,
}
