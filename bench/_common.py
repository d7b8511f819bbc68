"""Shared pieces of the import benchmarks: a sandbox process, a scratch colis database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SELLER_ID = "A1SBXSELLERIT1"
SELLER_REFRESH = "Atzr|IwEBISANDBOXSELLER1-0001-refresh-token-for-default-app-IT-DE-UK"
APP_ID = "amzn1.sp.solution.5c1f3c2e-8a4b-4d7e-9f10-3b2a1c0d9e8f"
CLIENT_ID = "amzn1.application-oa2-client.5a4e0b1c2d3e4f5061728394a5b6c7d8"
CLIENT_SECRET = "amzn1.oa2-cs.v1.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"  # noqa: S105
DE = "A1PA6795UKMFR9"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SandboxProcess:
    """`python -m amazon_sandbox serve` in its own process (it does not share our GIL)."""

    def __init__(
        self, *, orders: int = 0, time_scale: float = 1.0, rate_limits: bool = True
    ) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        args = [sys.executable, "-m", "amazon_sandbox", "serve", "--port", str(port)]
        args += ["--orders", str(orders), "--time-scale", str(time_scale)]
        if not rate_limits:
            args.append("--no-rate-limits")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen(
            args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/_sandbox/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.1)
        self.http = httpx.Client(base_url=self.url, timeout=300)

    def control(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        response = self.http.request(method, f"/_sandbox/{path}", json=json, params=params or None)
        response.raise_for_status()
        return response.json()

    def add_orders(self, n: int, *, marketplace_id: str = DE) -> None:
        """N new merchant-fulfilled orders of seller 1 in one marketplace, created now."""
        left = n
        while left:
            count = min(left, 5000)
            self.control(
                "POST",
                "orders",
                {"seller_id": SELLER_ID, "marketplace_id": marketplace_id, "count": count},
            )
            left -= count

    def stop(self) -> None:
        self.http.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)


def point_at(url: str) -> None:
    """colis reads its Amazon endpoints lazily from the environment: move them to `url`."""
    os.environ["COLIS_AMAZON_SPAPI_URL"] = url
    os.environ["COLIS_AMAZON_LWA_URL"] = url


def colis_environment(*, database: str, sandbox_url: str) -> tuple[dict[str, str], Any]:
    """Point colis (this process, before Django starts) at a scratch database and the sandbox.

    Returns the environment and a clean-up callable. `database` is "sqlite" (a temporary
    data folder, WAL) or "postgres" (a scratch database on DATABASE_URL's server)."""
    data = tempfile.mkdtemp(prefix="colis-bench-")
    os.environ["COLIS_DATA_DIR"] = data
    os.environ.pop("REDIS_URL", None)  # a fresh rate-limit mirror per run (database buckets)
    os.environ.update(
        COLIS_AMAZON_SPAPI_URL=sandbox_url,
        COLIS_AMAZON_LWA_URL=sandbox_url,
        COLIS_AMAZON_APP_ID=APP_ID,
        COLIS_AMAZON_LWA_CLIENT_ID=CLIENT_ID,
        COLIS_AMAZON_LWA_CLIENT_SECRET=CLIENT_SECRET,
        COLIS_LOG_LEVEL="WARNING",
    )
    cleanup: list[Any] = []
    if database == "postgres":
        import psycopg

        base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
        server = base.rsplit("/", 1)[0]
        name = f"colis_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{server}/{name}"

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        cleanup.append(drop)
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "colis.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    def done() -> None:
        for fn in cleanup:
            fn()

    return dict(os.environ), done


def make_integration(**fields: Any) -> Any:
    from colis.accounts.services import user_create
    from colis.integrations.models import Integration

    user = user_create(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.test",
        password="correct horse battery staple",  # noqa: S106 - a throwaway bench account
        verified=True,
    )
    return Integration.objects.create(  # type: ignore[misc]  # encrypted JSON credentials
        account=user.account,
        name="Amazon DE (bench)",
        auth_kind=Integration.AuthKind.SPAPI_OAUTH,
        seller_id=SELLER_ID,
        marketplace_id=DE,
        region="EU",
        credentials={"refresh_token": SELLER_REFRESH},
        **fields,
    )
