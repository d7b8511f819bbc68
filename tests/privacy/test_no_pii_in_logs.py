"""No buyer PII in application logs: a whole flow with every logger at DEBUG.

Orders come from the Amazon sandbox through the real import; then the panel and the API
show them, a purge archives and erases them, and the accountant decrypts the archive. The
captured log records must hold none of the sandbox buyers' names, addresses, phones or
e-mails.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from huey.contrib.djhuey import HUEY

from colis.common import clock
from colis.orders.models import Order
from colis.orders.services import order_import_run
from colis.privacy.services import TOMBSTONE, archive_key_set
from colis.privacy.tasks import privacy_purge_daily_task
from tests.conftest import ApiClient
from tests.orders.conftest import SELLER, Sandbox, point_at

pytestmark = pytest.mark.django_db


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        return "\n".join(formatter.format(r) + " " + repr(r.args) for r in self.records)


@pytest.fixture
def all_logs(caplog: Any) -> Iterator[Everything]:
    """Every logger at DEBUG, captured by caplog and by a handler on the root logger."""
    caplog.set_level(logging.DEBUG)
    handler = Everything()
    root = logging.getLogger()
    saved = {
        name: logger.level
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def sandbox(settings: Any) -> Iterator[Sandbox]:
    from amazon_sandbox.runner import start_sandbox

    sb = Sandbox(start_sandbox(seed=23, orders=120, time_scale=1000, rate_limits=False))
    point_at(settings, sb.url)
    yield sb
    sb.http.close()
    sb.running.stop()


def buyer_values(orders: list[Order]) -> set[str]:
    values: set[str] = set()
    for order in orders:
        for text in (
            order.buyer_name,
            order.buyer_email,
            order.recipient_name,
            order.recipient_company,
            order.recipient_phone,
            order.gift_message,
            *order.recipient_lines.split("\n"),
        ):
            if text and len(text.strip()) >= 5:
                values.add(text.strip())
    return values


def test_a_whole_flow_logs_no_buyer_data(
    sandbox: Sandbox,
    all_logs: Everything,
    caplog: Any,
    make_user: Any,
    settings: Any,
    tmp_path: Any,
    identity: Any,
    monkeypatch: Any,
) -> None:
    from colis.integrations.models import Integration

    settings.COLIS_ARCHIVE_DIR = str(tmp_path / "archives")
    user = make_user()
    account = user.account
    integration = Integration.objects.create(
        account=account,
        name="Amazon DE",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER.selling_partner_id,
        marketplace_id="A1PA6795UKMFR9",
        region="EU",
        credentials={"refresh_token": SELLER.refresh_token},  # type: ignore[misc]
        first_import_days=30,
    )

    result = order_import_run(integration_id=integration.id)
    assert result.status == "ok", result.reason
    orders = list(Order.objects.filter(account=account))
    assert len(orders) > 5
    secrets = buyer_values(orders)
    assert len(secrets) > 10 and any("@" in s for s in secrets)

    # The panel and the API show the buyer data (and would record the access).
    panel = Client()
    panel.force_login(user)
    api = ApiClient(user)
    assert panel.get("/orders/").status_code == 200
    for order in orders[:5]:
        assert panel.get(f"/orders/{order.pk}/").status_code == 200
        detail = api.get(f"/api/v1/orders/{order.pk}")
        assert detail.status_code == 200
        assert detail.json()["buyer_name"] == order.buyer_name
    for path in ("retention", "archive-key", "purges", "pii-access"):
        assert api.get(f"/api/v1/privacy/{path}").status_code == 200

    # Half of them delivered long ago: archived, then purged by the scheduled task.
    archive_key_set(account=account, public_key=str(identity.to_public()))
    long_ago = clock.now() - dt.timedelta(days=45)
    done = [o.pk for o in orders[::2]]
    Order.objects.filter(pk__in=done).update(
        status=Order.Status.SHIPPED, shipped_at=long_ago, delivered_at=long_ago
    )
    monkeypatch.setattr(HUEY, "immediate", True)
    privacy_purge_daily_task.call_local()
    purged = Order.objects.filter(pk__in=done)
    assert all(o.pii_purged_at is not None for o in purged)
    assert all(getattr(o, f) == v for o in purged for f, v in TOMBSTONE.items())

    # The accountant decrypts the archive.
    monkeypatch.setattr(sys, "stdin", io.StringIO(str(identity)))
    out = io.StringIO()
    call_command("archive", "decrypt", str(tmp_path / "archives" / str(account.pk)), stdout=out)
    assert out.getvalue().count("\n") == len(done)

    logs = all_logs.text() + "\n" + caplog.text
    assert len(all_logs.records) > 20, "the flow logged nothing: is capture working?"
    leaked = sorted(s for s in secrets if s in logs)
    assert not leaked, f"buyer data found in the logs: {leaked[:5]}"
