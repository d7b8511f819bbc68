"""Addresses and direct-debit endpoints: thin, they call the accounts services and selectors.

Input is checked by the same forms the panel uses (inside the services); a rejected field
comes back as {"errors": [{"code", "message", "field"}]} with the field named. The IBAN
never leaves the server: only its last four characters, masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema, Status

from colis.accounts.mandate import mandate_text
from colis.accounts.models import Address, DirectDebitMandate
from colis.accounts.selectors import address_get, address_list, direct_debit_mandate_active
from colis.accounts.services import (
    account_set_return_same_as_sender,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    direct_debit_mandate_create,
    direct_debit_mandate_revoke,
)
from colis.api.auth import current_account, current_user
from colis.api.errors import ApiError, ErrorResponse

# Errors that describe a clash with the account's current state rather than bad input.
CONFLICT_CODES = {"already_exists", "mandate_exists"}

addresses = Router(tags=["addresses"])
direct_debit = Router(tags=["direct debit"])

ERRORS: dict[int, Any] = {400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse}


def api_error_from(exc: ValidationError) -> ApiError:
    """A django ValidationError (from the forms and services) as the API's error body."""
    items = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    errors: list[dict[str, Any]] = []
    status = 400
    for field, field_errors in items.items():
        for error in field_errors:
            code = error.code or "invalid"
            if code in CONFLICT_CODES:
                status = 409
            errors.extend(
                {
                    "code": code,
                    "message": str(message),
                    "field": None if field == NON_FIELD_ERRORS else field,
                }
                for message in error.messages
            )
    return ApiError(status, "invalid", "invalid input", errors=errors)


# --- addresses ------------------------------------------------------------------------


class AddressOut(Schema):
    id: int
    kind: str
    is_default: bool
    name: str
    company: str
    street: str
    street2: str
    postal_code: str
    city: str
    country: str
    phone: str
    email: str
    vat_number: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_country(obj: Address) -> str:
        return str(obj.country or "")


class AddressFields(Schema):
    # Plain strings here: the length, format and per-country rules live in one place,
    # colis.accounts.forms.AddressForm, and answer with field-level errors.
    name: str | None = None
    company: str | None = None
    street: str | None = None
    street2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    vat_number: str | None = None
    is_default: bool | None = None


class AddressCreateIn(AddressFields):
    kind: str


class ReturnSameAsSender(Schema):
    enabled: bool


def _address_data(payload: Schema, *, exclude_unset: bool = False) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("is_default", None)
    data.pop("kind", None)
    return data


@addresses.get("", response={200: list[AddressOut], 401: ErrorResponse})
def list_addresses(request: HttpRequest, kind: str | None = None) -> list[Address]:
    return address_list(account=current_account(request), kind=kind)


@addresses.post("", response={201: AddressOut, 409: ErrorResponse, **ERRORS})
def create_address(request: HttpRequest, payload: AddressCreateIn) -> Status[Address]:
    try:
        address = address_create(
            account=current_account(request),
            kind=payload.kind,
            data=_address_data(payload),
            make_default=bool(payload.is_default),
        )
    except ValidationError as exc:
        raise api_error_from(exc) from exc
    return Status(201, address)


@addresses.get("/return-same-as-sender", response={200: ReturnSameAsSender, 401: ErrorResponse})
def get_return_same_as_sender(request: HttpRequest) -> dict[str, bool]:
    return {"enabled": current_account(request).return_same_as_sender}


@addresses.put("/return-same-as-sender", response={200: ReturnSameAsSender, **ERRORS})
def put_return_same_as_sender(request: HttpRequest, payload: ReturnSameAsSender) -> dict[str, bool]:
    account = account_set_return_same_as_sender(
        account=current_account(request), enabled=payload.enabled
    )
    return {"enabled": account.return_same_as_sender}


@addresses.get("/{int:address_id}", response={200: AddressOut, **ERRORS})
def get_address(request: HttpRequest, address_id: int) -> Address:
    return address_get(account=current_account(request), address_id=address_id)


def _update(
    request: HttpRequest, address_id: int, payload: AddressFields, partial: bool
) -> Address:
    try:
        return address_update(
            account=current_account(request),
            address_id=address_id,
            data=_address_data(payload, exclude_unset=partial),
            partial=partial,
            make_default=payload.is_default,
        )
    except ValidationError as exc:
        raise api_error_from(exc) from exc


@addresses.put("/{int:address_id}", response={200: AddressOut, **ERRORS})
def put_address(request: HttpRequest, address_id: int, payload: AddressFields) -> Address:
    return _update(request, address_id, payload, partial=False)


@addresses.patch("/{int:address_id}", response={200: AddressOut, **ERRORS})
def patch_address(request: HttpRequest, address_id: int, payload: AddressFields) -> Address:
    return _update(request, address_id, payload, partial=True)


@addresses.delete("/{int:address_id}", response={204: None, **ERRORS})
def delete_address(request: HttpRequest, address_id: int) -> Status[None]:
    address_delete(account=current_account(request), address_id=address_id)
    return Status(204, None)


@addresses.post("/{int:address_id}/default", response={200: AddressOut, **ERRORS})
def make_default_address(request: HttpRequest, address_id: int) -> Address:
    try:
        return address_set_default(account=current_account(request), address_id=address_id)
    except ValidationError as exc:
        raise api_error_from(exc) from exc


# --- direct debit ---------------------------------------------------------------------


class MandateOut(Schema):
    id: int
    state: str
    reference: str
    account_holder: str
    iban_masked: str
    iban_last4: str
    iban_country: str
    bic: str
    signed_on: dt.date
    accepted_text_version: str
    accepted_language: str
    revoked_at: dt.datetime | None


class MandateTextOut(Schema):
    version: str
    language: str
    text: str


class DirectDebitOut(Schema):
    mandate: MandateOut | None
    mandate_text: MandateTextOut


class DirectDebitIn(Schema):
    account_holder: str | None = None
    iban: str | None = None
    bic: str | None = None
    accept: bool = False
    language: str | None = None


def _language(request: HttpRequest, requested: str | None) -> str:
    return requested or current_user(request).language or "en"


@direct_debit.get("", response={200: DirectDebitOut, 401: ErrorResponse})
def get_direct_debit(request: HttpRequest, language: str | None = None) -> dict[str, Any]:
    """The active mandate (IBAN masked) or null, and the mandate text to accept."""
    return {
        "mandate": direct_debit_mandate_active(account=current_account(request)),
        "mandate_text": mandate_text(language=_language(request, language)),
    }


@direct_debit.post("", response={201: MandateOut, 409: ErrorResponse, **ERRORS})
def create_direct_debit(request: HttpRequest, payload: DirectDebitIn) -> Status[DirectDebitMandate]:
    """Sign a SEPA Core mandate. `accept` must be true: it records acceptance of the text
    returned by GET in `language`."""
    data = payload.dict()
    try:
        mandate = direct_debit_mandate_create(
            account=current_account(request),
            data=data,
            language=_language(request, payload.language),
        )
    except ValidationError as exc:
        raise api_error_from(exc) from exc
    return Status(201, mandate)


@direct_debit.delete("", response={200: MandateOut, **ERRORS})
def revoke_direct_debit(request: HttpRequest) -> DirectDebitMandate:
    """Revoke the active mandate; the account is no longer ready to ship until a new one."""
    return direct_debit_mandate_revoke(account=current_account(request))


def mount(api: NinjaAPI) -> None:
    api.add_router("/addresses", addresses)
    api.add_router("/direct-debit", direct_debit)
