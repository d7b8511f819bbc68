"""The sandbox's seeded developer identity (documented in docs/sandbox.md).

These are fixed strings so a developer can paste them into colis' settings once and
keep them across sandbox restarts. None of them is a real Amazon credential.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import ROLE_PII

# --- the default SP-API application -------------------------------------------------
APPLICATION_ID = "amzn1.sp.solution.5c1f3c2e-8a4b-4d7e-9f10-3b2a1c0d9e8f"
LWA_CLIENT_ID = "amzn1.application-oa2-client.5a4e0b1c2d3e4f5061728394a5b6c7d8"
LWA_CLIENT_SECRET = (
    "amzn1.oa2-cs.v1.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"  # noqa: S105
)
REDIRECT_URI = "http://127.0.0.1:8000/integrations/amazon/callback"
APPLICATION_NAME = "colis (sandbox)"
APPLICATION_ROLES: tuple[str, ...] = (
    "Inventory and Order Tracking",
    "Product Listing",
    ROLE_PII,
)

# A second application without the restricted role (to exercise PII gating).
NOPII_APPLICATION_ID = "amzn1.sp.solution.0b7d1e2f-3c4a-4b5c-8d6e-7f8091a2b3c4"
NOPII_LWA_CLIENT_ID = "amzn1.application-oa2-client.00112233445566778899aabbccddeeff"
NOPII_LWA_CLIENT_SECRET = (
    "amzn1.oa2-cs.v1.ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"  # noqa: S105
)
NOPII_APPLICATION_ROLES: tuple[str, ...] = ("Inventory and Order Tracking", "Product Listing")

# --- the default MWS developer ------------------------------------------------------
MWS_DEVELOPER_ID = "1234-5678-9012"
MWS_ACCESS_KEY_ID = "AKIASANDBOXMWS000001"
MWS_SECRET_KEY = "sAnDbOxMwSsEcReTkEy0000000000000000000001"  # noqa: S105


@dataclass(frozen=True, slots=True)
class SandboxSeller:
    selling_partner_id: str
    store_name: str
    country: str  # where the seller ships from
    marketplaces: tuple[str, ...]  # marketplace codes (see constants.MARKETPLACES)
    mws_auth_token: str
    refresh_token: str  # ready refresh token for the default application
    weight: int  # share of generated orders


SELLERS: tuple[SandboxSeller, ...] = (
    SandboxSeller(
        "A1SBXSELLERIT1",
        "Bottega Sandbox",
        "IT",
        ("IT", "DE", "UK"),
        "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e01",
        "Atzr|IwEBISANDBOXSELLER1-0001-refresh-token-for-default-app-IT-DE-UK",
        50,
    ),
    SandboxSeller(
        "A2SBXSELLERFR2",
        "Maison Bac à Sable",
        "FR",
        ("FR", "ES"),
        "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e02",
        "Atzr|IwEBISANDBOXSELLER2-0002-refresh-token-for-default-app-FR-ES",
        25,
    ),
    SandboxSeller(
        "A3SBXSELLERES3",
        "Tienda Arenero",
        "ES",
        ("ES",),
        "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e03",
        "Atzr|IwEBISANDBOXSELLER3-0003-refresh-token-for-default-app-ES",
        10,
    ),
    SandboxSeller(
        "A4SBXSELLERUS4",
        "Sandbox Goods Inc",
        "US",
        ("US",),
        "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e04",
        "Atzr|IwEBISANDBOXSELLER4-0004-refresh-token-for-default-app-US",
        15,
    ),
)

# A seller whose calls are answered like Amazon's own static sandbox: the requests of the
# models' x-amzn-api-sandbox examples get the examples' responses.
STATIC_SELLER = SandboxSeller(
    "A5SBXSTATICEX5",
    "Static Examples Store",
    "US",
    ("US",),
    "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaadc1e05",
    "Atzr|IwEBISANDBOXSTATIC5-0005-refresh-token-static-examples",
    0,
)

ALL_SELLERS: tuple[SandboxSeller, ...] = (*SELLERS, STATIC_SELLER)
SELLER_1 = SELLERS[0]
