"""`colis import`: imports in-process, with a progress bar, one line per integration."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from colis.orders.models import Order

pytestmark = pytest.mark.django_db


def test_import_command_imports_and_reports(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "--integration", str(integration.id), stdout=out, stderr=err)
    count = Order.objects.filter(integration=integration).count()
    assert count > 0
    assert f"#{integration.id}" in out.getvalue() and f"{count} new" in out.getvalue()
    assert "orders" in err.getvalue()  # the tqdm bar counts orders on stderr

    out = io.StringIO()
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=20)).date().isoformat()
    call_command("import", "--since", since, "--no-progress", stdout=out)
    assert "0 new" in out.getvalue() and Order.objects.count() == count


def test_import_command_refuses_bad_input(db: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import", "--since", "yesterday")
    with pytest.raises(CommandError, match="no integration"):
        call_command("import", "--integration", "424242")


def test_import_command_fails_visibly(sandbox: Any, make_integration: Any) -> None:
    integration = make_integration(first_import_days=30)
    sandbox.control("POST", "authorizations/revoke", {"seller_id": integration.seller_id})
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 import"):
        call_command("import", "--no-progress", stderr=err)
    assert "failed" in err.getvalue()
