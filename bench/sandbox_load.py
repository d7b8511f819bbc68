"""Load figures for the Amazon sandbox (loopback only, bounded loops).

1. Pages of 100 orders per second (searchOrders, rate plans off): the sandbox runs in its
   own process (`python -m amazon_sandbox serve --no-rate-limits`); client processes with
   httpx keep-alive connections walk the pagination tokens.
2. Resident memory of a sandbox holding a million generated orders.

Usage: .venv/bin/python bench/sandbox_load.py [--orders 20000] [--seconds 10] [--clients 3]
       [--million-orders 1000000]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SELLER_1_REFRESH = "Atzr|IwEBISANDBOXSELLER1-0001-refresh-token-for-default-app-IT-DE-UK"
CLIENT_ID = "amzn1.application-oa2-client.5a4e0b1c2d3e4f5061728394a5b6c7d8"
CLIENT_SECRET = "amzn1.oa2-cs.v1.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"  # noqa: S105
EPOCH = "2000-01-01T00:00:00Z"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(orders: int) -> tuple[subprocess.Popen[bytes], str, float]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amazon_sandbox",
            "serve",
            "--no-rate-limits",
            "--orders",
            str(orders),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(6000):  # at most ~10 minutes
        try:
            if httpx.get(f"{url}/_sandbox/health", timeout=1).status_code == 200:
                return proc, url, time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("sandbox did not start")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def access_token(url: str) -> str:
    r = httpx.post(
        f"{url}/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": SELLER_1_REFRESH,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    )
    r.raise_for_status()
    return str(r.json()["access_token"])


def walk_tokens(url: str, token: str, limit: int) -> tuple[list[str], float]:
    """Walk the pages once (cold), returning their tokens and the cold pages/s."""
    tokens: list[str] = []
    params = {"createdAfter": EPOCH, "maxResultsPerPage": "100", "includedData": "FULFILLMENT"}
    start = time.monotonic()
    with httpx.Client(base_url=url, headers={"x-amz-access-token": token}) as client:
        r = client.get("/orders/2026-01-01/orders", params=params).json()
        while r.get("pagination", {}).get("nextToken") and len(tokens) < limit:
            tokens.append(r["pagination"]["nextToken"])
            r = client.get(
                "/orders/2026-01-01/orders", params={**params, "paginationToken": tokens[-1]}
            ).json()
    return tokens, (len(tokens) + 1) / (time.monotonic() - start)


def worker(url: str, token: str, tokens: list[str], seconds: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    params = {"createdAfter": EPOCH, "maxResultsPerPage": "100", "includedData": "FULFILLMENT"}
    pages = orders = 0
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, headers={"x-amz-access-token": token}) as client:
        i = 0
        while time.monotonic() < deadline and pages < 10_000_000:
            r = client.get(
                "/orders/2026-01-01/orders",
                params={**params, "paginationToken": tokens[i % len(tokens)]},
            )
            pages += 1
            orders += r.content.count(b'"orderId"')
            i += 1
    out.put((pages, orders))


def bench_pages(orders: int, seconds: float, clients: int) -> None:
    proc, url, startup = start_server(orders)
    try:
        token = access_token(url)
        tokens, cold = walk_tokens(url, token, 2000)
        print(
            f"sandbox with {orders} orders started in {startup:.1f} s; {len(tokens) + 1} pages of 100 for seller 1"
        )
        print(f"cold walk (first render): {cold:.0f} pages/s (one client)")
        out: mp.Queue = mp.Queue()  # type: ignore[type-arg]
        procs = [
            mp.Process(target=worker, args=(url, token, tokens, seconds, out))
            for _ in range(clients)
        ]
        start = time.monotonic()
        for p in procs:
            p.start()
        results = [out.get(timeout=seconds + 60) for _ in procs]
        for p in procs:
            p.join()
        elapsed = time.monotonic() - start
        pages = sum(r[0] for r in results)
        got = sum(r[1] for r in results)
        print(
            f"warm: {pages} pages ({got} orders) in {elapsed:.1f} s with {clients} client processes: "
            f"{pages / elapsed:.0f} pages/s of 100 orders"
        )
        print(f"server RSS: {rss_mib(proc.pid):.0f} MiB")
    finally:
        proc.terminate()
        proc.wait(10)


def bench_memory(orders: int) -> None:
    proc, url, startup = start_server(orders)
    try:
        idle = rss_mib(proc.pid)
        token = access_token(url)
        _, cold = walk_tokens(url, token, 200)
        print(
            f"{orders} orders: started in {startup:.1f} s, RSS {idle:.0f} MiB idle, "
            f"{rss_mib(proc.pid):.0f} MiB after 200 pages ({cold:.0f} cold pages/s)"
        )
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--million-orders", type=int, default=1_000_000)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    bench_pages(args.orders, args.seconds, args.clients)
    if not args.skip_memory:
        bench_memory(args.million_orders)


if __name__ == "__main__":
    main()
