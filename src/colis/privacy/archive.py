"""The offline tax archive: age-encrypted JSON lines, written with the account's public key.

Before an order's buyer data is purged, the fields a tax invoice needs are appended to an
archive file under DATA_DIR/archives/<account_id>/ (one age file per purge batch). The server
holds only the age public key, so it can write these files but never read them back; the
seller decrypts them offline with `colis archive decrypt FILE` and the private key on stdin.
The folder lies outside the static and media roots: nothing here is ever served over the web.

A file is written to a temporary name, flushed to disk, then renamed into place, so a file
under its final name is always complete. A purge batch whose transaction fails removes the
file it wrote; a worker killed between the write and the commit leaves a file whose orders
are archived again by the next run (the records carry the order id: readers de-duplicate).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyrage
from django.conf import settings

ARCHIVE_SUFFIX = ".jsonl.age"
RECORD_VERSION = 1


class ArchiveNotWritable(Exception):
    """The archive folder or file cannot be written: the purge of that account waits."""


class InvalidArchiveKey(ValueError):
    """Not an age public key (age1…)."""


class ArchiveDecryptError(ValueError):
    """The file cannot be decrypted with the given identity, or is not an archive."""


def archive_root() -> Path:
    """DATA_DIR/archives, or COLIS_ARCHIVE_DIR when an operator sets it."""
    configured = getattr(settings, "COLIS_ARCHIVE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "archives"


def account_archive_dir(account_id: int) -> Path:
    return archive_root() / str(int(account_id))


def recipient_parse(public_key: str) -> pyrage.x25519.Recipient:
    """An age X25519 recipient from `age1…`; anything else raises InvalidArchiveKey."""
    key = (public_key or "").strip()
    if key.upper().startswith("AGE-SECRET-KEY-"):
        raise InvalidArchiveKey(
            "This is an age private key (AGE-SECRET-KEY-…). Give colis only the public key "
            "(age1…) and keep the private key offline."
        )
    if not key.startswith("age1"):
        raise InvalidArchiveKey("An age public key starts with age1 (see `age-keygen -y`).")
    try:
        return pyrage.x25519.Recipient.from_str(key)
    except pyrage.RecipientError as exc:
        raise InvalidArchiveKey(f"Not a valid age public key: {exc}.") from exc


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# What is read from an order (and its integration) for the archive: only what a tax invoice
# needs, so that no other encrypted field is decrypted.
ORDER_FIELDS = (
    "id",
    "external_id",
    "integration__channel",
    "marketplace_id",
    "integration__seller_id",
    "status",
    "purchased_at",
    "shipped_at",
    "delivered_at",
    "cancelled_at",
    "is_business",
    "buyer_name",
    "recipient_name",
    "recipient_company",
    "recipient_lines",
    "recipient_postal_code",
    "recipient_city",
    "recipient_region",
    "recipient_country",
    "currency",
    "order_total",
)
ITEM_FIELDS = (
    "order_id",
    "external_id",
    "sku",
    "asin",
    "title",
    "quantity",
    "quantity_shipped",
    "unit_price",
)


def order_tax_record(
    order: Mapping[str, Any], items: Iterable[Mapping[str, Any]], *, archived_at: datetime
) -> dict[str, Any]:
    """What a tax invoice needs from one order (a row of ORDER_FIELDS, its ITEM_FIELDS rows).

    Minimal on purpose: no e-mail, no phone, no gift message.
    """
    return {
        "v": RECORD_VERSION,
        "order_id": order["id"],
        "external_id": order["external_id"],
        "channel": order["integration__channel"],
        "marketplace_id": order["marketplace_id"],
        "seller_id": order["integration__seller_id"],
        "status": order["status"],
        "purchased_at": _iso(order["purchased_at"]),
        "shipped_at": _iso(order["shipped_at"]),
        "delivered_at": _iso(order["delivered_at"]),
        "cancelled_at": _iso(order["cancelled_at"]),
        "is_business": order["is_business"],
        "buyer_name": order["buyer_name"],
        "recipient": {
            "name": order["recipient_name"],
            "company": order["recipient_company"],
            "lines": [line for line in (order["recipient_lines"] or "").split("\n") if line],
            "postal_code": order["recipient_postal_code"],
            "city": order["recipient_city"],
            "region": order["recipient_region"],
            "country": order["recipient_country"],
        },
        "vat_country": order["recipient_country"],
        "currency": order["currency"],
        "order_total": _money(order["order_total"]),
        "items": [
            {
                "external_id": item["external_id"],
                "sku": item["sku"],
                "asin": item["asin"],
                "title": item["title"],
                "quantity": item["quantity"],
                "quantity_shipped": item["quantity_shipped"],
                "unit_price": _money(item["unit_price"]),
            }
            for item in items
        ],
        "archived_at": archived_at.isoformat(),
    }


@dataclass(frozen=True)
class ArchiveFile:
    path: Path
    records: int


def archive_write(
    *, account_id: int, public_key: str, records: Iterable[dict[str, Any]], now: datetime
) -> ArchiveFile:
    """Encrypt the records (JSON lines) to the account's public key in a new archive file.

    Raises ArchiveNotWritable with a reason a seller can act on; never writes plain text to disk.
    """
    recipient = recipient_parse(public_key)
    rows = list(records)
    payload = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    ciphertext = pyrage.encrypt(payload.encode("utf-8"), [recipient])
    folder = account_archive_dir(account_id)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{stamp}-{secrets.token_hex(4)}{ARCHIVE_SUFFIX}"
    final = folder / name
    temp = folder / f".{name}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(ciphertext)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, final)
        finally:
            if temp.exists():
                temp.unlink(missing_ok=True)
        _fsync_dir(folder)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ArchiveNotWritable(f"{reason} ({exc.filename or folder})") from exc
    return ArchiveFile(path=final, records=len(rows))


def archive_discard(file: ArchiveFile) -> None:
    """Remove a file whose purge batch did not commit (best effort)."""
    with contextlib.suppress(OSError):
        file.path.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def identity_parse(text: str) -> list[pyrage.x25519.Identity]:
    """Identities from an age key file's text (comments allowed) or a bare AGE-SECRET-KEY-…."""
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError as exc:
            raise ArchiveDecryptError(
                "standard input must hold an age private key (AGE-SECRET-KEY-…)"
            ) from exc
    if not identities:
        raise ArchiveDecryptError("no age private key (AGE-SECRET-KEY-…) on standard input")
    return identities


def archive_decrypt(path: Path, identities: list[pyrage.x25519.Identity]) -> list[dict[str, Any]]:
    """The records of one archive file."""
    try:
        plain = pyrage.decrypt(path.read_bytes(), identities)
    except pyrage.DecryptError as exc:
        raise ArchiveDecryptError(f"{path.name}: cannot decrypt with this key ({exc})") from exc
    return [json.loads(line) for line in plain.decode("utf-8").splitlines() if line.strip()]


def archive_files(path: Path) -> list[Path]:
    """A file, or every archive file under a folder, oldest first (names start with the time)."""
    if path.is_dir():
        return sorted(p for p in path.rglob(f"*{ARCHIVE_SUFFIX}") if not p.name.startswith("."))
    return [path]


def archive_records(
    paths: Iterable[Path], identities: list[pyrage.x25519.Identity]
) -> Iterator[dict[str, Any]]:
    """Every record of the files, each order once (a re-run after a crash may archive twice)."""
    seen: set[tuple[Any, Any]] = set()
    for path in paths:
        for record in archive_decrypt(path, identities):
            key = (record.get("order_id"), record.get("external_id"))
            if key in seen:
                continue
            seen.add(key)
            yield record
