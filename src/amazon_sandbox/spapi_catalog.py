"""Catalog Items 2022-04-01 and Listings Items 2021-08-01: where package weights live."""

from __future__ import annotations

from typing import Any

from .catalog import Sku
from .clock import iso
from .constants import ALL_MARKETPLACE_IDS, MARKETPLACE_BY_ID
from .web import ApiError, Ctx, Result, invalid, ok

CATALOG_DATA = frozenset(
    {
        "attributes",
        "classifications",
        "dimensions",
        "identifiers",
        "images",
        "productTypes",
        "relationships",
        "salesRanks",
        "summaries",
        "vendorDetails",
    }
)
LISTING_DATA = frozenset(
    {
        "summaries",
        "attributes",
        "issues",
        "offers",
        "fulfillmentAvailability",
        "procurement",
        "relationships",
        "productTypes",
    }
)


def _marketplace_ids(ctx: Ctx, max_items: int | None = None) -> list[str]:
    ids = ctx.query_list("marketplaceIds")
    if not ids:
        raise invalid("Missing required parameter: marketplaceIds.")
    if max_items and len(ids) > max_items:
        raise invalid(f"marketplaceIds accepts at most {max_items} value(s).")
    bad = [m for m in ids if m not in ALL_MARKETPLACE_IDS]
    if bad:
        raise invalid(f"Invalid marketplaceIds: {', '.join(bad)}.")
    return ids


def _included(ctx: Ctx, allowed: frozenset[str]) -> frozenset[str]:
    values = ctx.query_list("includedData") or ["summaries"]
    bad = [v for v in values if v not in allowed]
    if bad:
        raise invalid(f"Invalid includedData value(s): {', '.join(bad)}.")
    return frozenset(values)


def _ean(sku: Sku) -> str:
    digits = "40" + str(int(sku.asin[2:], 36) % 10**10).zfill(10)
    check = (10 - sum((3 if k % 2 else 1) * int(d) for k, d in enumerate(digits)) % 10) % 10
    return digits + str(check)


