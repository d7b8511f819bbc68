"""Field encryption keys (Fernet / MultiFernet), kept apart from the data.

Keys come from COLIS_ENCRYPTION_KEYS (comma-separated, the first encrypts, every key
decrypts) or, when that is unset, from a key file generated in the data folder on first
start. Decryption with a wrong key raises: ciphertext is never returned as if it were text.
"""

from __future__ import annotations

import functools
import sys

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from colis.common.config import write_private_file


class EncryptionKeyError(RuntimeError):
    """The configured keys cannot decrypt this data, or are malformed."""


def _parse_keys(raw: str) -> list[Fernet]:
    keys: list[Fernet] = []
    for index, part in enumerate(p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            keys.append(Fernet(part.encode()))
        except (ValueError, TypeError) as exc:
            raise EncryptionKeyError(
                f"COLIS_ENCRYPTION_KEYS: key #{index + 1} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes; make one with `colis keygen`)"
            ) from exc
    return keys


def ensure_key_file() -> bool:
    """Generate the data folder's key file when no key is configured. True if it was made."""
    if settings.COLIS_ENCRYPTION_KEYS.strip():
        return False
    path = settings.COLIS_ENCRYPTION_KEY_FILE
    if path.exists():
        return False
    try:
        write_private_file(path, Fernet.generate_key().decode() + "\n")
    except FileExistsError:
        return False
    sys.stderr.write(
        f"colis: no COLIS_ENCRYPTION_KEYS set; generated a field-encryption key in {path} "
        "(mode 0600). Back it up apart from the database: without it the encrypted data is lost.\n"
    )
    return True


@functools.cache
def _multifernet(raw: str, key_file: str) -> MultiFernet:
    if raw.strip():
        keys = _parse_keys(raw)
    else:
        ensure_key_file()
        from pathlib import Path

        keys = _parse_keys(Path(key_file).read_text())
    if not keys:
        raise EncryptionKeyError("no field-encryption key configured")
    return MultiFernet(keys)


def fernet() -> MultiFernet:
    return _multifernet(settings.COLIS_ENCRYPTION_KEYS, str(settings.COLIS_ENCRYPTION_KEY_FILE))


def reset_key_cache() -> None:
    _multifernet.cache_clear()


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise EncryptionKeyError(
            "an encrypted value cannot be decrypted with the configured keys "
            "(COLIS_ENCRYPTION_KEYS or the data folder's encryption.key is wrong)"
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a token with the first key (MultiFernet.rotate keeps the timestamp)."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise EncryptionKeyError("cannot rotate a value that no configured key decrypts") from exc
