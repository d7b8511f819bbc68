"""`colis rotate-keys` re-encrypts the orders' buyer PII columns too."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from colis.common import crypto
from colis.common.fields import encrypted_fields
from colis.orders.models import Order
from tests.privacy.conftest import PII, make_order, pii_of

PII_COLUMNS = list(PII)


def raw_columns(pk: int) -> dict[str, str]:
    columns = ", ".join(connection.ops.quote_name(c) for c in PII_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM orders_order WHERE id = %s", [pk])  # noqa: S608
        return dict(zip(PII_COLUMNS, cursor.fetchone(), strict=True))


def test_every_order_pii_field_is_encrypted() -> None:
    assert {f.name for f in encrypted_fields(Order)} >= set(PII_COLUMNS)


@pytest.mark.django_db
def test_rotate_keys_covers_the_order_pii_columns(account: Any, settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.COLIS_ENCRYPTION_KEYS = old
    crypto.reset_key_cache()
    try:
        order = make_order(account)
        before = raw_columns(order.pk)
        for name, value in PII.items():
            assert value not in before[name]  # ciphertext at rest
            assert Fernet(old.encode()).decrypt(before[name].encode()).decode() == value

        settings.COLIS_ENCRYPTION_KEYS = f"{new},{old}"
        crypto.reset_key_cache()
        call_command("rotate_keys", stdout=None)

        after = raw_columns(order.pk)
        for name, value in PII.items():
            assert after[name] != before[name]
            assert Fernet(new.encode()).decrypt(after[name].encode()).decode() == value
        settings.COLIS_ENCRYPTION_KEYS = new  # the old key is gone
        crypto.reset_key_cache()
        assert pii_of(order) == PII
    finally:
        crypto.reset_key_cache()
