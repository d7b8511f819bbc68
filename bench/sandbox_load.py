"""Load figures for the Amazon sandbox (loopback only, bounded loops).

1. Pages of 100 orders per second (searchOrders, rate plans off): the sandbox runs in its
   own process (`python -m amazon_sandbox serve --no-rate-limits`); client processes with
   keep-alive connections walk the pagination tokens. Cold: each client walks its own
   window of creation dates, so every page is the first read of its orders. Warm: the
   clients read those pages again. Also the server's CPU time per page (what the figures
   are made of, whatever else the machine runs) and one httpx client reading in sequence.
2. Resident memory of a sandbox holding a million generated orders, idle and after a cold
   walk of 2,000 pages.

Usage: .venv/bin/python bench/sandbox_load.py [--orders 20000] [--seconds 10] [--clients 3]
       [--million-orders 1000000]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def next_token(body: bytes) -> str | None:
    """The page's nextToken, without parsing the whole page (it sits in the tail)."""
    at = body.rfind(b'"nextToken":"')
    if at < 0:
        return None
    start = at + len(b'"nextToken":"')
    return body[start : body.index(b'"', start)].decode()


class Pages:
    """A keep-alive connection reading searchOrders pages. The load generator is the
    standard library's http.client: a quarter of httpx's CPU per page, which matters when
    the clients share the two cores with the server."""

    def __init__(self, url: str, token: str, window: tuple[str, str | None] = (EPOCH, None)):
        host, port = url.removeprefix("http://").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers = {"x-amz-access-token": token}
        params = {
            "createdAfter": window[0],
            "maxResultsPerPage": "100",
            "includedData": "FULFILLMENT",
        }
        if window[1]:
            params["createdBefore"] = window[1]
        self.path = "/orders/2026-01-01/orders?" + urllib.parse.urlencode(params)

    def get(self, token: str | None = None) -> bytes:
        path = self.path + (
            "&" + urllib.parse.urlencode({"paginationToken": token}) if token else ""
        )
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {body[:200]!r}")
        return body

    def walk(self, limit: int) -> tuple[list[str], int]:
        """Read every page once; the pages' tokens and the orders read."""
        tokens: list[str] = []
        body = self.get()
        orders = body.count(b'"orderId"')
        nxt = next_token(body)
        while nxt and len(tokens) < limit:
            tokens.append(nxt)
            body = self.get(nxt)
            orders += body.count(b'"orderId"')
            nxt = next_token(body)
        return tokens, orders


def walk_tokens(url: str, token: str, limit: int) -> tuple[list[str], float]:
    """One client walking seller 1's pages in sequence (httpx, as colis reads them): pages/s."""
    tokens: list[str] = []
    params = {"createdAfter": EPOCH, "maxResultsPerPage": "100", "includedData": "FULFILLMENT"}
    start = time.monotonic()
    with httpx.Client(base_url=url, headers={"x-amz-access-token": token}) as client:
        r = client.get("/orders/2026-01-01/orders", params=params)
        nxt = next_token(r.content)
        while nxt and len(tokens) < limit:
            tokens.append(nxt)
            r = client.get("/orders/2026-01-01/orders", params={**params, "paginationToken": nxt})
            nxt = next_token(r.content)
    return tokens, (len(tokens) + 1) / (time.monotonic() - start)


def cold_worker(
    url: str,
    token: str,
    window: tuple[str, str],
    limit: int,
    barrier: Any,
    out: mp.Queue,  # type: ignore[type-arg]
) -> None:
    pages = Pages(url, token, window)
    barrier.wait()
    tokens, orders = pages.walk(limit)
    out.put((tokens, orders))


def worker(url: str, token: str, tokens: list[str], seconds: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    client = Pages(url, token)
    n = orders = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        orders += client.get(tokens[n % len(tokens)]).count(b'"orderId"')
        n += 1
    out.put((n, orders))


def windows(url: str, parts: int) -> list[tuple[str, str]]:
    """Split the sandbox's 30 days of history into `parts` createdAfter/createdBefore windows."""
    now = httpx.get(f"{url}/_sandbox/clock").json()["epoch"]
    lo, span = now - 30 * 86400 - 60, 30 * 86400 + 60
    edges = [lo + span * k / parts for k in range(parts + 1)]
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return [
        (time.strftime(fmt, time.gmtime(a)), time.strftime(fmt, time.gmtime(b)))
        for a, b in itertools.pairwise(edges)
    ]


def cold_walk(
    pid: int, url: str, token: str, clients: int, limit: int
) -> tuple[list[str], float, float]:
    """Each client process walks its own window of creation dates (at most `limit` pages):
    the tokens, pages/s and server CPU seconds per page."""
    out: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    barrier = mp.Barrier(clients + 1)
    procs = [
        mp.Process(target=cold_worker, args=(url, token, w, limit, barrier, out))
        for w in windows(url, clients)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    cpu0, start = cpu_seconds(pid), time.monotonic()
    walked = [out.get(timeout=900) for _ in procs]
    elapsed, cpu = time.monotonic() - start, cpu_seconds(pid) - cpu0
    for p in procs:
        p.join()
    tokens = [t for lst, _ in walked for t in lst]
    pages = len(tokens) + len(walked)
    return tokens, pages / elapsed, cpu / pages


def bench_pages(orders: int, seconds: float, clients: int) -> None:
    proc, url, startup = start_server(orders)
    try:
        token = access_token(url)
        tokens, rate, cpu = cold_walk(proc.pid, url, token, clients, 100_000)
        print(
            f"sandbox with {orders} orders started in {startup:.1f} s; seller 1: {len(tokens) + clients} pages"
        )
        print(
            f"cold (first read of every page): {rate:.0f} pages/s of 100 orders "
            f"with {clients} client processes; server CPU {cpu * 1000:.2f} ms/page"
        )
        out: mp.Queue = mp.Queue()  # type: ignore[type-arg]
        procs = [
            mp.Process(target=worker, args=(url, token, tokens, seconds, out))
            for _ in range(clients)
        ]
        cpu0, start = cpu_seconds(proc.pid), time.monotonic()
        for p in procs:
            p.start()
        results = [out.get(timeout=seconds + 60) for _ in procs]
        for p in procs:
            p.join()
        elapsed, cpu = time.monotonic() - start, cpu_seconds(proc.pid) - cpu0
        pages = sum(r[0] for r in results)
        print(
            f"warm (pages read before): {pages / elapsed:.0f} pages/s of 100 orders with "
            f"{clients} client processes; server CPU {cpu / pages * 1000:.2f} ms/page"
        )
        _, one = walk_tokens(url, token, 300)
        print(f"one httpx client in sequence: {one:.0f} pages/s")
        print(f"server RSS: {rss_mib(proc.pid):.0f} MiB")
    finally:
        proc.terminate()
        proc.wait(10)


def bench_memory(orders: int) -> None:
    proc, url, startup = start_server(orders)
    try:
        idle = rss_mib(proc.pid)
        token = access_token(url)
        tokens, rate, cpu = cold_walk(proc.pid, url, token, 2, 1000)
        print(
            f"{orders} orders: started in {startup:.1f} s, RSS {idle:.0f} MiB idle, "
            f"{rss_mib(proc.pid):.0f} MiB after a cold walk of {len(tokens) + 2} pages "
            f"({rate:.0f} pages/s, server CPU {cpu * 1000:.2f} ms/page)"
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
