"""Shipping over the API: carrier accounts, shipping methods, parcels and labels.

Thin: every handler calls one shipping service or selector. Carrier credentials are
never echoed (only which fields are set). Errors use the standard body; a refused field
is named (`field`), a carrier's refusal answers 422 with the parcel ids kept in state
error. "Not yours" and "does not exist" are the same 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Router, Schema, Status
from pydantic import Field

from colis.api.auth import current_account
from colis.api.errors import ApiError, ErrorResponse
from colis.shipping import errors as shipping_errors
from colis.shipping import ports, selectors, services
from colis.shipping.models import CarrierAccount, Parcel, ShippingMethod

T = TypeVar("T")

carriers = Router(tags=["shipping"])
parcels = Router(tags=["parcels"])

ERRORS: dict[int, Any] = {
    400: ErrorResponse,
    401: ErrorResponse,
    404: ErrorResponse,
    409: ErrorResponse,
    422: ErrorResponse,
}


def _call(fn: Callable[..., T], **kwargs: Any) -> T:
    """Run a service; its typed errors become the API's error body."""
    try:
        return fn(**kwargs)
    except shipping_errors.CarrierRefused as exc:
        raise ApiError(
            exc.status,
            exc.code,
            exc.message,
            errors=[
                {
                    "code": exc.code,
                    "message": exc.message,
                    "field": None,
                    "parcel_ids": exc.parcel_ids,
                }
            ],
        ) from None
    except shipping_errors.NotFound:
        # "Not yours" and "does not exist" answer the same body (CONVENTIONS rule 5).
        raise ApiError(404, "not_found", "Not found.") from None
    except shipping_errors.ShippingError as exc:
        raise ApiError(
            exc.status, exc.code, exc.message, field=exc.field, errors=exc.extra.get("errors")
        ) from None


# --- schemas ----------------------------------------------------------------------------


class CredentialFieldOut(Schema):
    name: str
    label: str
    required: bool
    secret: bool
    pattern: str
    help_text: str


class ServiceOut(Schema):
    code: str
    name: str
    amazon_carrier_code: str
    amazon_shipping_method: str


class CarrierOut(Schema):
    name: str
    label: str
    label_formats: list[str]
    amazon_carrier_code: str
    services: list[ServiceOut]
    credential_fields: list[CredentialFieldOut]


class CarrierCodeOut(Schema):
    code: str
    name: str
    editable: bool


class CarrierAccountOut(Schema):
    id: int
    carrier: str
    name: str
    test_mode: bool
    label_format: str
    is_active: bool
    credentials_set: list[str]  # the names of the fields that hold a value; never values
    created_at: dt.datetime

    @staticmethod
    def resolve_credentials_set(obj: CarrierAccount) -> list[str]:
        creds: Any = obj.credentials
        return sorted(k for k, v in (creds or {}).items() if v not in (None, ""))


class CarrierAccountIn(Schema):
    carrier: str
    name: str
    credentials: dict[str, Any] = Field(default_factory=dict)
    test_mode: bool = True
    label_format: Literal["PDF", "ZPL"] = "PDF"


class CarrierAccountPatch(Schema):
    name: str | None = None
    credentials: dict[str, Any] | None = None
    test_mode: bool | None = None
    label_format: Literal["PDF", "ZPL"] | None = None
    is_active: bool | None = None


class AmazonMappingIO(Schema):
    marketplace_id: str = ""
    carrier_code: str
    carrier_name: str = ""
    shipping_method_name: str = ""


class ShippingMethodOut(Schema):
    id: int
    name: str
    carrier_account_id: int
    carrier: str
    service_code: str
    min_weight_grams: int
    max_weight_grams: int | None
    destination_countries: list[str]
    is_active: bool
    amazon_mappings: list[AmazonMappingIO]

    @staticmethod
    def resolve_carrier(obj: ShippingMethod) -> str:
        return obj.carrier_account.carrier

    @staticmethod
    def resolve_amazon_mappings(obj: ShippingMethod) -> list[dict[str, str]]:
        return [
            {
                "marketplace_id": m.marketplace_id,
                "carrier_code": m.carrier_code,
                "carrier_name": m.carrier_name,
                "shipping_method_name": m.shipping_method_name,
            }
            for m in obj.amazon_mappings.all()
        ]