def catalog_item(sku: Sku, marketplaces: list[str], included: frozenset[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"asin": sku.asin}
    if "dimensions" in included:
        length, width, height = sku.dims_cm
        package: dict[str, Any] = {
            "height": {"unit": "centimeters", "value": height},
            "length": {"unit": "centimeters", "value": length},
            "width": {"unit": "centimeters", "value": width},
        }
        if sku.catalog_weight:
            package["weight"] = {"unit": sku.catalog_weight.unit, "value": sku.catalog_weight.value}
        item["dimensions"] = [{"marketplaceId": m, "package": package} for m in marketplaces]
    if "identifiers" in included:
        item["identifiers"] = [
            {
                "marketplaceId": m,
                "identifiers": [{"identifierType": "EAN", "identifier": _ean(sku)}],
            }
            for m in marketplaces
        ]
    if "productTypes" in included:
        item["productTypes"] = [
            {"marketplaceId": m, "productType": "PRODUCT"} for m in marketplaces
        ]
    if "summaries" in included:
        item["summaries"] = [
            {
                "marketplaceId": m,
                "brand": sku.brand,
                "itemClassification": "BASE_PRODUCT",
                "itemName": sku.title,
                "manufacturer": sku.brand,
            }
            for m in marketplaces
        ]
    return item


def get_catalog_item(ctx: Ctx) -> Result:
    asin = ctx.request.path_params.get("asin", "")
    if not asin:
        raise invalid("Missing required parameter: asin.")
    marketplaces = _marketplace_ids(ctx)
    included = _included(ctx, CATALOG_DATA)
    sku = ctx.sandbox.catalog.by_asin.get(asin)
    if sku is None:
        raise ApiError(
            404,
            "NOT_FOUND",
            f"Requested item '{asin}' not found in marketplace(s) {','.join(marketplaces)}.",
        )
    return ok(catalog_item(sku, marketplaces, included))


def search_catalog_items(ctx: Ctx) -> Result:
    marketplaces = _marketplace_ids(ctx, 1)
    included = _included(ctx, CATALOG_DATA)
    identifiers = ctx.query_list("identifiers")
    keywords = ctx.query_list("keywords")
    if bool(identifiers) == bool(keywords):
        raise invalid("Exactly one of identifiers and keywords must be provided.")
    catalog = ctx.sandbox.catalog
    if identifiers:
        if len(identifiers) > 20:
            raise invalid("identifiers accepts at most 20 values.")
        kind = ctx.query("identifiersType")
        if kind not in ("ASIN", "SKU", "EAN"):
            raise invalid("identifiersType is required with identifiers (ASIN, SKU or EAN).")
        if kind == "SKU":
            seller = ctx.query("sellerId")
            if not seller:
                raise invalid("sellerId is required when identifiersType is SKU.")
            found = [
                catalog.by_sku[(seller, i)] for i in identifiers if (seller, i) in catalog.by_sku
            ]
        elif kind == "ASIN":
            found = [catalog.by_asin[i] for i in identifiers if i in catalog.by_asin]
        else:
            eans = set(identifiers)
            found = [s for s in catalog.by_asin.values() if _ean(s) in eans]
    else:
        words = [k.lower() for k in keywords or []]
        found = [s for s in catalog.by_asin.values() if any(w in s.title.lower() for w in words)]
    raw_size = ctx.query("pageSize") or "10"
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= 20:
        raise invalid("pageSize must be between 1 and 20.")
    items = [catalog_item(s, marketplaces, included) for s in found[: int(raw_size)]]
    return ok(
        {
            "numberOfResults": len(found),
            "pagination": {},
            "refinements": {"brands": [], "classifications": []},
            "items": items,
        }
    )


def get_listings_item(ctx: Ctx) -> Result:
    seller_id = ctx.request.path_params["sellerId"]
    sku_code = ctx.request.path_params["sku"]
    marketplaces = _marketplace_ids(ctx)
    included = _included(ctx, LISTING_DATA)
    if seller_id != ctx.seller:
        raise ApiError(
            403,
            "Unauthorized",
            "Access to requested resource is denied.",
            "The seller id does not match the authorization.",
        )
    sku = ctx.sandbox.catalog.by_sku.get((seller_id, sku_code))
    if sku is None:
        raise ApiError(
            404, "NOT_FOUND", f"SKU '{sku_code}' not found in marketplace {','.join(marketplaces)}."
        )
    created = iso(ctx.sandbox.started_at - 200 * 86400)
    item: dict[str, Any] = {"sku": sku.sku}
    if "summaries" in included:
        item["summaries"] = [
            {
                "marketplaceId": m,
                "asin": sku.asin,
                "productType": "PRODUCT",
                "conditionType": "new_new",
                "status": ["BUYABLE", "DISCOVERABLE"],
                "itemName": sku.title,
                "createdDate": created,
                "lastUpdatedDate": created,
            }
            for m in marketplaces
        ]
    if "attributes" in included:
        attributes: dict[str, Any] = {
            "item_name": [
                {"value": sku.title, "language_tag": _lang(m), "marketplace_id": m}
                for m in marketplaces
            ],
            "brand": [{"value": sku.brand, "marketplace_id": m} for m in marketplaces],
        }
        if sku.listing_weight:
            attributes["item_package_weight"] = [
                {
                    "unit": sku.listing_weight.unit,
                    "value": sku.listing_weight.value,
                    "marketplace_id": m,
                }
                for m in marketplaces
            ]
        item["attributes"] = attributes
    if "issues" in included:
        item["issues"] = []
    return ok(item)


def _lang(marketplace_id: str) -> str:
    m = MARKETPLACE_BY_ID.get(marketplace_id)
    return m.language if m else "en_US"
