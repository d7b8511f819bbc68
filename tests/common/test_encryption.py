from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from colis.common import crypto
from colis.common.crypto import EncryptionKeyError
from colis.common.keycheck import encryption_keys_check
from colis.common.models import KeyCanary


@pytest.fixture
def keys(settings: Any) -> Any:
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.COLIS_ENCRYPTION_KEYS = first
    crypto.reset_key_cache()
    yield settings, first, second
    crypto.reset_key_cache()


def raw_value(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM common_keycanary WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_value_is_ciphertext_at_rest_and_plain_in_python(keys: Any) -> None:
    row = KeyCanary.objects.create(value="DE89370400440532013000")
    assert "DE8937" not in raw_value(row.pk)
    assert KeyCanary.objects.get(pk=row.pk).value == "DE89370400440532013000"


@pytest.mark.django_db
def test_wrong_key_raises_and_never_returns_ciphertext(keys: Any) -> None:
    settings, _first, second = keys
    row = KeyCanary.objects.create(value="secret")
    settings.COLIS_ENCRYPTION_KEYS = second
    crypto.reset_key_cache()
    with pytest.raises(EncryptionKeyError):
        KeyCanary.objects.get(pk=row.pk)


@pytest.mark.django_db
def test_start_up_check_refuses_a_wrong_key(keys: Any) -> None:
    settings, _first, second = keys
    encryption_keys_check()  # writes the canary
    settings.COLIS_ENCRYPTION_KEYS = second
    crypto.reset_key_cache()
    with pytest.raises(EncryptionKeyError, match="cannot be decrypted"):
        encryption_keys_check()


def test_malformed_key_is_named(keys: Any) -> None:
    settings, *_ = keys
    settings.COLIS_ENCRYPTION_KEYS = "not-a-key"
    crypto.reset_key_cache()
    with pytest.raises(EncryptionKeyError, match="key #1 is not a valid Fernet key"):
        crypto.encrypt_text("x")


@pytest.mark.django_db
def test_rotate_keys_reencrypts_with_the_first_key(keys: Any) -> None:
    settings, first, second = keys
    row = KeyCanary.objects.create(value="rotate me")
    settings.COLIS_ENCRYPTION_KEYS = f"{second},{first}"
    crypto.reset_key_cache()
    call_command("rotate_keys")
    settings.COLIS_ENCRYPTION_KEYS = second  # the old key is gone
    crypto.reset_key_cache()
    assert KeyCanary.objects.get(pk=row.pk).value == "rotate me"


def test_generated_key_file_is_private(tmp_path: Any, settings: Any) -> None:
    settings.COLIS_ENCRYPTION_KEYS = ""
    settings.COLIS_ENCRYPTION_KEY_FILE = tmp_path / "encryption.key"
    crypto.reset_key_cache()
    try:
        assert crypto.decrypt_text(crypto.encrypt_text("hello")) == "hello"
        assert (tmp_path / "encryption.key").stat().st_mode & 0o777 == 0o600
    finally:
        crypto.reset_key_cache()
