"""The order book: a deterministic, compact, lazily rendered set of orders.

Per order only a few numbers live in memory (typed arrays: creation time, the times of
its scheduled status changes, seller, marketplace, flags), about 45 bytes; everything
else (items, buyer, address) is re-derived from (seed, index) on demand. A million
orders fit in well under 100 MB. What the sandbox's clients change (shipments,
cancellations) lives in small per-order overlays.
"""

from __future__ import annotations

import bisect
import heapq
import random
import threading
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .catalog import SKUS_PER_SELLER, Catalog, Sku
from .constants import MARKETPLACES, Marketplace
from .defaults import SELLERS, SandboxSeller
from .people import Person, make_person

# Internal statuses.
PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELED = range(5)
V0_STATUS = ("Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled")
V2026_STATUS = ("PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED")
V0_STATUS_CODES = {name: code for code, name in enumerate(V0_STATUS)}
V2026_STATUS_CODES = {name: code for code, name in enumerate(V2026_STATUS)}

# Scheduled second changes (kind2).
K_NONE, K_CANCEL, K_BUYER_CANCEL, K_AFN_SHIP, K_SHIPPED_ELSEWHERE = range(5)

PENDING_MAX = 1800.0  # seconds a generated order stays Pending, at most

# Flags.
F_AFN, F_PRIME, F_BUSINESS = 1, 2, 4

SELLER_LIST: tuple[SandboxSeller, ...] = SELLERS
MARKETPLACE_LIST: tuple[Marketplace, ...] = tuple(MARKETPLACES.values())
MKT_INDEX = {m.code: k for k, m in enumerate(MARKETPLACE_LIST)}
SELLER_INDEX = {s.selling_partner_id: k for k, s in enumerate(SELLER_LIST)}
FX = {"EUR": 1.0, "GBP": 0.86, "USD": 1.08, "CAD": 1.47, "PLN": 4.3, "SEK": 11.4}

ID_SPACE = 10**14
ID_MULT = 6_364_136_223_846_793 % ID_SPACE  # odd, not a multiple of 5: a bijection mod 10^14
ID_MULT_INV = pow(ID_MULT, -1, ID_SPACE)
BUYER_CANCEL_REASONS = (
    "Found cheaper somewhere else.",
    "Ordered by mistake.",
    "Delivery date too late.",
    "No longer needed.",
)
SERVICE_LEVELS = {"Standard": "Std {c} Dom", "Expedited": "Exp {c} Dom"}
PERSON_COUNTRIES = ("DE", "FR", "IT", "ES", "GB", "US")
MKT_COUNTRY = tuple(m.country if m.country in PERSON_COUNTRIES else "DE" for m in MARKETPLACE_LIST)

# Per-order details come from a splitmix64 hash of (seed, index): a few integer operations
# instead of seeding a random.Random per order (which alone costs microseconds).
M64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix64(z: int) -> int:
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


Genes = tuple[tuple[tuple[int, int], ...], bool, int]


@dataclass(slots=True)
class Item:
    order_item_id: str
    sku: Sku
    quantity: int
    unit_price_cents: int  # in the marketplace currency
    buyer_cancel: bool  # flagged when the order's buyer-cancel request happens


@dataclass(slots=True)
class OrderFacts:
    index: int
    order_id: str
    seller: SandboxSeller
    marketplace: Marketplace
    afn: bool
    prime: bool
    business: bool
    t0: float
    t1: float
    t2: float
    kind2: int
    items: list[Item]
    buyer: Person
    expedited: bool
    buyer_cancel_reason: str


@dataclass(slots=True)
class Package:
    package_reference_id: str
    carrier_code: str
    carrier_name: str | None
    shipping_method: str | None
    tracking_number: str
    ship_date: str
    items: list[tuple[str, int]]
    created: float
    source: str  # "confirmShipment", "feed", "mws-feed"


@dataclass(slots=True)
class Overlay:
    """What happened to an order through the sandbox's clients or controls."""

    shipped: dict[str, int] = field(default_factory=dict)  # order item id -> quantity
    packages: list[Package] = field(default_factory=list)
    first_ship: float = 0.0
    last_update: float = 0.0
    canceled_at: float = 0.0
    buyer_cancel_at: float = 0.0
    version: int = 0


