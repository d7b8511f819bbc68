"""A worker killed mid-import loses nothing and duplicates nothing.

Real processes: the sandbox serves Amazon on loopback (slowed by a latency fault), a
`colis import` process or a `colis run_huey` worker imports from it into a real database
(the data folder's SQLite, or a scratch PostgreSQL database when DATABASE_URL points at
PostgreSQL), and is SIGKILLed after a few pages. Once its lease lapses, a second run
finishes the job. The database must then hold every merchant-fulfilled order of the window
exactly once, checked against the sandbox's ground truth (/_sandbox/orders).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from amazon_sandbox import defaults
from amazon_sandbox.runner import RunningSandbox, start_sandbox
from tests.helpers.services import on_postgres

pytestmark = pytest.mark.timeout(300)

SELLER = defaults.SELLER_1
DE = "A1PA6795UKMFR9"
LEASE_SECONDS = 3

SETUP = """
from colis.accounts.services import user_create
from colis.integrations.models import Integration
user = user_create(email="crash@example.test", password="correct horse battery staple", verified=True)
integration = Integration.objects.create(
    account=user.account, name="Amazon DE", auth_kind="spapi_oauth", seller_id={seller!r},
    marketplace_id={marketplace!r}, region="EU", credentials={{"refresh_token": {token!r}}},
    first_import_days=30,
)
print(integration.id)
"""

DUMP = """
import json
from colis.integrations.models import Integration
from colis.orders.models import Order, OrderItem
i = Integration.objects.get(id={integration_id})
print(json.dumps({{
    "ids": list(Order.objects.filter(integration=i).values_list("external_id", flat=True)),
    "items": list(OrderItem.objects.filter(order__integration=i).values_list("order__external_id", "external_id")),
    "cursor": i.cursor.isoformat() if i.cursor else None,
    "resume_token": i.resume_token,
    "resume_from": i.resume_from.isoformat() if i.resume_from else None,
    "lock_owner": i.lock_owner,
    "last_error": i.last_error,
    "imported_orders": i.imported_orders,
}}))
"""

ENQUEUE = """
from colis.integrations.tasks import integration_import_task
integration_import_task({integration_id})
"""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for colis processes: a fresh data folder and database of their own."""
    env = {
        **os.environ,
        "COLIS_DATA_DIR": str(tmp_path),
        "COLIS_IMPORT_LEASE_SECONDS": str(LEASE_SECONDS),
        "COLIS_QUEUE_NAME": f"colis-crash-{uuid.uuid4().hex[:8]}",
        "PYTHONUNBUFFERED": "1",
    }
    if not on_postgres():
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"colis_crash_{uuid.uuid4().hex[:8]}"
    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox(seed=5, orders=3000, time_scale=1000, rate_limits=False)
    yield running
    running.stop()


def _colis(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "colis", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _shell(env: dict[str, str], code: str) -> str:
    return _colis(env, "shell", "-c", code).strip().splitlines()[-1]


def _truth(url: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = httpx.get(
            f"{url}/_sandbox/orders",
            params={"seller_id": SELLER.selling_partner_id, "limit": 1000, "offset": offset},
            timeout=60,
        ).json()
        out.extend(page["orders"])
        if len(page["orders"]) < 1000:
            return out
        offset += 1000


def _spawn(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "colis", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _kill_after_pages(
    proc: subprocess.Popen[bytes], sandbox: RunningSandbox, pages: int, timeout: float = 90
) -> None:
    deadline = time.monotonic() + timeout
    while sandbox.state.call_counts["searchOrders"] < pages:
        assert proc.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.mark.parametrize("runner", ["import", "worker"])
def test_killed_import_resumes_exactly_once(
    database: dict[str, str], sandbox: RunningSandbox, runner: str
) -> None:
    env = {
        **database,
        "COLIS_AMAZON_SPAPI_URL": sandbox.url,
        "COLIS_AMAZON_LWA_URL": sandbox.url,
        "COLIS_AMAZON_APP_ID": defaults.APPLICATION_ID,
        "COLIS_AMAZON_LWA_CLIENT_ID": defaults.LWA_CLIENT_ID,
        "COLIS_AMAZON_LWA_CLIENT_SECRET": defaults.LWA_CLIENT_SECRET,
    }
    _colis(env, "migrate", "--verbosity", "0")
    integration_id = int(
        _shell(
            env,
            SETUP.format(
                seller=SELLER.selling_partner_id, marketplace=DE, token=SELLER.refresh_token
            ),
        )
    )
    # Slow pages: the process is killed while it is between pages or inside one.
    sandbox.state.faults.add(_latency(0.4))
    if runner == "import":
        proc = _spawn(env, "import", "--integration", str(integration_id), "--no-progress")
    else:
        proc = _spawn(env, "run_huey", "--no-periodic", "--workers", "1")
        _shell(env, ENQUEUE.format(integration_id=integration_id))
    _kill_after_pages(proc, sandbox, pages=3)

    after_kill = json.loads(_shell(env, DUMP.format(integration_id=integration_id)))
    assert after_kill["cursor"] is None, "the cursor moved before the run finished"
    assert after_kill["resume_from"], "no page was committed before the kill"
    assert after_kill["lock_owner"], "the killed process' lease is still recorded"
    assert 0 < len(after_kill["ids"]) == len(set(after_kill["ids"]))

    # Once the dead worker's lease has lapsed, a new run takes over.
    sandbox.state.faults.clear()
    time.sleep(LEASE_SECONDS + 0.5)
    if runner == "import":
        _colis(env, "import", "--integration", str(integration_id), "--no-progress")
    else:
        worker = _spawn(env, "run_huey", "--no-periodic", "--workers", "1")
        try:
            _shell(env, ENQUEUE.format(integration_id=integration_id))
            deadline = time.monotonic() + 120
            while True:
                state = json.loads(_shell(env, DUMP.format(integration_id=integration_id)))
                if state["cursor"]:
                    break
                assert time.monotonic() < deadline, "the second worker did not finish"
                time.sleep(0.5)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)

    final = json.loads(_shell(env, DUMP.format(integration_id=integration_id)))
    assert final["cursor"] and final["resume_token"] == "" and final["lock_owner"] == ""
    window = after_kill["resume_from"].replace("+00:00", "Z")
    truth = [
        o
        for o in _truth(sandbox.url)
        if o["salesChannel"]["marketplaceId"] == DE
        and o["_sandbox"]["fulfillment_channel"] == "MFN"
        and o["lastUpdatedTime"] >= window[:19] + "Z"
    ]
    want = {o["orderId"] for o in truth}
    got = final["ids"]
    assert len(got) == len(set(got)), "an order was imported twice"
    assert set(got) == want, (
        f"missing {len(want - set(got))}, unexpected {len(set(got) - want)} of {len(want)}"
    )
    want_items = sorted((o["orderId"], i["orderItemId"]) for o in truth for i in o["orderItems"])
    assert sorted(map(tuple, final["items"])) == want_items
    assert final["imported_orders"] == len(want)
    assert len(want) > len(after_kill["ids"])  # the kill really happened mid-import


def _latency(seconds: float) -> Any:
    from amazon_sandbox.faults import make_fault

    return make_fault("searchOrders", "latency", seconds)
