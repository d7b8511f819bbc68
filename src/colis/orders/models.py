"""Imported orders, their items, and products with their weights."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.fields import EncryptedTextField
from colis.common.models import TenantModel


class Order(TenantModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        UNSHIPPED = "unshipped", _("Unshipped")
        PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
        SHIPPED = "shipped", _("Shipped")
        CANCELLED = "cancelled", _("Cancelled")
        UNFULFILLABLE = "unfulfillable", _("Unfulfillable")

    integration = models.ForeignKey(
        "integrations.Integration", on_delete=models.PROTECT, related_name="orders"
    )
    external_id = models.CharField(_("order ID"), max_length=64)
    marketplace_id = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    marketplace_status = models.CharField(max_length=40)
    purchased_at = models.DateTimeField()
    marketplace_updated_at = models.DateTimeField()
    fulfilled_by_marketplace = models.BooleanField(default=False)
    is_prime = models.BooleanField(default=False)
    is_business = models.BooleanField(default=False)
    on_hold = models.BooleanField(default=False)
    buyer_cancel_requested = models.BooleanField(default=False)
    ship_by = models.DateTimeField(null=True, blank=True, db_index=True)
    ship_from = models.DateTimeField(null=True, blank=True)
    deliver_from = models.DateTimeField(null=True, blank=True)
    deliver_by = models.DateTimeField(null=True, blank=True)
    ship_service_level = models.CharField(max_length=100, blank=True)
    order_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)

    # Recipient: only country, postal code and city in plain text (for filtering).
    recipient_country = models.CharField(max_length=2, blank=True)
    recipient_postal_code = models.CharField(max_length=20, blank=True)
    recipient_city = models.CharField(max_length=100, blank=True)
    recipient_name = EncryptedTextField(blank=True, default="")
    recipient_company = EncryptedTextField(blank=True, default="")
    recipient_lines = EncryptedTextField(blank=True, default="")  # address lines, newline-separated
    recipient_region = EncryptedTextField(blank=True, default="")
    recipient_phone = EncryptedTextField(blank=True, default="")
    buyer_name = EncryptedTextField(blank=True, default="")
    buyer_email = EncryptedTextField(blank=True, default="")
    gift_message = EncryptedTextField(blank=True, default="")
    pii_purged_at = models.DateTimeField(null=True, blank=True)
    # Retention clock (colis.privacy): shipped_at is set when the order is completely shipped
    # (its last parcel handed over), delivered_at at delivery, cancelled_at at cancellation.
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    # Weight: the sum of the items' weights, or null when an item's weight is missing.
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    has_error = models.BooleanField(default=False, db_index=True)
    errors = models.JSONField(default=list, blank=True)  # [{"code", "sku", "message"}]
    skus = models.TextField(blank=True, default="")  # space-separated, for search

    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            # Idempotent import: one row per (integration, marketplace order id).
            models.UniqueConstraint(
                fields=["integration", "external_id"], name="one_order_per_external_id"
            ),
        ]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["account", "-purchased_at", "-id"], name="order_account_recent"),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def shippable(self) -> bool:
        return (
            self.status in {self.Status.UNSHIPPED, self.Status.PARTIALLY_SHIPPED}
            and not self.buyer_cancel_requested
            and not self.fulfilled_by_marketplace
        )


class OrderItem(TenantModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=64)
    sku = models.CharField(max_length=100, db_index=True)
    asin = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveIntegerField()
    quantity_shipped = models.PositiveIntegerField(default=0)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    buyer_cancel_requested = models.BooleanField(default=False)
    buyer_cancel_reason = models.CharField(max_length=200, blank=True)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)  # per unit, as used
    weight_source = models.CharField(max_length=30, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["order", "external_id"], name="one_item_per_external_id"
            ),
        ]


class Product(TenantModel):
    """A SKU's known package weight, with where it came from and when."""

    class Source(models.TextChoices):
        AMAZON_CATALOG = "amazon_catalog", _("Amazon catalog")
        AMAZON_LISTING = "amazon_listing", _("Amazon listing")
        MANUAL = "manual", _("Entered in colis")
        DEFAULT = "default", _("Default weight")

    sku = models.CharField(max_length=100)
    asin = models.CharField(max_length=20, blank=True)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    weight_source = models.CharField(max_length=30, choices=Source.choices, blank=True)
    weight_fetched_at = models.DateTimeField(null=True, blank=True)
    # When Amazon had no weight: remembered so we ask again only after a while.
    missing_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["account", "sku"], name="one_product_per_sku"),
        ]
