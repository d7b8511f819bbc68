"""Carrier accounts, shipping methods, Amazon carrier mappings, parcels and their history.

For the feedback colleague: `Parcel.label_created_at` (set once, when the label exists:
"eager" feedback) and `Parcel.first_scan_at` (set once, at the first carrier scan:
"delayed" feedback) are written by status-conditional UPDATEs and never change after;
`ParcelEvent` is the parcel's history. `selectors.parcel_amazon_shipment` gives the
carrier code / name / shipping method to send to Amazon for a parcel.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.fields import EncryptedJSONField
from colis.common.models import TenantModel


class CarrierCode(models.Model):
    """A carrier code a marketplace accepts (Amazon's list + European carriers). Global."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=100)
    # False for Amazon's published (XSD) codes; True for those an operator may change.
    editable = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]

    def __str__(self) -> str:
        return self.code


class CarrierAccount(TenantModel):
    """A seller's account with a carrier; credentials encrypted at rest, never echoed."""

    carrier = models.CharField(_("carrier"), max_length=40)  # a `colis.carriers` entry point
    name = models.CharField(_("name"), max_length=100)
    credentials = EncryptedJSONField(null=True, blank=True)
    test_mode = models.BooleanField(_("test mode"), default=True)
    label_format = models.CharField(
        _("label format"), max_length=3, default="PDF", choices=[("PDF", "PDF"), ("ZPL", "ZPL")]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["account", "name"], name="one_carrier_account_name"),
        ]
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ShippingMethod(TenantModel):
    carrier_account = models.ForeignKey(
        CarrierAccount, on_delete=models.PROTECT, related_name="methods"
    )
    name = models.CharField(_("name"), max_length=100)
    service_code = models.CharField(_("service"), max_length=80)
    min_weight_grams = models.PositiveIntegerField(_("minimum weight (g)"), default=0)
    max_weight_grams = models.PositiveIntegerField(_("maximum weight (g)"), null=True, blank=True)
    # ISO 3166 alpha-2 codes; empty: every destination.
    destination_countries = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["account", "name"], name="one_shipping_method_name"),
        ]
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def serves(self, country_code: str) -> bool:
        return not self.destination_countries or country_code.upper() in self.destination_countries


class AmazonCarrierMapping(TenantModel):
    """What Amazon is told for parcels of a method, per marketplace ("" = any marketplace)."""

    shipping_method = models.ForeignKey(
        ShippingMethod, on_delete=models.CASCADE, related_name="amazon_mappings"
    )
    marketplace_id = models.CharField(max_length=20, blank=True, default="")
    carrier_code = models.CharField(max_length=64)
    carrier_name = models.CharField(max_length=100, blank=True, default="")  # with "Other"
    shipping_method_name = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["shipping_method", "marketplace_id"], name="one_mapping_per_marketplace"
            ),
        ]


class IntegrationShippingDefault(TenantModel):
    """The shipping method used for an integration's orders when none is given."""

    integration = models.OneToOneField(
        "integrations.Integration", on_delete=models.CASCADE, related_name="shipping_default"
    )
    method = models.ForeignKey(ShippingMethod, on_delete=models.CASCADE, related_name="+")


class Parcel(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being announced")
        ERROR = "error", _("Announcement failed")
        READY_TO_SEND = "ready_to_send", _("Ready to send")
        ANNOUNCED = "announced", _("Announced")
        PICKED_UP = "picked_up", _("Picked up by the carrier")
        IN_TRANSIT = "in_transit", _("En route")
        DELAYED = "delayed", _("Delivery delayed")
        OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
        AWAITING_PICKUP = "awaiting_pickup", _("Awaiting customer pickup")
        DELIVERY_FAILED = "delivery_failed", _("Delivery attempt failed")
        EXCEPTION = "exception", _("Exception")
        RETURNED = "returned", _("Returned to sender")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="parcels")
    shipping_method = models.ForeignKey(
        ShippingMethod, on_delete=models.PROTECT, related_name="parcels"
    )
    carrier_account = models.ForeignKey(
        CarrierAccount, on_delete=models.PROTECT, related_name="parcels"
    )
    carrier = models.CharField(max_length=40)  # snapshot of the carrier account's carrier
    service_code = models.CharField(max_length=80)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # One request, one set of parcels: a retried request finds its parcels by this key.
    idempotency_key = models.CharField(max_length=100)
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    package_index = models.PositiveSmallIntegerField(default=1)
    package_count = models.PositiveSmallIntegerField(default=1)
    weight_grams = models.PositiveIntegerField()
    sender_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    return_address = models.ForeignKey(
        "accounts.Address", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    tracking_number = models.CharField(max_length=64, blank=True, default="")
    shipment_identifier = models.CharField(max_length=100, blank=True, default="")
    tracking_url = models.URLField(max_length=500, blank=True, default="")
    label_pdf = models.CharField(max_length=200, blank=True, default="")  # under MEDIA_ROOT
    label_zpl = models.CharField(max_length=200, blank=True, default="")

    error_code = models.CharField(max_length=60, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    # A lease on the carrier call: one worker at a time asks the carrier for a label.
    claimed_until = models.DateTimeField(null=True, blank=True)

    # Do-once moments (status-conditional UPDATEs); the feedback outbox keys on them.
    label_created_at = models.DateTimeField(null=True, blank=True)
    first_scan_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    last_tracked_at = models.DateTimeField(null=True, blank=True)
    next_track_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["account", "idempotency_key"], name="one_parcel_per_idempotency_key"
            ),
            models.UniqueConstraint(
                fields=["account", "tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="one_parcel_per_tracking_number",
            ),
        ]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["account", "-created_at", "-id"], name="parcel_account_recent"),
        ]
        ordering: ClassVar[list[str]] = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking_number or f"parcel {self.pk}"


class ParcelItem(TenantModel):
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="items")
    order_item = models.ForeignKey(
        "orders.OrderItem", on_delete=models.PROTECT, related_name="parcel_items"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["parcel", "order_item"], name="one_line_per_item"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="parcel_item_qty_gt0"),
        ]


class ParcelEvent(TenantModel):
    """The parcel's history: one row per status change or carrier scan."""

    class Source(models.TextChoices):
        COLIS = "colis", _("colis")
        CARRIER = "carrier", _("Carrier tracking")
        LOCAL_CLOCK = "local_clock", _("Local carrier clock")
        CONTROL = "control", _("Manual control")

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, blank=True, default="")  # "" : unmapped scan
    occurred_at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=Source.choices)
    code = models.CharField(max_length=60, blank=True, default="")
    description = models.CharField(max_length=500, blank=True, default="")
    location = models.CharField(max_length=200, blank=True, default="")
    # Carrier scans seen again on the next poll are not recorded twice.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["parcel", "fingerprint"], name="one_event_per_scan"),
        ]
        ordering: ClassVar[list[str]] = ["occurred_at", "id"]


class LabelBatch(TenantModel):
    """The merged PDF of a bulk run."""

    parcel_ids = models.JSONField(default=list)
    label_pdf = models.CharField(max_length=200, blank=True, default="")
    pages = models.PositiveIntegerField(default=0)
