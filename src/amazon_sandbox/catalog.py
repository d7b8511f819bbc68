"""Deterministic per-seller catalogs: SKUs, ASINs and package weights.

Weights are stored where Amazon would hold them: in the catalog (Catalog Items
`dimensions`), in the seller's listing (`item_package_weight`), in both, or nowhere —
so a shipping platform meets every case, "weight missing" included.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from .defaults import ALL_SELLERS, SandboxSeller

PRODUCTS: tuple[tuple[str, str, int], ...] = (
    # (title, brand, price in cents, EUR)
    ("Espresso Cup Set, 6 Porcelain Cups", "Caffè Sandbox", 2490),
    ("Merino Wool Scarf, Charcoal", "Lanificio Demo", 3990),
    ("Stainless Steel Water Bottle 750 ml", "Hydra Demo", 1899),
    ("Cast Iron Skillet 26 cm", "Fonderia Prova", 4599),
    ("LED Desk Lamp with USB-C", "Lumen Test", 2999),
    ("Organic Olive Oil 1 l", "Frantoio Esempio", 1450),
    ("Children's Wooden Puzzle, 24 Pieces", "Holzwerk Muster", 1799),
    ("Yoga Mat 6 mm, Non-Slip", "Asana Demo", 2699),
    ("Bluetooth Speaker, Waterproof", "Klangprobe", 5999),
    ("Leather Wallet, RFID Blocking", "Pelletteria Test", 3499),
    ("Ceramic Plant Pot Ø 20 cm", "Terracotta Demo", 1599),
    ("Cotton Bath Towel Set (4)", "Linge d'Exemple", 3299),
    ("Hardcover Notebook A5, Dotted", "Carta Prova", 1299),
    ("Kitchen Scale, Digital, 5 kg", "Wiegetest", 1999),
    ("Running Socks, 3 Pairs", "Passo Demo", 1499),
    ("Phone Case, Clear", "Custodia Test", 999),
    ("Board Game: Tiles & Trains", "Spielprobe", 3999),
    ("Hand Cream 75 ml, Lavender", "Savon d'Essai", 899),
    ("Garden Hose 25 m", "Gartenmuster", 4299),
    ("Wall Clock, Silent, 30 cm", "Orologio Demo", 2599),
)
WEIGHT_UNITS = ("pounds", "ounces", "grams", "kilograms")
# Per kilogram, to express a weight in each unit.
UNIT_FACTOR = {"kilograms": 1.0, "grams": 1000.0, "pounds": 2.20462, "ounces": 35.274}
SKUS_PER_SELLER = 40


@dataclass(frozen=True, slots=True)
class Weight:
    unit: str
    value: float


@dataclass(frozen=True, slots=True)
class Sku:
    seller_id: str
    sku: str
    asin: str
    title: str
    brand: str
    price_cents: int  # in EUR cents; converted per marketplace at render time
    catalog_weight: Weight | None  # Catalog Items dimensions[].package.weight
    listing_weight: Weight | None  # Listings Items attributes.item_package_weight
    dims_cm: tuple[float, float, float]


def _asin(seller_id: str, index: int) -> str:
    digest = hashlib.sha256(f"{seller_id}:{index}".encode()).hexdigest().upper()
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    value = int(digest[:16], 16)
    chars = []
    for _ in range(8):
        value, rem = divmod(value, len(alphabet))
        chars.append(alphabet[rem])
    return "B0" + "".join(chars)


def _ascii(word: str) -> str:
    """SKUs stay ASCII (sellers' SKUs often come from spreadsheets and barcode printers)."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.upper() if ch.isalnum())


def _weight(rng: random.Random, kilograms: float) -> Weight:
    unit = rng.choice(WEIGHT_UNITS)
    value = round(kilograms * UNIT_FACTOR[unit], 2 if unit in ("kilograms", "pounds") else 0)
    return Weight(unit, value)


def _make_sku(seller: SandboxSeller, index: int, seed: int) -> Sku:
    rng = random.Random(f"{seed}:{seller.selling_partner_id}:{index}")
    title, brand, price = PRODUCTS[index % len(PRODUCTS)]
    variant = index // len(PRODUCTS)
    if variant:
        title = f"{title} (v{variant + 1})"
    kilograms = round(rng.uniform(0.08, 6.5), 3)
    # Where the weight lives: both 40 %, catalog only 20 %, listing only 20 %, nowhere 20 %.
    # Index 0 always has no weight anywhere, so every seller has a "weight missing" SKU.
    roll = rng.random()
    where = (
        "none"
        if index == 0
        else (
            "both"
            if roll < 0.4
            else "catalog"
            if roll < 0.6
            else "listing"
            if roll < 0.8
            else "none"
        )
    )
    catalog_weight = _weight(rng, kilograms) if where in ("both", "catalog") else None
    listing_weight = _weight(rng, kilograms) if where in ("both", "listing") else None
    prefix = seller.selling_partner_id[1:4]
    dims = (
        round(rng.uniform(5, 60), 1),
        round(rng.uniform(5, 40), 1),
        round(rng.uniform(1, 30), 1),
    )
    return Sku(
        seller_id=seller.selling_partner_id,
        sku=f"{prefix}-{index:04d}-{_ascii(brand.split()[0])[:6]}",
        asin=_asin(seller.selling_partner_id, index),
        title=title,
        brand=brand,
        price_cents=price + rng.randint(-200, 200) if price > 500 else price,
        catalog_weight=catalog_weight,
        listing_weight=listing_weight,
        dims_cm=dims,
    )


class Catalog:
    """All sellers' SKUs, indexed by seller, SKU and ASIN."""

    def __init__(self, seed: int) -> None:
        self.by_seller: dict[str, list[Sku]] = {}
        self.by_sku: dict[tuple[str, str], Sku] = {}
        self.by_asin: dict[str, Sku] = {}
        for seller in ALL_SELLERS:
            skus = [_make_sku(seller, j, seed) for j in range(SKUS_PER_SELLER)]
            self.by_seller[seller.selling_partner_id] = skus
            for sku in skus:
                self.by_sku[(seller.selling_partner_id, sku.sku)] = sku
                self.by_asin[sku.asin] = sku

    def add(self, sku: Sku) -> None:
        self.by_seller.setdefault(sku.seller_id, []).append(sku)
        self.by_sku[(sku.seller_id, sku.sku)] = sku
        self.by_asin[sku.asin] = sku
