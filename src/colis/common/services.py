"""Writes shared by every app: key rotation over every encrypted column."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection, transaction

from colis.common.crypto import rotate_token
from colis.common.fields import encrypted_fields


def encrypted_columns_rotate(*, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt, in bounded batches, every value of every encrypted field with the first key.

    Reads the raw tokens (not the decrypted values) so that rotation never holds plain text.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        meta = model._meta
        pk_field = meta.pk
        assert pk_field is not None
        table = connection.ops.quote_name(meta.db_table)
        pk = connection.ops.quote_name(str(pk_field.column))
        columns = [connection.ops.quote_name(str(f.column)) for f in fields]
        last: object = None
        total = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                params: list[Any] = [last] if last is not None else []
                cursor.execute(
                    f"SELECT {pk}, {', '.join(columns)} FROM {table} {where}ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [*params, batch_size],
                )
                rows = cursor.fetchall()
                for row in rows:
                    new_values = [rotate_token(v) if v else v for v in row[1:]]
                    sets = ", ".join(f"{c} = %s" for c in columns)
                    update = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - quoted names
                    cursor.execute(update, [*new_values, row[0]])
            if not rows:
                break
            total += len(rows)
            last = rows[-1][0]
        counts[meta.label] = total
    return counts