@dataclass(slots=True)
class Query:
    seller: int
    marketplaces: frozenset[int]
    mode: str  # "created" or "updated"
    after: float
    before: float
    statuses: frozenset[int] | None = None
    channels: frozenset[bool] | None = None  # set of afn flags


class OrderBook:
    def __init__(
        self,
        seed: int,
        count: int,
        start: float,
        catalog: Catalog,
        history_days: float = 30.0,
        future_days: float = 7.0,
    ) -> None:
        self.seed = seed
        self.catalog = catalog
        self._lock = threading.RLock()
        self._id_offset = random.Random(seed).randrange(ID_SPACE)
        self._gene_seed = mix64((seed * GOLDEN + 0x5EED) & M64)
        self.memo: dict[object, object] = {}  # small rendering tables (products, windows)
        self.t0 = array("d")
        self.t1 = array("d")
        self.t2 = array("d")
        self.kind2 = array("B")
        self.seller = array("B")
        self.mkt = array("B")
        self.flags = array("B")
        self.base_count = count
        self.overlays: dict[int, Overlay] = {}
        self.overrides: dict[int, dict[str, object]] = {}
        self._dyn_created: list[tuple[float, int]] = []
        self._dyn_events: list[tuple[float, int]] = []
        self._generate(count, start, history_days, future_days)
        self._facts = lru_cache(maxsize=50_000)(self._make_facts)

    # --- generation -------------------------------------------------------------
    def _generate(self, count: int, start: float, history_days: float, future_days: float) -> None:
        rng = random.Random(self.seed * 7919 + 17)
        lo = start - history_days * 86400
        span = (history_days + future_days) * 86400
        weights = [s.weight for s in SELLER_LIST]
        cum = [sum(weights[: k + 1]) / sum(weights) for k in range(len(weights))]
        seller_mkts = [[MKT_INDEX[c] for c in s.marketplaces] for s in SELLER_LIST]
        rand = rng.random
        for i in range(count):
            t0 = lo + (i + rand()) * span / max(count, 1)
            r = rand()
            s = next(k for k, c in enumerate(cum) if r <= c)
            mkts = seller_mkts[s]
            m = mkts[int(rand() * len(mkts))]
            afn = rand() < 0.2
            flags = (
                (F_AFN if afn else 0)
                | (F_PRIME if rand() < 0.3 else 0)
                | (F_BUSINESS if rand() < 0.1 else 0)
            )
            t1 = t0 + 60 + rand() * (PENDING_MAX - 60)  # Pending for 1-30 minutes
            kind, t2 = self._second_change(rand, afn, t0, t1, start)
            self._append(t0, t1, t2, kind, s, m, flags)
        # Per seller, the orders in creation order (t0 grows with the index), in order of
        # their first status change (t1) and of their second (t2, when there is one):
        # about 11 bytes an order, and a page reads only its seller's orders. Never resized
        # after this (the streams read them through memoryviews); added orders live apart.
        seller = self.seller
        self._by_seller = [array("I") for _ in SELLER_LIST]
        self._t1_order = [array("I") for _ in SELLER_LIST]
        self._t2_order = [array("I") for _ in SELLER_LIST]
        for i, s in enumerate(seller):
            self._by_seller[s].append(i)
        for i in sorted(range(count), key=self.t1.__getitem__):
            self._t1_order[seller[i]].append(i)
        t2_idx = [i for i in range(count) if self.kind2[i] != K_NONE]
        for i in sorted(t2_idx, key=self.t2.__getitem__):
            self._t2_order[seller[i]].append(i)

    @staticmethod
    def _second_change(
        rand: object, afn: bool, t0: float, t1: float, start: float
    ) -> tuple[int, float]:
        r = rand()  # type: ignore[operator]
        if afn:
            return K_AFN_SHIP, t1 + 6 * 3600 + r * 30 * 3600
        if r < 0.03:  # buyer cancelled while still Pending
            return K_CANCEL, t0 + (t1 - t0) * rand()  # type: ignore[operator]
        if r < 0.09:  # cancelled after it became Unshipped (after import)
            return K_CANCEL, t1 + 600 + rand() * 2 * 86400  # type: ignore[operator]
        if r < 0.15:  # buyer asks to cancel an Unshipped order
            return K_BUYER_CANCEL, t1 + 300 + rand() * 86400  # type: ignore[operator]
        if t0 < start - 5 * 86400 and r < 0.75:  # old orders: the seller shipped them elsewhere
            return K_SHIPPED_ELSEWHERE, t1 + 86400 + rand() * 86400  # type: ignore[operator]
        return K_NONE, 0.0

    def _append(
        self, t0: float, t1: float, t2: float, kind: int, s: int, m: int, flags: int
    ) -> int:
        self.t0.append(t0)
        self.t1.append(t1)
        self.t2.append(t2)
        self.kind2.append(kind)
        self.seller.append(s)
        self.mkt.append(m)
        self.flags.append(flags)
        return len(self.t0) - 1

    def __len__(self) -> int:
        return len(self.t0)

    # --- ids --------------------------------------------------------------------
    def order_id(self, i: int) -> str:
        num = (i * ID_MULT + self._id_offset) % ID_SPACE
        digits = f"{num:014d}"
        prefixes = MARKETPLACE_LIST[self.mkt[i]].order_prefixes
        return f"{prefixes[i % len(prefixes)]}-{digits[:7]}-{digits[7:]}"

    def index_of(self, order_id: str) -> int | None:
        parts = order_id.split("-")
        if (
            len(parts) != 3
            or len(parts[1]) != 7
            or len(parts[2]) != 7
            or not (parts[1] + parts[2]).isdigit()
        ):
            return None
        i = ((int(parts[1] + parts[2]) - self._id_offset) * ID_MULT_INV) % ID_SPACE
        if i >= len(self.t0) or self.order_id(i) != order_id:
            return None
        return i

    def item_id(self, i: int, k: int) -> str:
        return f"{((i * 16 + k) * 48_271 + self._id_offset * 3) % ID_SPACE:014d}"

    # --- facts ------------------------------------------------------------------
    def facts(self, i: int) -> OrderFacts:
        return self._facts(i)  # type: ignore[no-any-return]

    def genes(self, i: int) -> Genes:
        """(items as (SKU index, quantity), expedited, buyer-cancel reason index): what order
        i holds beyond the typed arrays, from bit fields of a 64-bit hash of (seed, i)."""
        z = (self._gene_seed + (2 * i + 1) * GOLDEN) & M64  # mix64, inlined: hot
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        a = z ^ (z >> 31)
        r = a & 127
        expedited = (a >> 7 & 127) < 19  # 15 %
        reason = (a >> 14 & 255) % len(BUYER_CANCEL_REASONS)
        a >>= 22
        j = (a & 63) * SKUS_PER_SELLER >> 6
        q = a >> 6 & 7
        first = (j, 1 if q < 6 else 2 + (q & 1))  # 75 % one, else two or three
        if r < 90:  # 70 % a single item, else 2-4
            return (first,), expedited, reason
        picks = [first]
        used = 1 << j
        for _ in range(1 + (r - 90) % 3):
            a >>= 9
            j = (a & 63) * SKUS_PER_SELLER >> 6
            while used >> j & 1:
                j = (j + 1) % SKUS_PER_SELLER
            used |= 1 << j
            q = a >> 6 & 7
            picks.append((j, 1 if q < 6 else 2 + (q & 1)))
        return tuple(picks), expedited, reason

    def person_genes(self, i: int) -> int:
        return mix64((self._gene_seed + (2 * i + 2) * GOLDEN) & M64)

    def _make_facts(self, i: int) -> OrderFacts:
        seller = SELLER_LIST[self.seller[i]]
        mkt = MARKETPLACE_LIST[self.mkt[i]]
        over = self.overrides.get(i, {})
        order_id = self.order_id(i)
        skus = self.catalog.by_seller[seller.selling_partner_id]
        fx = FX.get(mkt.currency, 1.0)
        picks, expedited, reason = self.genes(i)
        wanted = over.get("items")
        if isinstance(wanted, list) and wanted:
            by_sku = {s.sku: s for s in skus}
            pairs = [(by_sku[str(w["sku"])], int(w.get("quantity", 1))) for w in wanted]
        else:
            pairs = [(skus[j], qty) for j, qty in picks]
        items = [
            Item(self.item_id(i, k), sku, qty, round(sku.price_cents * fx), k == 0)
            for k, (sku, qty) in enumerate(pairs)
        ]
        flags = self.flags[i]
        return OrderFacts(
            index=i,
            order_id=order_id,
            seller=seller,
            marketplace=mkt,
            afn=bool(flags & F_AFN),
            prime=bool(flags & F_PRIME),
            business=bool(flags & F_BUSINESS),
            t0=self.t0[i],
            t1=self.t1[i],
            t2=self.t2[i],
            kind2=self.kind2[i],
            items=items,
            buyer=make_person(
                self.person_genes(i), MKT_COUNTRY[self.mkt[i]], order_id, bool(flags & F_BUSINESS)
            ),
            expedited=expedited,
            buyer_cancel_reason=BUYER_CANCEL_REASONS[reason],
        )

    # --- timeline ---------------------------------------------------------------
    def timeline(self, i: int, now: float) -> tuple[int, float]:
        """(status, last update time) of order i at `now`; status -1 if not yet created."""
        t0 = self.t0[i]
        if now < t0:
            return -1, 0.0
        t1, t2, kind = self.t1[i], self.t2[i], self.kind2[i]
        ov = self.overlays.get(i)
        last = t0
        status = PENDING
        if t1 <= now:
            status, last = UNSHIPPED, t1
        if kind and t2 <= now and not (ov and ov.first_ship and ov.first_ship <= t2):
            if kind == K_CANCEL:
                status, last = CANCELED, t2
            elif kind in (K_AFN_SHIP, K_SHIPPED_ELSEWHERE) and status == UNSHIPPED:
                status, last = SHIPPED, t2
            elif kind == K_BUYER_CANCEL and status == UNSHIPPED:
                last = t2
        if ov is not None and ov.last_update <= now:
            if ov.canceled_at and ov.canceled_at <= now:
                status = CANCELED
            elif ov.shipped and status in (UNSHIPPED, PENDING):
                status = SHIPPED if self._fully_shipped(i, ov) else PARTIALLY_SHIPPED
            last = max(last, ov.last_update)
        return status, last

    def _fully_shipped(self, i: int, ov: Overlay) -> bool:
        return all(ov.shipped.get(it.order_item_id, 0) >= it.quantity for it in self.facts(i).items)

    def buyer_cancel_requested(self, i: int, now: float) -> bool:
        ov = self.overlays.get(i)
        if ov and ov.buyer_cancel_at and ov.buyer_cancel_at <= now:
            return True
        return self.kind2[i] == K_BUYER_CANCEL and self.t2[i] <= now

    # --- mutations --------------------------------------------------------------
    def overlay(self, i: int) -> Overlay:
        ov = self.overlays.get(i)
        if ov is None:
            ov = self.overlays[i] = Overlay()
        return ov

    def touch(self, i: int, now: float) -> None:
        """Record an update of order i at `now` (for lastUpdatedAfter searches)."""
        with self._lock:
            ov = self.overlay(i)
            ov.last_update = max(ov.last_update, now)
            ov.version += 1
            bisect.insort(self._dyn_events, (now, i))

    def add_order(
        self,
        *,
        now: float,
        seller: int,
        mkt: int,
        afn: bool,
        prime: bool,
        business: bool,
        pending_seconds: float,
        items: list[dict[str, object]] | None,
    ) -> int:
        with self._lock:
            i = self._append(
                now,
                now + pending_seconds,
                0.0,
                K_NONE,
                seller,
                mkt,
                (F_AFN if afn else 0) | (F_PRIME if prime else 0) | (F_BUSINESS if business else 0),
            )
            if items:
                self.overrides[i] = {"items": items}
            bisect.insort(self._dyn_created, (now, i))
            bisect.insort(self._dyn_events, (now, i))
            bisect.insort(self._dyn_events, (now + pending_seconds, i))
            return i

    # --- queries ----------------------------------------------------------------
    def page(
        self, q: Query, now: float, cursor: tuple[float, int] | None, size: int
    ) -> tuple[list[tuple[float, int]], bool]:
        """Up to `size` matches after `cursor` and whether more follow."""
        if q.mode == "created" and not self._dyn_created:
            return self._created_page(q, now, cursor, size)
        out: list[tuple[float, int]] = []
        for hit in self.iterate(q, now, cursor):
            if len(out) == size:
                return out, True
            out.append(hit)
        return out, False

    def _created_page(
        self, q: Query, now: float, cursor: tuple[float, int] | None, size: int
    ) -> tuple[list[tuple[float, int]], bool]:
        """`iterate` for creation-date queries without added orders, over the seller's own
        orders only (the same hits, without the merged streams)."""
        before = min(q.before, now)
        start = max(q.after, cursor[0]) if cursor is not None else q.after
        t0, mkt, flags = self.t0, self.mkt, self.flags
        idx = self._by_seller[q.seller]
        k = bisect.bisect_left(idx, start, key=t0.__getitem__)
        marketplaces, channels, statuses = q.marketplaces, q.channels, q.statuses
        out: list[tuple[float, int]] = []
        for n in range(k, len(idx)):
            i = idx[n]
            t = t0[i]
            if t > before:
                break
            if cursor is not None and (t, i) <= cursor:
                continue
            if mkt[i] not in marketplaces:
                continue
            if channels is not None and bool(flags[i] & F_AFN) not in channels:
                continue
            if statuses is not None and self.timeline(i, now)[0] not in statuses:
                continue
            if len(out) == size:
                return out, True
            out.append((t, i))
        return out, False

    def iterate(
        self, q: Query, now: float, cursor: tuple[float, int] | None
    ) -> Iterator[tuple[float, int]]:
        """Yield (key time, index) of matching orders in (time, index) order after `cursor`."""
        before = min(q.before, now)
        # Resume at the cursor's time (not at `after`): each page costs the same, however deep.
        start = max(q.after, cursor[0]) if cursor is not None else q.after
        stream = (
            self._created_stream(start, q.seller)
            if q.mode == "created"
            else self._updated_stream(start, q.seller, now)
        )
        previous = (-1.0, -1)
        for t, i in stream:
            if t > before:
                return
            if (t, i) == previous or (cursor is not None and (t, i) <= cursor):
                continue
            previous = (t, i)
            if self.seller[i] != q.seller or self.mkt[i] not in q.marketplaces:
                continue
            if q.channels is not None and bool(self.flags[i] & F_AFN) not in q.channels:
                continue
            status, last = self.timeline(i, now)
            if status < 0:
                continue
            if q.mode == "updated" and last != t:
                continue  # only an order's latest update counts
            if q.statuses is not None and status not in q.statuses:
                continue
            yield t, i

    def _created_stream(
        self, after: float, seller: int, base_after: float | None = None
    ) -> Iterator[tuple[float, int]]:
        t0, idx = self.t0, self._by_seller[seller]
        start = bisect.bisect_left(idx, max(after, base_after or after), key=t0.__getitem__)
        base = ((t0[i], i) for i in memoryview(idx)[start:])
        dyn = self._dyn_created[bisect.bisect_left(self._dyn_created, (after, -1)) :]
        return heapq.merge(base, dyn) if dyn else base

    def _updated_stream(self, after: float, seller: int, now: float) -> Iterator[tuple[float, int]]:
        t1, t2 = self.t1, self.t2
        # A generated order's creation is its latest update only while it is pending, at
        # most PENDING_MAX after creation: older creations need not be merged at all.
        t1o, t2o = self._t1_order[seller], self._t2_order[seller]
        s1 = bisect.bisect_left(t1o, after, key=t1.__getitem__)
        s2 = bisect.bisect_left(t2o, after, key=t2.__getitem__)
        return heapq.merge(
            self._created_stream(after, seller, now - PENDING_MAX),
            ((t1[i], i) for i in memoryview(t1o)[s1:]),
            ((t2[i], i) for i in memoryview(t2o)[s2:]),
            list(self._dyn_events[bisect.bisect_left(self._dyn_events, (after, -1)) :]),
        )
