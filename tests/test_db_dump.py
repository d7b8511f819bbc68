"""A raw dump of the database never contains a mandate's IBAN (encrypted at rest)."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Any

import pytest
from django.db import connection

from colis.accounts.models import DirectDebitMandate
from colis.accounts.services import direct_debit_mandate_create
from tests.helpers.services import skip_or_fail

IBAN = "FR7630006000011234567890189"
IBAN_SPACED = "FR76 3000 6000 0112 3456 7890 189"


def dump_database() -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        return "\n".join(raw.iterdump())
    if vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if not pg_dump:
            skip_or_fail("pg_dump is not installed (apt-get install postgresql-client)")
        assert pg_dump
        params = connection.settings_dict
        env = {**os.environ}
        if params.get("PASSWORD"):
            env["PGPASSWORD"] = str(params["PASSWORD"])
        command = [pg_dump, "--no-owner", "--data-only", "--dbname", str(params["NAME"])]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if params.get(key):
                command += [flag, str(params[key])]
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=120, check=False
        )
        if result.returncode != 0:
            skip_or_fail(f"pg_dump failed: {result.stderr.strip()[:300]}")
        return result.stdout
    pytest.skip(f"no dump procedure for the {vendor} backend")
    return ""


@pytest.mark.django_db(transaction=True)
def test_iban_never_in_a_raw_dump(make_user: Any) -> None:
    # transaction=True: the rows are committed, so pg_dump (another connection) sees them.
    user = make_user()
    mandate = direct_debit_mandate_create(
        account=user.account,
        data={"account_holder": "Exemple SARL", "iban": IBAN_SPACED, "accept": True},
    )
    assert DirectDebitMandate.objects.get(pk=mandate.pk).iban == IBAN  # readable in Python

    dump = dump_database()
    assert mandate.reference in dump, "the dump does not contain the mandate row at all"
    for form in (IBAN, IBAN_SPACED, IBAN.lower(), IBAN[4:], "0001123456789"):
        assert form not in dump, f"IBAN form {form!r} found in the raw database dump"
    assert mandate.iban_last4 == "0189"
