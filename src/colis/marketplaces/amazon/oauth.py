"""Connecting an Amazon seller: the Seller Central consent URL, the authorization-code
exchange, self-authorized and MWS credential checks, and the MWS -> SP-API migration.

Offered to `colis.integrations.services` through the `colis.marketplaces.authorizers` entry
point (see `colis.integrations.registry.MarketplaceAuthorizer`): the services never import
this package.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from colis.integrations.ports import ConnectionCheck, ConnectorError, InvalidRequest
from colis.marketplaces.amazon import mapping
from colis.marketplaces.amazon.client import AmazonClient
from colis.marketplaces.amazon.config import MARKETPLACES, AmazonConfig, amazon_config
from colis.marketplaces.amazon.connector import AmazonConnector

MIGRATION_SCOPE = "sellingpartnerapi::migration"


class AmazonAuthorizer:
    """Stateless: reads the operator's configuration on each use."""

    channel = "amazon"

    def __init__(self, config: AmazonConfig | None = None, **client_kwargs: Any) -> None:
        self.config = config or amazon_config()
        self.client_kwargs = client_kwargs

    # --- facts ------------------------------------------------------------------------
    def marketplaces(self) -> dict[str, dict[str, str]]:
        return {
            m.id: {
                "country": m.country,
                "iso": m.address_country,
                "region": m.region,
                "name": m.name,
            }
            for m in MARKETPLACES.values()
        }

    def has_app(self) -> bool:
        return self.config.has_spapi_app

    def has_mws(self) -> bool:
        return self.config.has_mws

    # --- website authorization ----------------------------------------------------------
    def consent_url(self, *, state: str, region: str = "EU") -> str:
        if not self.config.has_spapi_app:
            raise InvalidRequest(
                "This colis instance has no Amazon SP-API application configured "
                "(COLIS_AMAZON_APP_ID, COLIS_AMAZON_LWA_CLIENT_ID, COLIS_AMAZON_LWA_CLIENT_SECRET)."
            )
        query = {"application_id": self.config.app_id, "state": state}
        if self.config.redirect_uri:
            query["redirect_uri"] = self.config.redirect_uri
        if self.config.app_beta:
            query["version"] = "beta"
        return f"{self.config.consent_url(region)}?{urlencode(query)}"

    def exchange_code(
        self, *, selling_partner_id: str, code: str, region: str = "EU"
    ) -> ConnectionCheck:
        """authorization_code grant, then the seller's marketplaces. Stores nothing."""
        client = AmazonClient(
            seller_id=selling_partner_id, region=region, config=self.config, **self.client_kwargs
        )
        try:
            grant = client.exchange_authorization_code(
                code=code, redirect_uri=self.config.redirect_uri
            )
            body = client.request(
                "GET",
                "/sellers/v1/marketplaceParticipations",
                operation="getMarketplaceParticipations",
            )
        finally:
            client.close()
        return ConnectionCheck(
            seller_id=selling_partner_id,
            participations=mapping.participations_spapi(body),
            credentials={"refresh_token": grant.refresh_token},
        )

    # --- self-authorized application ------------------------------------------------------
    def check_self_authorized(
        self,
        *,
        seller_id: str,
        lwa_client_id: str,
        lwa_client_secret: str,
        refresh_token: str,
        region: str = "EU",
    ) -> ConnectionCheck:
        credentials = {
            "refresh_token": refresh_token,
            "lwa_client_id": lwa_client_id,
            "lwa_client_secret": lwa_client_secret,
        }
        connector = AmazonConnector(
            seller_id=seller_id,
            marketplace_id="",
            region=region,
            credentials=credentials,
            config=self.config,
            **self.client_kwargs,
        )
        try:
            check = connector.check()
        finally:
            connector.client.close()
        return replace(check, credentials=credentials)

    # --- legacy MWS -------------------------------------------------------------------
    def check_mws(
        self, *, seller_id: str, marketplace_id: str, mws_auth_token: str
    ) -> ConnectionCheck:
        connector = AmazonConnector(
            seller_id=seller_id,
            marketplace_id=marketplace_id,
            credentials={"mws_auth_token": mws_auth_token},
            config=self.config,
            **self.client_kwargs,
        )
        try:
            check = connector.check()
        finally:
            connector.client.close()
        return replace(check, credentials={"mws_auth_token": mws_auth_token})

    def migrate_mws(self, *, seller_id: str, mws_auth_token: str, region: str = "EU") -> str:
        """getAuthorizationCode (grantless) -> authorization_code grant: an SP-API refresh
        token for a seller who still holds MWS credentials."""
        client = AmazonClient(
            seller_id=seller_id, region=region, config=self.config, **self.client_kwargs
        )
        try:
            body = client.request(
                "GET",
                "/authorization/v1/authorizationCode",
                operation="getAuthorizationCode",
                params={
                    "sellingPartnerId": seller_id,
                    "developerId": self.config.developer_id,
                    "mwsAuthToken": mws_auth_token,
                },
                grantless_scope=MIGRATION_SCOPE,
            )
            payload = body.get("payload") if isinstance(body, dict) else None
            code = payload.get("authorizationCode") if isinstance(payload, dict) else None
            if not code:
                raise ConnectorError("Amazon answered getAuthorizationCode without a code.")
            grant = client.exchange_authorization_code(code=str(code), redirect_uri="")
        finally:
            client.close()
        return grant.refresh_token

    def forget(self, credentials: dict[str, Any] | None) -> None:
        """Drop the shared access-token cache entry of these credentials (on disconnect)."""
        if not credentials or not credentials.get("refresh_token"):
            return
        from colis.marketplaces.amazon.client import LwaCredentials

        client = AmazonClient(
            seller_id="",
            credentials=LwaCredentials(
                str(credentials.get("lwa_client_id") or self.config.lwa_client_id),
                "",
                str(credentials["refresh_token"]),
            ),
            config=self.config,
            **self.client_kwargs,
        )
        try:
            client.forget_access_token()
        finally:
            client.close()
