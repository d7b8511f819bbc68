"""The generated data's variety, and the command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amazon_sandbox import defaults
from amazon_sandbox.catalog import Catalog
from amazon_sandbox.cli import build_parser, main
from amazon_sandbox.orders import K_AFN_SHIP, K_BUYER_CANCEL, K_CANCEL, OrderBook
from amazon_sandbox.state import Sandbox


@pytest.fixture(scope="module")
def big() -> Sandbox:
    return Sandbox(seed=5, orders=5000, start=1.8e9)


def test_orders_cover_the_cases_colis_must_handle(big: Sandbox) -> None:
    book = big.orders
    facts = [book.facts(i) for i in range(0, 5000, 7)]
    assert any(f.afn for f in facts) and any(not f.afn for f in facts)
    assert any(f.prime for f in facts) and any(f.business for f in facts)
    assert any(len(f.items) > 1 for f in facts)
    assert any(it.quantity > 1 for f in facts for it in f.items)
    names = " ".join(f.buyer.name + f.buyer.line1 + f.buyer.city for f in facts)
    assert any(ord(ch) > 127 for ch in names)
    assert {f.marketplace.code for f in facts} >= {"IT", "DE", "UK", "FR", "ES", "US"}
    kinds = {book.kind2[i] for i in range(5000)}
    assert {K_CANCEL, K_BUYER_CANCEL, K_AFN_SHIP} <= kinds
    future = sum(1 for i in range(5000) if book.t0[i] > 1.8e9)
    assert 0 < future < 5000  # orders keep arriving after the start


def test_skus_weights_everywhere_and_nowhere(big: Sandbox) -> None:
    skus = [s for lst in big.catalog.by_seller.values() for s in lst]
    assert any(s.catalog_weight and s.listing_weight for s in skus)
    assert any(s.catalog_weight and not s.listing_weight for s in skus)
    assert any(s.listing_weight and not s.catalog_weight for s in skus)
    nowhere = [s for s in skus if not s.catalog_weight and not s.listing_weight]
    assert nowhere and all(s.sku.isascii() for s in skus)
    units = {w.unit for s in skus for w in (s.catalog_weight, s.listing_weight) if w}
    assert units == {"pounds", "ounces", "grams", "kilograms"}


def test_seller_one_sells_in_three_eu_marketplaces() -> None:
    seller = defaults.SELLER_1
    assert seller.marketplaces == ("IT", "DE", "UK")
    for s in defaults.ALL_SELLERS:
        assert s.selling_partner_id.startswith("A") and 13 <= len(s.selling_partner_id) <= 15
        assert s.mws_auth_token.startswith("amzn.mws.") and s.refresh_token.startswith("Atzr|")


def test_parser_and_bad_fault() -> None:
    args = build_parser().parse_args(
        ["serve", "--no-rate-limits", "--fault", "getOrders:503:0.5", "--time-scale", "10"]
    )
    assert args.no_rate_limits and args.fault == ["getOrders:503:0.5"] and args.time_scale == 10
    assert main(["serve", "--fault", "getOrders:boom:1"]) == 2


def test_serve_command_runs_the_sandbox() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amazon_sandbox",
            "serve",
            "--port",
            str(port),
            "--orders",
            "20",
            "--fault",
            "getOrders:503:1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/_sandbox/faults", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.json()["faults"] == [{"operation": "getOrders", "kind": "503", "value": 1.0}]
    finally:
        proc.terminate()
        proc.wait(10)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**31), index=st.integers(0, 10**6))
def test_order_ids_are_a_bijection(seed: int, index: int) -> None:
    book = _BOOKS.get(seed) or _BOOKS.setdefault(seed, OrderBook(seed, 0, 1.8e9, _CATALOG))
    while len(book) <= index % 50:
        book.add_order(
            now=1.8e9,
            seller=0,
            mkt=0,
            afn=False,
            prime=False,
            business=False,
            pending_seconds=0,
            items=None,
        )
    i = index % 50
    oid = book.order_id(i)
    assert len(oid) == 19 and oid[3] == "-" and oid[11] == "-"
    assert book.index_of(oid) == i


_BOOKS: dict[int, Any] = {}
_CATALOG = Catalog(1)