class ShippingMethodIn(Schema):
    carrier_account_id: int
    name: str
    service_code: str
    min_weight_grams: int = Field(default=0, ge=0)
    max_weight_grams: int | None = Field(default=None, gt=0)
    destination_countries: list[str] = Field(default_factory=list)
    amazon_mappings: list[AmazonMappingIO] = Field(default_factory=list)


class ShippingMethodPatch(Schema):
    name: str | None = None
    service_code: str | None = None
    min_weight_grams: int | None = Field(default=None, ge=0)
    max_weight_grams: int | None = Field(default=None, gt=0)
    destination_countries: list[str] | None = None
    is_active: bool | None = None
    amazon_mappings: list[AmazonMappingIO] | None = None


class ShippingDefaultIn(Schema):
    method_id: int | None


class ShippingDefaultOut(Schema):
    integration_id: int
    method_id: int | None


class ParcelLineIn(Schema):
    order_item_id: int
    quantity: int


class ParcelsIn(Schema):
    """One order (`order_id`, optionally split with `items`) or a batch (`order_ids`)."""

    order_id: int | None = None
    order_ids: list[int] | None = Field(default=None, max_length=500)
    method_id: int | None = None
    weight_grams: int | list[int] | None = None
    items: list[list[ParcelLineIn]] | None = None
    idempotency_key: str | None = Field(default=None, max_length=200)


class ParcelItemOut(Schema):
    order_item_id: int
    sku: str
    quantity: int


class ParcelEventOut(Schema):
    status: str
    occurred_at: dt.datetime
    source: str
    code: str
    description: str
    location: str


class ParcelOut(Schema):
    id: int
    order_id: int
    order_external_id: str
    integration_id: int
    status: str
    status_label: str
    carrier: str
    carrier_account_id: int
    shipping_method_id: int
    service_code: str
    tracking_number: str
    tracking_url: str
    weight_grams: int
    package_index: int
    package_count: int
    label_formats: list[str]
    error_code: str
    error_message: str
    label_created_at: dt.datetime | None
    first_scan_at: dt.datetime | None
    delivered_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_order_external_id(obj: Parcel) -> str:
        return obj.order.external_id

    @staticmethod
    def resolve_integration_id(obj: Parcel) -> int:
        return obj.order.integration_id

    @staticmethod
    def resolve_status_label(obj: Parcel) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_label_formats(obj: Parcel) -> list[str]:
        if obj.status == Parcel.Status.CANCELLED:
            return []
        return [
            f
            for f, path in (("pdf", obj.label_pdf), ("a4", obj.label_pdf), ("zpl", obj.label_zpl))
            if path
        ]


class ParcelDetailOut(ParcelOut):
    items: list[ParcelItemOut]
    events: list[ParcelEventOut]

    @staticmethod
    def resolve_items(obj: Parcel) -> list[dict[str, Any]]:
        return [
            {"order_item_id": pi.order_item_id, "sku": pi.order_item.sku, "quantity": pi.quantity}
            for pi in obj.items.all()
        ]


class BulkFailureOut(Schema):
    order_id: int
    code: str
    message: str
    field: str | None = None
    parcel_ids: list[int] = Field(default_factory=list)


class ParcelsOut(Schema):
    parcels: list[ParcelOut]
    failures: list[BulkFailureOut] = Field(default_factory=list)
    batch_id: int | None = None
    batch_label_url: str | None = None


class ParcelPage(Schema):
    items: list[ParcelOut]
    count: int
    limit: int
    offset: int


class ParcelFilters(Schema):
    status: str | None = None
    integration_id: int | None = None
    order_id: int | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)


class RetryIn(Schema):
    weight_grams: int | None = Field(default=None, gt=0)


class AdvanceIn(Schema):
    to: str


# --- carriers, codes, carrier accounts -----------------------------------------------


