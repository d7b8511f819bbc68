"""Accounts (the tenant), their users, onboarding data and API keys."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from colis.common.fields import EncryptedTextField
from colis.common.models import TenantModel


class Account(models.Model):
    """The tenant: a seller's company, or a logistics company's client."""

    name = models.CharField(_("name"), max_length=200)
    # When true, returns go to the default sender address; no separate return address needed.
    return_same_as_sender = models.BooleanField(
        _("returns go to the sender address"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in. Belongs to one account; the e-mail is the login."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="users", null=True)
    language = models.CharField(
        _("language"), max_length=8, default="en", choices=[("en", "English"), ("fr", "Français")]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.email


class Address(TenantModel):
    class Kind(models.TextChoices):
        SENDER = "sender", _("Sender")
        RETURN = "return", _("Return")
        BILLING = "billing", _("Billing")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    is_default = models.BooleanField(_("default sender address"), default=False)
    name = models.CharField(_("name"), max_length=100)
    company = models.CharField(_("company"), max_length=100, blank=True)
    street = models.CharField(_("street and number"), max_length=150)
    street2 = models.CharField(_("address line 2"), max_length=150, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=16)
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            # At most one default sender, one return and one billing address per account.
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(kind="sender", is_default=True),
                name="one_default_sender",
            ),
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(kind="return"), name="one_return_address"
            ),
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(kind="billing"), name="one_billing_address"
            ),
        ]
        ordering: ClassVar[list[str]] = ["kind", "-is_default", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class DirectDebitMandate(TenantModel):
    """A SEPA Core direct-debit mandate. The IBAN is encrypted; only its last 4 are shown."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        REVOKED = "revoked", _("Revoked")

    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    reference = models.CharField(_("mandate reference"), max_length=35, unique=True)
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban = EncryptedTextField(_("IBAN"))
    iban_last4 = models.CharField(max_length=4)
    iban_country = models.CharField(max_length=2)
    bic = models.CharField(_("BIC"), max_length=11)
    signed_on = models.DateField(_("signature date"))
    accepted_text_version = models.CharField(max_length=20)
    accepted_language = models.CharField(max_length=8)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(state="active"), name="one_active_mandate"
            ),
        ]

    @property
    def iban_masked(self) -> str:
        return f"{self.iban_country}•• •••• •••• {self.iban_last4}"


class ApiKey(TenantModel):
    """An API key: only its SHA-256 hash is kept; shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last4 = models.CharField(max_length=4)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
