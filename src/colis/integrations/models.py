"""A connected shop (integration): credentials, settings, authorization and import health."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from colis.common.fields import EncryptedJSONField
from colis.common.models import TenantModel


class Integration(TenantModel):
    """One connected shop: one marketplace of one seller."""

    class Channel(models.TextChoices):
        AMAZON = "amazon", "Amazon"
        MANUAL = "manual", _("Other shop (manual)")

    class AuthKind(models.TextChoices):
        SPAPI_OAUTH = "spapi_oauth", _("Authorized on Seller Central")
        SPAPI_SELF = "spapi_self", _("Self-authorized application")
        MWS = "mws", _("MWS credentials")

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Authorization expired")
        REVOKED = "revoked", _("Authorization revoked")
        DISCONNECTED = "disconnected", _("Disconnected")

    class FeedbackType(models.TextChoices):
        EAGER = "eager", _("When the label is created")
        DELAYED = "delayed", _("At the first carrier scan")
        NONE = "none", _("Never")

    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.AMAZON)
    name = models.CharField(_("name"), max_length=100)
    auth_kind = models.CharField(max_length=20, choices=AuthKind.choices)
    seller_id = models.CharField(_("seller ID"), max_length=20)
    marketplace_id = models.CharField(_("marketplace ID"), max_length=20)
    country_code = models.CharField(max_length=2, blank=True)
    region = models.CharField(max_length=4, blank=True)
    # refresh_token / lwa_client_id / lwa_client_secret / mws_auth_token: encrypted at rest.
    credentials = EncryptedJSONField(null=True, blank=True)

    # Settings the seller can change later.
    feedback_type = models.CharField(
        _("feedback"), max_length=10, choices=FeedbackType.choices, default=FeedbackType.EAGER
    )
    import_weight = models.BooleanField(_("import weights from Amazon"), default=True)
    default_weight_grams = models.PositiveIntegerField(
        _("default weight (g) when none is known"), null=True, blank=True
    )
    first_import_days = models.PositiveSmallIntegerField(
        _("first import window (days)"), default=14
    )
    import_afn = models.BooleanField(_("import Amazon-fulfilled orders (read-only)"), default=False)
    hold_prime = models.BooleanField(_("hold Prime orders"), default=False)
    import_interval_minutes = models.PositiveSmallIntegerField(
        _("import interval (minutes)"), default=5
    )

    # Authorization lifecycle.
    state = models.CharField(max_length=20, choices=State.choices, default=State.ACTIVE)
    authorized_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    # Import: the cursor advances only once a whole run's pages are committed.
    cursor = models.DateTimeField(null=True, blank=True)
    resume_token = models.TextField(blank=True, default="")
    resume_from = models.DateTimeField(null=True, blank=True)
    next_import_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A lease, not a flag: a crashed worker's lock lapses by itself.
    lock_owner = models.CharField(max_length=64, blank=True, default="")
    locked_until = models.DateTimeField(null=True, blank=True)

    # Health, shown in plain words.
    last_success_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    imported_orders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            # The same seller and marketplace cannot be connected twice in one account.
            models.UniqueConstraint(
                fields=["account", "channel", "seller_id", "marketplace_id"],
                condition=~models.Q(state="disconnected"),
                name="one_live_integration_per_marketplace",
            ),
        ]
        ordering: ClassVar[list[str]] = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_failing(self) -> bool:
        return self.consecutive_failures > 0


class OAuthState(TenantModel):
    """A single-use `state` for the Seller Central consent round trip, bound to a session."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    state_hash = models.CharField(max_length=64, unique=True)
    session_key_hash = models.CharField(max_length=64)
    settings = models.JSONField(default=dict)  # name, feedback type, import weight chosen
    used_at = models.DateTimeField(null=True, blank=True)


class PendingConnection(TenantModel):
    """Credentials checked, marketplaces read: waiting for the seller to pick marketplaces."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    auth_kind = models.CharField(max_length=20, choices=Integration.AuthKind.choices)
    seller_id = models.CharField(max_length=20)
    payload = EncryptedJSONField()  # credentials + participations + chosen settings
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
