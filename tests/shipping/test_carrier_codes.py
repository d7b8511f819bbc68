"""Amazon's carrier codes: colis' constants match amzn-base.xsd; the table is seeded."""

from __future__ import annotations

import pytest
from lxml import etree

from colis.shipping.carrier_codes import AMAZON_XSD_CARRIER_CODES, EUROPEAN_CARRIER_CODES
from colis.shipping.models import CarrierCode
from colis.shipping.services import carrier_codes_seed
from tests.helpers.services import shared_dir

XS = "{http://www.w3.org/2001/XMLSchema}"


def xsd_carrier_codes() -> list[str]:
    path = shared_dir() / "amazon" / "mws-xsd" / "amzn-base.xsd"
    tree = etree.parse(str(path))
    [element] = [e for e in tree.iter(f"{XS}element") if e.get("name") == "CarrierCode"]
    return [e.get("value") for e in element.iter(f"{XS}enumeration")]


def test_constants_match_the_xsd_enumeration() -> None:
    assert list(AMAZON_XSD_CARRIER_CODES) == xsd_carrier_codes()


def test_european_additions_do_not_shadow_amazon_codes() -> None:
    extra = [code for code, _ in EUROPEAN_CARRIER_CODES]
    assert len(extra) == len(set(extra))
    assert not set(extra) & set(AMAZON_XSD_CARRIER_CODES)


@pytest.mark.django_db
def test_table_is_seeded_by_the_migration() -> None:
    codes = dict(CarrierCode.objects.values_list("code", "editable"))
    for code in ("DHL", "DPD", "GLS", "Chronopost", "UPS", "La Poste", "Deutsche Post", "Other"):
        assert codes[code] is False
    assert codes["Colissimo"] is True and codes["Hermes"] is True
    assert carrier_codes_seed() == len(codes)  # idempotent
    assert CarrierCode.objects.count() == len(codes)


@pytest.mark.django_db
def test_operator_codes_are_editable_amazon_codes_are_locked() -> None:
    from colis.shipping import errors
    from colis.shipping.services import carrier_code_delete, carrier_code_save

    with pytest.raises(errors.InvalidInput):
        carrier_code_save(code="DHL", name="Renamed")
    with pytest.raises(errors.InvalidInput):
        carrier_code_delete(code="DPD")
    row = carrier_code_save(code="Poste Maroc", name="Poste Maroc")
    assert row.editable
    assert carrier_code_save(code="Colissimo", name="Colissimo FR").name == "Colissimo FR"
    carrier_code_delete(code="Poste Maroc")
    assert not CarrierCode.objects.filter(code="Poste Maroc").exists()
