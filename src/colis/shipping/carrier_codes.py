"""Amazon's carrier codes, as Python constants (never read from ../shared at run time).

`AMAZON_XSD_CARRIER_CODES` is the `CarrierCode` enumeration of Amazon's `amzn-base.xsd`
(2015), in its order; a test compares it with the XSD when the reference data is present.
`EUROPEAN_CARRIER_CODES` adds European carriers that Seller Central offers but the 2015
list lacks, spelled as Seller Central shows them; they are editable in the table because
Amazon changes these per marketplace. `Other` + a carrier name is always allowed.
"""

from __future__ import annotations

OTHER = "Other"

AMAZON_XSD_CARRIER_CODES: tuple[str, ...] = (
    "USPS",
    "UPS",
    "UPSMI",
    "FedEx",
    "DHL",
    "Fastway",
    "GLS",
    "GO!",
    "Hermes Logistik Gruppe",
    "Royal Mail",
    "Parcelforce",
    "City Link",
    "TNT",
    "Target",
    "SagawaExpress",
    "NipponExpress",
    "YamatoTransport",
    "DHL Global Mail",
    "UPS Mail Innovations",
    "FedEx SmartPost",
    "OSM",
    "OnTrac",
    "Streamlite",
    "Newgistics",
    "Canada Post",
    "Blue Package",
    "Chronopost",
    "Deutsche Post",
    "DPD",
    "La Poste",
    "Parcelnet",
    "Poste Italiane",
    "SDA",
    "Smartmail",
    "FEDEX_JP",
    "JP_EXPRESS",
    "NITTSU",
    "SAGAWA",
    "YAMATO",
    "BlueDart",
    "AFL/Fedex",
    "Aramex",
    "India Post",
    "Professional",
    "DTDC",
    "Overnite Express",
    "First Flight",
    "Delhivery",
    "Lasership",
    "Yodel",
    "Other",
)

# (code, display name). Not in the 2015 XSD; Seller Central spellings.
EUROPEAN_CARRIER_CODES: tuple[tuple[str, str], ...] = (
    ("Colissimo", "Colissimo (La Poste)"),
    ("Hermes", "Hermes"),
    ("Mondial Relay", "Mondial Relay"),
    ("Colis Prive", "Colis Privé"),
    ("DHL Express", "DHL Express"),
    ("Evri", "Evri (Hermes UK)"),
    ("PostNL", "PostNL"),
    ("Bpost", "bpost"),
    ("SEUR", "SEUR"),
    ("Correos", "Correos"),
    ("MRW", "MRW"),
    ("Nacex", "Nacex"),
    ("BRT", "BRT"),
    ("Asendia", "Asendia"),
    ("Austrian Post", "Österreichische Post"),
    ("Swiss Post", "Die Post (CH)"),
    ("InPost", "InPost"),
)

# Friendlier display names for some XSD codes.
_NAMES = {
    "DHL": "DHL",
    "Deutsche Post": "Deutsche Post",
    "La Poste": "La Poste",
    "Hermes Logistik Gruppe": "Hermes Logistik Gruppe (DE)",
    OTHER: "Other (give the carrier's name)",
}


def all_carrier_codes() -> list[tuple[str, str, bool]]:
    """(code, name, editable) for the seed: XSD codes locked, European additions editable."""
    rows = [(code, _NAMES.get(code, code), False) for code in AMAZON_XSD_CARRIER_CODES]
    known = {code for code, _, _ in rows}
    rows += [(code, name, True) for code, name in EUROPEAN_CARRIER_CODES if code not in known]
    return rows
