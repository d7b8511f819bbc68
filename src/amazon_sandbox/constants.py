"""Facts about Amazon encoded as constants (from the fact sheet, the SP-API models and
amzn-base.xsd), so the sandbox never reads reference files at run time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Marketplace:
    id: str
    country: str  # ISO code used in addresses (UK marketplace -> "GB")
    code: str  # short code used in this sandbox ("UK", "DE", ...)
    name: str  # Amazon's marketplace name, e.g. "Amazon.de"
    domain: str
    currency: str
    language: str
    region: str
    mws_host: str
    order_prefixes: tuple[str, ...]


MARKETPLACES: dict[str, Marketplace] = {
    m.code: m
    for m in (
        Marketplace(
            "A13V1IB3VIYZZH",
            "FR",
            "FR",
            "Amazon.fr",
            "www.amazon.fr",
            "EUR",
            "fr_FR",
            "EU",
            "mws-eu.amazonservices.com",
            ("171", "402", "407"),
        ),
        Marketplace(
            "A1PA6795UKMFR9",
            "DE",
            "DE",
            "Amazon.de",
            "www.amazon.de",
            "EUR",
            "de_DE",
            "EU",
            "mws-eu.amazonservices.com",
            ("028", "302", "303", "304", "305", "306"),
        ),
        Marketplace(
            "APJ6JRA9NG5V4",
            "IT",
            "IT",
            "Amazon.it",
            "www.amazon.it",
            "EUR",
            "it_IT",
            "EU",
            "mws-eu.amazonservices.com",
            ("171", "402", "403", "404", "405", "406"),
        ),
        Marketplace(
            "A1RKKUPIHCS9HS",
            "ES",
            "ES",
            "Amazon.es",
            "www.amazon.es",
            "EUR",
            "es_ES",
            "EU",
            "mws-eu.amazonservices.com",
            ("171", "402", "403", "404", "405", "406"),
        ),
        Marketplace(
            "A1F83G8C2ARO7P",
            "GB",
            "UK",
            "Amazon.co.uk",
            "www.amazon.co.uk",
            "GBP",
            "en_GB",
            "EU",
            "mws-eu.amazonservices.com",
            ("202", "203", "204", "205", "206"),
        ),
        Marketplace(
            "A1805IZSGTT6HS",
            "NL",
            "NL",
            "Amazon.nl",
            "www.amazon.nl",
            "EUR",
            "nl_NL",
            "EU",
            "mws-eu.amazonservices.com",
            ("408",),
        ),
        Marketplace(
            "AMEN7PMS3EDWL",
            "BE",
            "BE",
            "Amazon.com.be",
            "www.amazon.com.be",
            "EUR",
            "fr_BE",
            "EU",
            "mws-eu.amazonservices.com",
            ("408",),
        ),
        Marketplace(
            "A1C3SOZRARQ6R3",
            "PL",
            "PL",
            "Amazon.pl",
            "www.amazon.pl",
            "PLN",
            "pl_PL",
            "EU",
            "mws-eu.amazonservices.com",
            ("408",),
        ),
        Marketplace(
            "A2NODRKZP88ZB9",
            "SE",
            "SE",
            "Amazon.se",
            "www.amazon.se",
            "SEK",
            "sv_SE",
            "EU",
            "mws-eu.amazonservices.com",
            ("408",),
        ),
        Marketplace(
            "ATVPDKIKX0DER",
            "US",
            "US",
            "Amazon.com",
            "www.amazon.com",
            "USD",
            "en_US",
            "NA",
            "mws.amazonservices.com",
            ("111", "112", "113", "114"),
        ),
        Marketplace(
            "A2EUQ1WTGCTBG2",
            "CA",
            "CA",
            "Amazon.ca",
            "www.amazon.ca",
            "CAD",
            "en_CA",
            "NA",
            "mws.amazonservices.ca",
            ("701", "702"),
        ),
    )
}
MARKETPLACE_BY_ID: dict[str, Marketplace] = {m.id: m for m in MARKETPLACES.values()}
# Every marketplace id Amazon publishes (accepted in parameters even if no seller sells there).
ALL_MARKETPLACE_IDS = frozenset(
    {
        "A2EUQ1WTGCTBG2",
        "ATVPDKIKX0DER",
        "A1AM78C64UM0Y8",
        "A2Q3Y263D00KWC",
        "A28R8C7NBKEWEA",
        "A1RKKUPIHCS9HS",
        "A1F83G8C2ARO7P",
        "A13V1IB3VIYZZH",
        "AMEN7PMS3EDWL",
        "A1805IZSGTT6HS",
        "A1PA6795UKMFR9",
        "APJ6JRA9NG5V4",
        "A2NODRKZP88ZB9",
        "AE08WJ6YKNBMC",
        "A1C3SOZRARQ6R3",
        "ARBP9OOSHTCHU",
        "A33AVAJ2PDY3EV",
        "A17E79C6D8DWNP",
        "A2VIGQ35RCS4UG",
        "A21TJRUUN4KGV",
        "A19VAU5U5O7RUS",
        "A39IBJ37TRP1C6",
        "A1VC38T7YXB528",
    }
)


@dataclass(frozen=True, slots=True)
class RatePlan:
    rate: float  # requests per second (refill)
    burst: int


# SP-API usage plans (fact sheet and the models' x-amzn rate tables).
SPAPI_RATE_PLANS: dict[str, RatePlan] = {
    "getMarketplaceParticipations": RatePlan(0.016, 15),
    "getOrders": RatePlan(0.0167, 20),
    "getOrder": RatePlan(0.5, 30),
    "getOrderItems": RatePlan(0.5, 30),
    "getOrderAddress": RatePlan(0.5, 30),
    "getOrderBuyerInfo": RatePlan(0.5, 30),
    "confirmShipment": RatePlan(2.0, 10),
    "searchOrders": RatePlan(0.0056, 20),
    "getOrder2026": RatePlan(0.5, 30),
    "createRestrictedDataToken": RatePlan(1.0, 10),
    "getCatalogItem": RatePlan(2.0, 2),
    "searchCatalogItems": RatePlan(2.0, 2),
    "getListingsItem": RatePlan(5.0, 10),
    "createFeed": RatePlan(0.0083, 15),
    "getFeed": RatePlan(2.0, 15),
    "createFeedDocument": RatePlan(0.5, 15),
    "getFeedDocument": RatePlan(0.0222, 10),
    "getAuthorizationCode": RatePlan(1.0, 5),
}

# MWS throttling (fact sheet: "quota N then 1 per T").
MWS_RATE_PLANS: dict[str, RatePlan] = {
    "mws.ListOrders": RatePlan(1 / 60, 6),
    "mws.ListOrdersByNextToken": RatePlan(1 / 60, 6),
    "mws.ListOrderItems": RatePlan(0.5, 30),
    "mws.GetServiceStatus": RatePlan(1 / 300, 2),
    "mws.ListMarketplaceParticipations": RatePlan(1 / 60, 15),
    "mws.SubmitFeed": RatePlan(1 / 120, 15),
    "mws.GetFeedSubmissionResult": RatePlan(1 / 60, 15),
}

QUOTA_EXCEEDED_BODY = {
    "errors": [
        {
            "code": "QuotaExceeded",
            "message": "You exceeded your quota for the requested resource.",
            "details": "",
        }
    ]
}

# The CarrierCode enumeration of amzn-base.xsd (2015), order preserved; "Other" needs a name.
CARRIER_CODES: tuple[str, ...] = (
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

# SP-API roles; the restricted ones give access to PII.
ROLE_PII = "Direct-to-Consumer Shipping"
RESTRICTED_ROLES = frozenset({ROLE_PII, "Tax Invoicing", "Tax Remittance"})

AUTH_LIFETIME_SECONDS = 365 * 86400
CLIENT_SECRET_LIFETIME_SECONDS = 180 * 86400
ACCESS_TOKEN_SECONDS = 3600
AUTH_CODE_SECONDS = 300
RDT_SECONDS = 3600