@carriers.get("/carriers", response={200: list[CarrierOut], 401: ErrorResponse})
def list_carriers(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for name, c in sorted(ports.carriers_available().items()):
        out.append(
            {
                "name": name,
                "label": c.label,
                "label_formats": list(c.label_formats),
                "amazon_carrier_code": c.amazon_carrier_code,
                "services": [_service(s) for s in c.services],
                "credential_fields": [_field(f) for f in c.credential_fields],
            }
        )
    return out


def _service(s: ports.ServiceOption) -> dict[str, str]:
    return {
        "code": s.code,
        "name": s.name,
        "amazon_carrier_code": s.amazon_carrier_code,
        "amazon_shipping_method": s.amazon_shipping_method,
    }


def _field(f: ports.CredentialField) -> dict[str, Any]:
    return {
        "name": f.name,
        "label": f.label,
        "required": f.required,
        "secret": f.secret,
        "pattern": f.pattern,
        "help_text": f.help_text,
    }


@carriers.get("/carrier-codes", response={200: list[CarrierCodeOut], 401: ErrorResponse})
def list_carrier_codes(request: HttpRequest) -> Any:
    return selectors.carrier_code_list()


@carriers.get("/carrier-accounts", response={200: list[CarrierAccountOut], 401: ErrorResponse})
def list_carrier_accounts(request: HttpRequest) -> Any:
    return selectors.carrier_account_list(account=current_account(request))


@carriers.post("/carrier-accounts", response={201: CarrierAccountOut, **ERRORS})
def create_carrier_account(request: HttpRequest, payload: CarrierAccountIn) -> Any:
    ca = _call(services.carrier_account_create, account=current_account(request), **payload.dict())
    return Status(201, ca)


@carriers.get("/carrier-accounts/{ca_id}", response={200: CarrierAccountOut, **ERRORS})
def get_carrier_account(request: HttpRequest, ca_id: int) -> Any:
    return _call(
        selectors.carrier_account_get, account=current_account(request), carrier_account_id=ca_id
    )


@carriers.patch("/carrier-accounts/{ca_id}", response={200: CarrierAccountOut, **ERRORS})
def update_carrier_account(request: HttpRequest, ca_id: int, payload: CarrierAccountPatch) -> Any:
    return _call(
        services.carrier_account_update,
        account=current_account(request),
        carrier_account_id=ca_id,
        **payload.dict(exclude_unset=True),
    )


# --- shipping methods ------------------------------------------------------------------


@carriers.get("/shipping-methods", response={200: list[ShippingMethodOut], 401: ErrorResponse})
def list_shipping_methods(request: HttpRequest, active: bool | None = None) -> Any:
    return selectors.shipping_method_list(account=current_account(request), active=active)


@carriers.post("/shipping-methods", response={201: ShippingMethodOut, **ERRORS})
def create_shipping_method(request: HttpRequest, payload: ShippingMethodIn) -> Any:
    data = payload.dict()
    method = _call(services.shipping_method_create, account=current_account(request), **data)
    return Status(
        201, selectors.shipping_method_get(account=current_account(request), method_id=method.id)
    )


@carriers.get("/shipping-methods/{method_id}", response={200: ShippingMethodOut, **ERRORS})
def get_shipping_method(request: HttpRequest, method_id: int) -> Any:
    return _call(
        selectors.shipping_method_get, account=current_account(request), method_id=method_id
    )


@carriers.patch("/shipping-methods/{method_id}", response={200: ShippingMethodOut, **ERRORS})
def update_shipping_method(
    request: HttpRequest, method_id: int, payload: ShippingMethodPatch
) -> Any:
    data = payload.dict(exclude_unset=True)
    if "max_weight_grams" in data and data["max_weight_grams"] is None:
        data["clear_max_weight"] = True
        del data["max_weight_grams"]
    account = current_account(request)
    _call(services.shipping_method_update, account=account, method_id=method_id, **data)
    return selectors.shipping_method_get(account=account, method_id=method_id)


@carriers.delete("/shipping-methods/{method_id}", response={204: None, **ERRORS})
def delete_shipping_method(request: HttpRequest, method_id: int) -> Any:
    _call(services.shipping_method_delete, account=current_account(request), method_id=method_id)
    return Status(204, None)


@carriers.put("/shipping-defaults/{integration_id}", response={200: ShippingDefaultOut, **ERRORS})
def set_shipping_default(
    request: HttpRequest, integration_id: int, payload: ShippingDefaultIn
) -> Any:
    _call(
        services.integration_shipping_default_set,
        account=current_account(request),
        integration_id=integration_id,
        method_id=payload.method_id,
    )
    return {"integration_id": integration_id, "method_id": payload.method_id}


# --- parcels ----------------------------------------------------------------------------


def _label_response(data: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = "application/zpl" if fmt == "zpl" else "application/pdf"
    ext = "zpl" if fmt == "zpl" else "pdf"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}.{ext}"'
    response["Cache-Control"] = "private, no-store"
    return response


@parcels.post("", response={201: ParcelsOut, 200: ParcelsOut, **ERRORS})
def create_parcels(request: HttpRequest, payload: ParcelsIn) -> Any:
    account = current_account(request)
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    if (payload.order_id is None) == (payload.order_ids is None):
        raise ApiError(400, "invalid", "Give either order_id or order_ids.", field="order_id")
    if payload.order_ids is not None:
        if payload.items is not None or payload.weight_grams is not None:
            raise ApiError(
                400, "invalid", "Weights and items are per order: use order_id.", field="items"
            )
        result = services.parcel_create_bulk(
            account=account,
            order_ids=payload.order_ids,
            method_id=payload.method_id,
            idempotency_key=key,
        )
        return Status(
            200,
            {
                "parcels": result.parcels,
                "failures": [f.__dict__ for f in result.failures],
                "batch_id": result.batch_id,
                "batch_label_url": f"/api/v1/parcels/batches/{result.batch_id}/label"
                if result.batch_id
                else None,
            },
        )
    items = (
        [[line.dict() for line in parcel] for parcel in payload.items]
        if payload.items is not None
        else None
    )
    made = _call(
        services.parcel_create,
        account=account,
        order_id=payload.order_id,
        method_id=payload.method_id,
        weight_grams=payload.weight_grams,
        items=items,
        idempotency_key=key,
    )
    return Status(201, {"parcels": made})


@parcels.get("", response={200: ParcelPage, **ERRORS})
def list_parcels(request: HttpRequest, filters: Query[ParcelFilters]) -> Any:
    qs = selectors.parcel_list(
        account=current_account(request),
        status=filters.status,
        integration_id=filters.integration_id,
        order_id=filters.order_id,
    )
    return {
        "items": list(qs[filters.offset : filters.offset + filters.limit]),
        "count": qs.count(),
        "limit": filters.limit,
        "offset": filters.offset,
    }


@parcels.get("/batches/{batch_id}/label", response={200: None, **ERRORS})
def batch_label(
    request: HttpRequest, batch_id: int, format: Literal["pdf", "a4"] = "pdf"
) -> HttpResponse:
    data = _call(
        selectors.label_batch_get, account=current_account(request), batch_id=batch_id, fmt=format
    )
    return _label_response(data, format, f"labels-{batch_id}")


@parcels.get("/{parcel_id}", response={200: ParcelDetailOut, **ERRORS})
def get_parcel(request: HttpRequest, parcel_id: int) -> Any:
    return _call(selectors.parcel_get, account=current_account(request), parcel_id=parcel_id)


@parcels.get("/{parcel_id}/label", response={200: None, **ERRORS})
def parcel_label(
    request: HttpRequest, parcel_id: int, format: Literal["pdf", "zpl", "a4"] = "pdf"
) -> HttpResponse:
    data = _call(
        selectors.label_get, account=current_account(request), parcel_id=parcel_id, fmt=format
    )
    return _label_response(data, format, f"label-{parcel_id}")


@parcels.post("/{parcel_id}/cancel", response={200: ParcelDetailOut, **ERRORS})
def cancel_parcel(request: HttpRequest, parcel_id: int) -> Any:
    account = current_account(request)
    _call(services.parcel_cancel, account=account, parcel_id=parcel_id)
    return selectors.parcel_get(account=account, parcel_id=parcel_id)


@parcels.post("/{parcel_id}/retry", response={200: ParcelDetailOut, **ERRORS})
def retry_parcel(request: HttpRequest, parcel_id: int, payload: RetryIn) -> Any:
    account = current_account(request)
    _call(
        services.parcel_retry,
        account=account,
        parcel_id=parcel_id,
        weight_grams=payload.weight_grams,
    )
    return selectors.parcel_get(account=account, parcel_id=parcel_id)


@parcels.post("/{parcel_id}/advance", response={200: ParcelDetailOut, **ERRORS})
def advance_parcel(request: HttpRequest, parcel_id: int, payload: AdvanceIn) -> Any:
    """Local carrier only: move the parcel to a status now (demo and sandbox control)."""
    account = current_account(request)
    _call(services.parcel_local_advance, account=account, parcel_id=parcel_id, to=payload.to)
    return selectors.parcel_get(account=account, parcel_id=parcel_id)


def mount(api: NinjaAPI) -> None:
    api.add_router("/", carriers)
    api.add_router("/parcels", parcels)
