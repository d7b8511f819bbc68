"""Label files: account-scoped storage, A6 normalisation, A4 imposition (4 per page), merging.

Files live under MEDIA_ROOT/labels/<account id>/<random>.<ext>: the name is 32 random
bytes, never derived from an id, and files are served only through
`selectors.label_get`, which checks the account first. A label prints the buyer's name and
address, so the file holds a Fernet token of the label (the field-encryption keys), never
the plain PDF or ZPL; the privacy purge deletes it with the order's other buyer data.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.conf import settings
from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from colis.common.crypto import EncryptionKeyError, fernet

MM = 72 / 25.4
A6 = (105 * MM, 148 * MM)
A4 = (210 * MM, 297 * MM)


class LabelFileMissing(LookupError):
    pass


def labels_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "labels"


def label_store(*, account_id: int, data: bytes, ext: str) -> str:
    """Write a label file; return its path relative to MEDIA_ROOT."""
    folder = labels_root() / str(account_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_urlsafe(32)}.{ext}"
    path = folder / name
    with open(path, "xb") as fh:
        fh.write(fernet().encrypt(data))
    return f"labels/{account_id}/{name}"


def label_read(*, account_id: int, relative: str) -> bytes:
    prefix = f"labels/{account_id}/"
    if not relative or not relative.startswith(prefix) or ".." in relative:
        raise LabelFileMissing("no label file")
    path = Path(settings.MEDIA_ROOT) / relative
    try:
        token = path.read_bytes()
    except FileNotFoundError:
        raise LabelFileMissing("the label file is missing") from None
    try:
        return fernet().decrypt(token)
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "a label file cannot be decrypted with the configured keys"
        ) from exc


def label_files_rotate() -> int:
    """Re-encrypt every label file with the first key (`colis rotate-keys`)."""
    count = 0
    for path in sorted(labels_root().glob("*/*")):
        if not path.is_file():
            continue
        try:
            rotated = fernet().rotate(path.read_bytes())
        except InvalidToken as exc:
            raise EncryptionKeyError(f"label file {path.name} cannot be decrypted") from exc
        temporary = path.with_suffix(path.suffix + ".rotating")
        temporary.write_bytes(rotated)
        temporary.replace(path)  # atomic: a crash leaves the old token or the new one
        count += 1
    return count


def label_delete(*, account_id: int, relative: str) -> None:
    prefix = f"labels/{account_id}/"
    if relative.startswith(prefix) and ".." not in relative:
        (Path(settings.MEDIA_ROOT) / relative).unlink(missing_ok=True)


def _fit(
    page: PageObject, box: tuple[float, float], at: tuple[float, float] = (0, 0)
) -> Transformation:
    """Scale a page to fit `box` (keeping its proportions, rotated if that fits better)."""
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    x0, y0 = float(page.mediabox.left), float(page.mediabox.bottom)
    bw, bh = box
    t = Transformation().translate(-x0, -y0)
    if (w > h) != (bw > bh) and w != h:
        t = t.rotate(90).translate(h, 0)
        w, h = h, w
    scale = min(bw / w, bh / h)
    dx = at[0] + (bw - w * scale) / 2
    dy = at[1] + (bh - h * scale) / 2
    return t.scale(scale, scale).translate(dx, dy)


def _pages(pdfs: Iterable[bytes]) -> Iterable[PageObject]:
    for data in pdfs:
        yield from PdfReader(io.BytesIO(data)).pages


def to_a6(pdf: bytes) -> bytes:
    """A carrier's PDF label on A6 pages (colis' own labels already are)."""
    reader = PdfReader(io.BytesIO(pdf))
    if all(
        abs(float(p.mediabox.width) - A6[0]) < 1 and abs(float(p.mediabox.height) - A6[1]) < 1
        for p in reader.pages
    ):
        return pdf
    writer = PdfWriter()
    for page in reader.pages:
        target = writer.add_blank_page(width=A6[0], height=A6[1])
        target.merge_transformed_page(page, _fit(page, A6))
    return _bytes(writer)


def merge(pdfs: Iterable[bytes]) -> tuple[bytes, int]:
    """One PDF of every label page, in order. Returns (bytes, page count)."""
    writer = PdfWriter()
    count = 0
    for page in _pages(pdfs):
        writer.add_page(page)
        count += 1
    return _bytes(writer), count


def impose_a4(pdfs: Iterable[bytes]) -> bytes:
    """Four A6 labels on each A4 sheet (2 x 2, reading order), for office printers."""
    writer = PdfWriter()
    slots = [(0, A6[1]), (A6[0], A6[1]), (0, 0), (A6[0], 0)]  # top-left first
    sheet: PageObject | None = None
    for index, page in enumerate(_pages(pdfs)):
        slot = index % 4
        if slot == 0:
            sheet = writer.add_blank_page(width=A4[0], height=A4[1])
        assert sheet is not None
        sheet.merge_transformed_page(page, _fit(page, A6, slots[slot]))
    if sheet is None:
        writer.add_blank_page(width=A4[0], height=A4[1])
    return _bytes(writer)


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
