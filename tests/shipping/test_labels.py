"""Label rendering and sheets: vector PDF text, ZPL safety, A6 normalisation, A4 imposition."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from colis.shipping import labels, ports
from colis.shipping.carriers.local import LocalCarrier, tracking_number_for
from colis.shipping.carriers.svgpdf import svg_to_pdf

MM = 72 / 25.4


def page_pdf(width_mm: float, height_mm: float) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=width_mm * MM, height=height_mm * MM)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_svg_text_is_escaped_and_extractable() -> None:
    svg = (
        '<svg viewBox="0 0 1240 1748"><text x="10" y="100" style="font-size: 40;">'
        "Zoë (O'Brien) \\ Łódź &amp; Søn</text>"
        '<g data-type="barcode" data-value="CL00000000017" x="10" y="200" width="800" height="200"></g>'
        "</svg>"
    )
    [page] = PdfReader(io.BytesIO(svg_to_pdf(svg))).pages
    text = page.extract_text()
    assert "Zoë (O'Brien) \\ Lódz & Søn" in text  # Ł and ź are not in WinAnsi: made plain


def test_recipient_with_zpl_control_characters() -> None:
    connection = LocalCarrier().connect(credentials={}, test_mode=True)
    party = ports.Party(
        name="A^B~C <D>", street1="1 rue X", postal_code="75001", city="Paris", country_code="FR"
    )
    result = connection.create_shipment(
        ports.ShipmentRequest(
            service_code="colis_local_standard",
            sender=party,
            recipient=party,
            return_to=party,
            package=ports.PackageSpec(weight_grams=100, reference="7"),
            tracking_number="7",
        )
    )
    zpl = result.label("ZPL")
    pdf = result.label("PDF")
    assert zpl is not None and pdf is not None
    text = zpl.data.decode()
    assert "A B-C <D>" in text and text.count("^XA") == 1
    assert "A B-C <D>" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert result.tracking_number == tracking_number_for("7") == "CL00000000075"


def test_carrier_pages_are_fitted_onto_a6() -> None:
    a6 = PdfReader(io.BytesIO(labels.to_a6(page_pdf(210, 148)))).pages[0]  # landscape A5
    assert round(float(a6.mediabox.width)) == 298 and round(float(a6.mediabox.height)) == 420
    same = page_pdf(105, 148)
    assert labels.to_a6(same) is same


def test_a4_imposition_four_per_sheet() -> None:
    sheets = PdfReader(io.BytesIO(labels.impose_a4([page_pdf(105, 148)] * 9))).pages
    assert len(sheets) == 3
    assert round(float(sheets[0].mediabox.width)) == 595
    assert round(float(sheets[0].mediabox.height)) == 842
    merged, count = labels.merge([page_pdf(105, 148)] * 3)
    assert count == 3 and len(PdfReader(io.BytesIO(merged)).pages) == 3


def test_local_rates_through_karrio() -> None:
    connection = LocalCarrier().connect(credentials={}, test_mode=True)
    party = ports.Party(
        name="A", street1="1 rue X", postal_code="75001", city="Paris", country_code="FR"
    )
    quotes = connection.rates(
        ports.RateRequest(
            service_code="",
            sender=party,
            recipient=party,
            packages=(ports.PackageSpec(weight_grams=500),),
        )
    )
    assert {q.service_code for q in quotes} == {"colis_local_standard", "colis_local_express"}
    assert all(q.currency == "EUR" and q.amount > 0 for q in quotes)


def test_carrier_calls_get_a_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    import karrio.core.utils.helpers as karrio_http

    from colis.shipping.carriers import karrio_common

    seen: list[object] = []
    monkeypatch.setattr(karrio_http, "urlopen", lambda req, timeout=None: seen.append(timeout))
    karrio_common._bound_carrier_calls()
    karrio_http.urlopen("request")
    karrio_http.urlopen("request", 5)
    assert seen == [karrio_common.CARRIER_TIMEOUT, 5]
