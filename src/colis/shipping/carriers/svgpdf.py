"""Render karrio's SVG label subset as a small vector PDF (text stays text).

karrio's own SVG → PDF path rasterises the label into a 300 dpi bitmap (≈40 KB and
≈130 ms a label, and no text to search or extract). The SVG that karrio's generic label
templating produces uses a tiny subset: <text>, <line>, <rect> and barcode groups
(`<g data-type="barcode" data-value=...>`). This draws that subset with the PDF base-14
Helvetica fonts and Code 128 bars, on a page of the size asked (A6 for colis labels).
"""

from __future__ import annotations

import re
import unicodedata
import zlib

from barcode.codex import Code128
from lxml import etree

MM = 72 / 25.4
A6 = (105 * MM, 148 * MM)


def _style(element: etree._Element) -> dict[str, str]:
    text = element.get("style") or ""
    out: dict[str, str] = {}
    for part in text.split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            out[key.strip()] = value.strip()
    return out


def _num(value: str | None, default: float = 0.0) -> float:
    if not value:
        return default
    match = re.match(r"-?[0-9.]+", value)
    return float(match.group(0)) if match else default


# Letters NFKD does not take apart, for names WinAnsi cannot show.
_PLAIN = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h"})


def _pdf_text(value: str) -> bytes:
    """A PDF string literal in WinAnsiEncoding; characters it lacks lose their accents."""
    chars: list[bytes] = []
    for ch in value.translate(_PLAIN):
        try:
            encoded = ch.encode("cp1252")
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore")
            encoded = plain or b"?"
        chars.append(encoded)
    raw = b"".join(chars)
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    raw = raw.replace(b"\r", b" ").replace(b"\n", b" ")
    return b"(" + raw + b")"


def svg_to_pdf(svg: str | bytes, *, page: tuple[float, float] = A6) -> bytes:
    root = etree.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg)
    view = (root.get("viewBox") or "0 0 1240 1748").split()
    vw, vh = float(view[2]), float(view[3])
    width, height = page
    scale = min(width / vw, height / vh)

    def px(x: float) -> float:
        return x * scale

    def py(y: float) -> float:
        return height - y * scale

    ops: list[bytes] = [b"0 g 0 G"]
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1]
        if tag == "text" and element.getparent() is root:
            text = "".join(str(t) for t in element.itertext()).strip()
            if not text:
                continue
            style = _style(element)
            size = _num(style.get("font-size"), 10) * scale
            bold = "bold" in (style.get("font-weight") or "")
            font = b"/F2" if bold else b"/F1"
            # y is the top of the line (karrio's ZPL converter uses it as ^FO): the
            # baseline sits a cap height below.
            top = _num(element.get("y"))
            x, y = px(_num(element.get("x"))), py(top + _num(style.get("font-size"), 10) * 0.8)
            ops.append(b"BT %s %.2f Tf %.2f %.2f Td %s Tj ET" % (font, size, x, y, _pdf_text(text)))
        elif tag == "line":  # karrio draws lines 20 dots lower (PDF and ZPL): so do we
            stroke = _num(element.get("stroke-width"), 2) * scale
            ops.append(
                b"%.2f w %.2f %.2f m %.2f %.2f l S"
                % (
                    stroke,
                    px(_num(element.get("x1"))),
                    py(_num(element.get("y1")) + 20),
                    px(_num(element.get("x2"))),
                    py(_num(element.get("y2")) + 20),
                )
            )
        elif tag == "rect" and element.getparent() is root:
            x, y = _num(element.get("x")), _num(element.get("y"))
            w, h = _num(element.get("width")), _num(element.get("height"))
            op = b"f" if (element.get("fill") or "") == "black" else b"S"
            ops.append(b"1 w %.2f %.2f %.2f %.2f re %s" % (px(x), py(y + h), px(w), px(h), op))
        elif tag == "g" and element.get("data-type") == "barcode":
            value = element.get("data-value") or ""
            if not value:
                continue
            modules = Code128(value).build()[0]
            x, y = _num(element.get("x")), _num(element.get("y"))
            w, h = _num(element.get("width")), _num(element.get("height"))
            unit = w / len(modules)
            bars: list[bytes] = []
            run_start = None
            for i, bit in enumerate([*modules, "0"]):
                if bit == "1" and run_start is None:
                    run_start = i
                elif bit != "1" and run_start is not None:
                    bx = x + run_start * unit
                    bars.append(
                        b"%.3f %.3f %.3f %.3f re"
                        % (px(bx), py(y + h), px((i - run_start) * unit), px(h))
                    )
                    run_start = None
            ops.append(b" ".join(bars) + b" f")
    return _pdf_document(b"\n".join(ops), width, height)


def _pdf_document(content: bytes, width: float, height: float) -> bytes:
    stream = zlib.compress(content, 6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>" % (width, height),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
