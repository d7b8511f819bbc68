"""Pure weight rules of the import: which weight an item uses and what an order weighs.

No I/O here: the services load products and orders and call these functions.
Precedence of a SKU's unit weight: manual (entered in colis) > Amazon (catalog or
listing) > the integration's opt-in default weight.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

MIN_GRAMS = 1
MAX_GRAMS = 70_000  # the heaviest parcel any supported carrier takes

WEIGHT_MISSING = "weight_missing"


class InvalidWeight(ValueError):
    """A weight outside 1 g … 70 000 g: refused, with a plain message."""

    code = "invalid_weight"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def grams_from_decimal(value: Decimal | float | int) -> int:
    """A package weight rounded up to whole grams (a parcel is never lighter than its contents)."""
    return max(math.ceil(Decimal(value)), 0)


def grams_check(grams: int) -> int:
    """Refuse absurd weights: zero, negative or over 70 kg."""
    if isinstance(grams, bool) or not isinstance(grams, int):
        raise InvalidWeight("The weight must be a whole number of grams.")
    if grams < MIN_GRAMS or grams > MAX_GRAMS:
        raise InvalidWeight(
            f"The weight must be between {MIN_GRAMS} g and {MAX_GRAMS:,} g.".replace(",", " ")
        )
    return grams


@dataclass(frozen=True, slots=True)
class KnownWeight:
    grams: int
    source: str  # Product.Source value


def unit_weight(
    *, product_grams: int | None, product_source: str, default_grams: int | None
) -> KnownWeight | None:
    """The unit weight an item uses, or None when nothing is known."""
    if product_grams is not None and product_grams > 0:
        return KnownWeight(product_grams, product_source or "manual")
    if default_grams:
        return KnownWeight(default_grams, "default")
    return None


@dataclass(frozen=True, slots=True)
class OrderWeight:
    grams: int | None  # None when an item's weight is missing
    missing_skus: tuple[str, ...]


def order_weight(items: Iterable[tuple[str, int, int | None]]) -> OrderWeight:
    """Sum of unit weight × quantity over (sku, quantity, unit grams) rows."""
    total = 0
    missing: list[str] = []
    for sku, quantity, grams in items:
        if grams is None:
            if sku not in missing:
                missing.append(sku)
            continue
        total += grams * quantity
    return OrderWeight(None if missing else total, tuple(missing))


def weight_missing_error(sku: str) -> dict[str, str]:
    return {
        "code": WEIGHT_MISSING,
        "sku": sku,
        "message": f"No weight is known for SKU {sku}: enter it once and colis remembers it.",
    }
