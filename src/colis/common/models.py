"""Shared model pieces: the tenant-scoped base model and the encryption-key canary."""

from __future__ import annotations

from typing import Any

from django.db import models

from colis.common.fields import EncryptedTextField


class TenantQuerySet(models.QuerySet[Any]):
    def for_account(self, account: Any) -> TenantQuerySet:
        return self.filter(account=account)


class TenantModel(models.Model):
    """A row owned by one Account (the tenant). Every query must be scoped to it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class KeyCanary(models.Model):
    """A known value encrypted with the first key: proves at start-up that the keys fit the data."""

    value = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)
