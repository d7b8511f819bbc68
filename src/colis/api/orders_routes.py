"""Orders, imports and product weights over the API: thin, they call services and selectors.

Lists never carry buyer PII; one order's detail (`GET /orders/{id}`) does, decrypted.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router, Schema, Status

from colis.api.auth import current_account, current_user
from colis.api.errors import ApiError, ErrorResponse
from colis.integrations.errors import IntegrationError, IntegrationNotFound
from colis.orders.models import Order
from colis.orders.selectors import InvalidCursor, order_get, order_list
from colis.orders.services import (
    IntegrationNotActive,
    integration_reimport_from,
    integration_sync_now,
    product_set_weight,
)
from colis.orders.weights import InvalidWeight
from colis.privacy.services import pii_access_record

router = Router(tags=["orders"])

ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
}


# --- schemas ----------------------------------------------------------------------------


class SyncIn(Schema):
    since: dt.date | None = None


class SyncOut(Schema):
    integration_id: int
    queued: bool
    since: dt.date | None = None


class OrderErrorOut(Schema):
    code: str
    message: str
    sku: str | None = None


class OrderSummaryOut(Schema):
    id: int
    integration_id: int
    external_id: str
    marketplace_id: str
    status: str
    marketplace_status: str
    purchased_at: dt.datetime
    ship_by: dt.datetime | None
    is_prime: bool
    is_business: bool
    on_hold: bool
    fulfilled_by_marketplace: bool
    buyer_cancel_requested: bool
    shippable: bool
    weight_grams: int | None
    has_error: bool
    errors: list[OrderErrorOut]
    skus: list[str]
    recipient_country: str
    recipient_postal_code: str
    recipient_city: str
    order_total: decimal.Decimal | None
    currency: str


class OrderListOut(Schema):
    orders: list[OrderSummaryOut]
    next: str | None


class OrderItemOut(Schema):
    id: int
    external_id: str
    sku: str
    asin: str
    title: str
    quantity: int
    quantity_shipped: int
    unit_price: decimal.Decimal | None
    buyer_cancel_requested: bool
    buyer_cancel_reason: str
    unit_weight_grams: int | None
    weight_source: str


class AddressOut(Schema):
    name: str
    company: str
    lines: list[str]
    city: str
    postal_code: str
    region: str
    country: str
    phone: str


class OrderDetailOut(OrderSummaryOut):
    marketplace_updated_at: dt.datetime
    imported_at: dt.datetime
    ship_service_level: str
    deliver_by: dt.datetime | None
    buyer_name: str
    buyer_email: str
    gift_message: str
    address: AddressOut
    items: list[OrderItemOut]


class WeightIn(Schema):
    grams: int


class ProductWeightOut(Schema):
    sku: str
    grams: int | None
    source: str


# --- helpers ----------------------------------------------------------------------------


def _errors(order: Order) -> list[dict[str, Any]]:
    return [
        {"code": str(e.get("code", "")), "message": str(e.get("message", "")), "sku": e.get("sku")}
        for e in order.errors or []
        if isinstance(e, dict)
    ]


def _summary(order: Order) -> dict[str, Any]:
    return {
        "id": order.pk,
        "integration_id": order.integration_id,
        "external_id": order.external_id,
        "marketplace_id": order.marketplace_id,
        "status": order.status,
        "marketplace_status": order.marketplace_status,
        "purchased_at": order.purchased_at,
        "ship_by": order.ship_by,
        "is_prime": order.is_prime,
        "is_business": order.is_business,
        "on_hold": order.on_hold,
        "fulfilled_by_marketplace": order.fulfilled_by_marketplace,
        "buyer_cancel_requested": order.buyer_cancel_requested,
        "shippable": order.shippable and not order.on_hold,
        "weight_grams": order.weight_grams,
        "has_error": order.has_error,
        "errors": _errors(order),
        "skus": order.skus.split() if order.skus else [],
        "recipient_country": order.recipient_country,
        "recipient_postal_code": order.recipient_postal_code,
        "recipient_city": order.recipient_city,
        "order_total": order.order_total,
        "currency": order.currency,
    }


def _integration_error(exc: IntegrationError) -> ApiError:
    if isinstance(exc, IntegrationNotFound):
        return ApiError(404, "not_found", "Not found.")
    status = 409 if isinstance(exc, IntegrationNotActive) else 400
    return ApiError(status, exc.code, exc.message, field=exc.field)


# --- endpoints --------------------------------------------------------------------------


@router.post("/integrations/{int:integration_id}/sync", response={202: SyncOut, **ERRORS})
def integration_sync(
    request: HttpRequest, integration_id: int, payload: SyncIn | None = None
) -> Status:
    """Import now; with `since`, re-import every order updated since that date."""
    account = current_account(request)
    since = payload.since if payload else None
    try:
        if since is None:
            integration_sync_now(account=account, integration_id=integration_id)
        else:
            integration_reimport_from(account=account, integration_id=integration_id, since=since)
    except IntegrationError as exc:
        raise _integration_error(exc) from exc
    return Status(202, {"integration_id": integration_id, "queued": True, "since": since})


class OrderFilters(Schema):
    integration: int | None = None
    status: Order.Status | None = None
    has_error: bool | None = None
    ship_by: Literal["today", "overdue"] | None = None
    prime: bool | None = None
    q: str | None = None
    after: str | None = None
    limit: int = 50


@router.get("/orders", response={200: OrderListOut, **ERRORS})
def orders_list(request: HttpRequest, filters: Query[OrderFilters]) -> dict[str, Any]:
    """The account's orders, newest first; follow `next` (pass it as `after`) for more."""
    if not 1 <= filters.limit <= 200:
        raise ApiError(400, "invalid", "limit must be between 1 and 200.", field="limit")
    try:
        page = order_list(
            account=current_account(request),
            integration_id=filters.integration,
            status=filters.status,
            has_error=filters.has_error,
            ship_by=filters.ship_by,
            prime=filters.prime,
            q=filters.q,
            after=filters.after,
            limit=filters.limit,
        )
    except InvalidCursor as exc:
        raise ApiError(400, exc.code, exc.message, field="after") from exc
    return {"orders": [_summary(o) for o in page.orders], "next": page.next}


