"""Encrypted model fields: text and JSON, stored as Fernet tokens."""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from colis.common.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. Empty string and None are stored as they are (nothing to hide)."""

    description = "Text encrypted with the field-encryption keys"
    encrypted = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertext is randomised: only null checks are meaningful.
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


class EncryptedJSONField(models.TextField):
    """A JSON document encrypted at rest."""

    description = "JSON encrypted with the field-encryption keys"
    encrypted = True

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, separators=(",", ":"), sort_keys=True))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
