"""A purge worker killed with SIGKILL in the middle of a run: nothing lost, nothing half-done.

Runs on PostgreSQL, where another process can reach the test database (pytest's SQLite test
database lives in memory; there the crash is simulated in test_purge.py by raising inside
the second batch).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from colis.privacy.models import PurgeAudit
from colis.privacy.services import TOMBSTONE, privacy_purge_all
from tests.helpers.services import on_postgres
from tests.privacy.conftest import PII, delivered, make_order, pii_of

REPO = Path(__file__).resolve().parents[2]
N, BATCH = 40, 5

WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from colis.privacy import services

    real = services._audit_add

    def slow(**kw):
        real(**kw)
        sys.stdout.write("batch\\n")
        sys.stdout.flush()
        time.sleep(0.3)  # still inside the batch's transaction: a kill here rolls it back

    services._audit_add = slow
    services.privacy_purge_all(batch_size=BATCH)
    sys.stdout.write("finished\\n")
    """
).replace("BATCH", str(BATCH))


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sigkill_mid_purge_leaves_whole_batches_and_the_next_run_finishes(
    account: Any, settings: Any
) -> None:
    if not on_postgres():
        pytest.skip("needs PostgreSQL (DATABASE_URL): another process must reach the test database")
    orders = [make_order(account, **delivered(40)) for _ in range(N)]
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "colis.settings",
        "PYTHONPATH": str(REPO / "src") + os.pathsep + str(REPO),
    }
    if settings.COLIS_ENCRYPTION_KEYS:
        env["COLIS_ENCRYPTION_KEYS"] = settings.COLIS_ENCRYPTION_KEYS
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert worker.stdout is not None
    seen = 0
    for line in worker.stdout:
        if line.strip() == "batch":
            seen += 1
        if seen == 3:
            break
    worker.send_signal(signal.SIGKILL)  # mid-transaction of the third batch
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL

    states = [pii_of(o) for o in orders]
    purged = [s for s in states if s == TOMBSTONE]
    intact = [s for s in states if s == PII]
    assert len(purged) + len(intact) == N, "a row is half purged"
    assert len(purged) == 2 * BATCH, "the killed batch was not rolled back whole"
    audited = sum(PurgeAudit.objects.values_list("orders_purged", flat=True))
    assert audited == len(purged)

    assert privacy_purge_all(batch_size=BATCH).purged == N - 2 * BATCH
    assert all(pii_of(o) == TOMBSTONE for o in orders)
    assert sum(PurgeAudit.objects.values_list("orders_purged", flat=True)) == N