@router.get("/orders/{int:order_id}", response={200: OrderDetailOut, **ERRORS})
def order_detail(request: HttpRequest, order_id: int) -> dict[str, Any]:
    """One order with its items, weights (and where they came from) and the address."""
    account = current_account(request)
    order = order_get(account=account, order_id=order_id)
    # Who opened which order's buyer data, never the data (Amazon DPP: log access).
    pii_access_record(
        account=account,
        user=current_user(request),
        order_id=order.pk,
        channel="api",
        order_external_id=order.external_id,
    )
    data = _summary(order)
    data.update(
        {
            "marketplace_updated_at": order.marketplace_updated_at,
            "imported_at": order.imported_at,
            "ship_service_level": order.ship_service_level,
            "deliver_by": order.deliver_by,
            "buyer_name": order.buyer_name or "",
            "buyer_email": order.buyer_email or "",
            "gift_message": order.gift_message or "",
            "address": {
                "name": order.recipient_name or "",
                "company": order.recipient_company or "",
                "lines": (order.recipient_lines or "").splitlines(),
                "city": order.recipient_city,
                "postal_code": order.recipient_postal_code,
                "region": order.recipient_region or "",
                "country": order.recipient_country,
                "phone": order.recipient_phone or "",
            },
            "items": [
                {
                    "id": item.pk,
                    "external_id": item.external_id,
                    "sku": item.sku,
                    "asin": item.asin,
                    "title": item.title,
                    "quantity": item.quantity,
                    "quantity_shipped": item.quantity_shipped,
                    "unit_price": item.unit_price,
                    "buyer_cancel_requested": item.buyer_cancel_requested,
                    "buyer_cancel_reason": item.buyer_cancel_reason,
                    "unit_weight_grams": item.weight_grams,
                    "weight_source": item.weight_source,
                }
                for item in order.items.all()
            ],
        }
    )
    return data


@router.put("/products/{path:sku}/weight", response={200: ProductWeightOut, **ERRORS})
def product_weight_set(request: HttpRequest, sku: str, payload: WeightIn) -> dict[str, Any]:
    """Enter a SKU's weight in grams (1 … 70 000); open orders with it are recomputed."""
    try:
        product = product_set_weight(account=current_account(request), sku=sku, grams=payload.grams)
    except InvalidWeight as exc:
        raise ApiError(400, exc.code, exc.message, field="grams") from exc
    return {"sku": product.sku, "grams": product.weight_grams, "source": product.weight_source}


def mount(api: NinjaAPI) -> None:
    api.add_router("/", router)
