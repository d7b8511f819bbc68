"""The fast paths give exactly what the general code gives: page rendering, page search,
timestamps and the per-order details drawn from (seed, index)."""

from __future__ import annotations

import itertools
import random

import orjson
import pytest

from amazon_sandbox.clock import _iso, iso
from amazon_sandbox.orders import MKT_INDEX, Query
from amazon_sandbox.render import v2026_order, v2026_page
from amazon_sandbox.state import Sandbox

START = 1.8e9
KINDS = ("BUYER", "RECIPIENT", "PROCEEDS", "FULFILLMENT", "PACKAGES", "CANCELLATION", "TAX")


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(seed=5, orders=4000, start=START)


def _general(sb: Sandbox, i: int, now: float, included: frozenset[str], pii: bool) -> str:
    status, last = sb.orders.timeline(i, now)
    return orjson.dumps(v2026_order(sb.orders, i, status, last, now, included, pii)).decode()


@pytest.mark.parametrize("days", [0, 3, 8])
def test_fast_page_is_byte_identical_to_the_general_rendering(sandbox: Sandbox, days: int) -> None:
    now = START + days * 86400
    book = sandbox.orders
    indices = [i for i in range(0, len(book), 11) if book.t0[i] <= now]
    for r in range(len(KINDS) + 1):
        for kinds in itertools.combinations(KINDS, r):
            included = frozenset(kinds)
            for pii in (True, False):
                fast = v2026_page(book, indices, now, included, pii, lambda i: b"")
                assert fast == [_general(sandbox, i, now, included, pii) for i in indices]


def test_changed_orders_take_the_general_path() -> None:
    sb = Sandbox(seed=3, orders=300, start=START)
    book = sb.orders
    i = next(k for k in range(300) if book.t0[k] <= START)
    book.touch(i, START)
    calls: list[int] = []

    def general(k: int) -> bytes:
        calls.append(k)
        return b'{"general":true}'

    assert v2026_page(book, [i], START, frozenset(), True, general) == ['{"general":true}']
    assert calls == [i]


def test_created_pages_match_the_merged_streams(sandbox: Sandbox) -> None:
    book = sandbox.orders
    now = START + 2 * 86400
    mkts = frozenset(MKT_INDEX[c] for c in ("IT", "DE", "UK"))
    for q in (
        Query(0, mkts, "created", START - 40 * 86400, now),
        Query(0, frozenset({MKT_INDEX["DE"]}), "created", START - 10 * 86400, START),
        Query(1, frozenset(range(len(MKT_INDEX))), "created", 0.0, now, frozenset({1, 3})),
        Query(0, mkts, "created", 0.0, now, None, frozenset({True})),
    ):
        expected = list(book.iterate(q, now, None))
        got: list[tuple[float, int]] = []
        cursor = None
        while True:
            hits, more = book.page(q, now, cursor, 37)
            got += hits
            if not more:
                break
            cursor = hits[-1]
        assert got == expected and expected


def test_iso_matches_strftime() -> None:
    rng = random.Random(1)
    for ts in [0, 0.5, 86399.9, 86400, START, *(rng.uniform(0, 4e9) for _ in range(20000))]:
        assert iso(ts) == _iso(int(ts))
    assert iso(-1.5) == "1969-12-31T23:59:59Z"


def test_details_depend_on_seed_and_index_only() -> None:
    a = Sandbox(seed=9, orders=500, start=START).orders
    b = Sandbox(seed=9, orders=500, start=START).orders
    c = Sandbox(seed=10, orders=500, start=START).orders
    assert [a.genes(i) for i in range(500)] == [b.genes(i) for i in range(500)]
    assert [a.facts(i).buyer for i in range(50)] == [b.facts(i).buyer for i in range(50)]
    assert [a.genes(i) for i in range(50)] != [c.genes(i) for i in range(50)]
    for i in range(500):
        picks, _, _ = a.genes(i)
        skus = [j for j, _ in picks]
        assert 1 <= len(picks) <= 4 and len(set(skus)) == len(skus)
        assert all(1 <= q <= 3 for _, q in picks)


def _brute_force(sb: Sandbox, q: Query, now: float) -> list[tuple[float, int]]:
    """Every matching order at its creation (or latest update) time, the slow way."""
    book = sb.orders
    out = []
    for i in range(len(book)):
        status, last = book.timeline(i, now)
        t = book.t0[i] if q.mode == "created" else last
        if status < 0 or not q.after <= t <= min(q.before, now):
            continue
        if book.seller[i] != q.seller or book.mkt[i] not in q.marketplaces:
            continue
        if q.channels is not None and bool(book.flags[i] & 1) not in q.channels:
            continue
        if q.statuses is not None and status not in q.statuses:
            continue
        out.append((t, i))
    return sorted(out)


@pytest.mark.parametrize("mode", ["created", "updated"])
def test_pages_hold_every_matching_order_once(sandbox: Sandbox, mode: str) -> None:
    now = START + 2 * 86400
    everywhere = frozenset(range(len(MKT_INDEX)))
    for q in (
        Query(0, everywhere, mode, START - 40 * 86400, now),
        Query(2, everywhere, mode, START - 3 * 86400, START, frozenset({1})),
        Query(1, everywhere, mode, 0.0, now, None, frozenset({False})),
    ):
        got: list[tuple[float, int]] = []
        cursor = None
        while True:
            hits, more = sandbox.orders.page(q, now, cursor, 100)
            got += hits
            if not more:
                break
            cursor = hits[-1]
        assert got == _brute_force(sandbox, q, now) and got
