"""Start-up check that the configured encryption keys decrypt this database."""

from __future__ import annotations

from colis.common.crypto import EncryptionKeyError, ensure_key_file
from colis.common.models import KeyCanary

CANARY = "colis-key-canary"


def encryption_keys_check() -> None:
    """Raise EncryptionKeyError when the keys cannot read this database's data."""
    ensure_key_file()
    canary = KeyCanary.objects.order_by("id").first()
    if canary is None:
        KeyCanary.objects.create(value=CANARY)
        return
    # Reading the row decrypts it; a wrong key raises EncryptionKeyError there.
    if canary.value != CANARY:
        raise EncryptionKeyError("the encryption-key canary holds an unexpected value")


__all__ = ["EncryptionKeyError", "encryption_keys_check"]
