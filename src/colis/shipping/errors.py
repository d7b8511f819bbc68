"""Typed errors of the shipping services; each message is plain words, safe to show."""

from __future__ import annotations

from typing import Any


class ShippingError(Exception):
    code = "shipping_error"
    status = 400  # the HTTP status the API answers with

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra


class NotFound(ShippingError):
    code = "not_found"
    status = 404


class InvalidInput(ShippingError):
    code = "invalid"


class OrderNotShippable(ShippingError):
    code = "order_not_shippable"
    status = 409


class OrderCancelled(OrderNotShippable):
    code = "order_cancelled"


class BuyerCancelRequested(OrderNotShippable):
    code = "buyer_cancel_requested"


class AfnOrder(OrderNotShippable):
    code = "afn_order"


class NothingToShip(OrderNotShippable):
    code = "nothing_to_ship"


class MethodRequired(ShippingError):
    code = "method_required"


class MethodInactive(ShippingError):
    code = "method_inactive"
    status = 409


class WeightMissing(ShippingError):
    code = "weight_missing"


class WeightOutOfRange(ShippingError):
    code = "weight_out_of_range"


class DestinationNotServed(ShippingError):
    code = "destination_not_served"


class ItemsInvalid(ShippingError):
    code = "items_invalid"


class QuantityExceeded(ItemsInvalid):
    code = "quantity_exceeded"


class SenderAddressMissing(ShippingError):
    code = "sender_address_missing"
    status = 409


class IdempotencyKeyReused(ShippingError):
    code = "idempotency_key_reused"
    status = 409


class ParcelNotCancellable(ShippingError):
    code = "parcel_not_cancellable"
    status = 409


class ParcelStateConflict(ShippingError):
    """The parcel's status does not allow this (retry a labelled parcel, move a final one)."""

    code = "parcel_state_conflict"
    status = 409


class ParcelBusy(ShippingError):
    code = "parcel_busy"
    status = 409


class LabelNotAvailable(ShippingError):
    code = "label_not_available"
    status = 409


class CarrierRefused(ShippingError):
    """The carrier refused or failed: the message is recorded on the parcel (state error)."""

    code = "carrier_error"
    status = 422

    def __init__(self, message: str, *, parcel_ids: list[int], **extra: Any) -> None:
        super().__init__(message, **extra)
        self.parcel_ids = parcel_ids
