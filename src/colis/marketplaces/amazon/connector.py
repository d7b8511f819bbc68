"""The Amazon connector: colis' MarketplaceConnector port over SP-API (Orders 2026-01-01 or
v0 + Restricted Data Token) and legacy MWS. Calls go through client.py; documents are turned
into port dataclasses by mapping.py."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from colis.common.ratelimit import RateLimiter
from colis.integrations.errors import OrderMappingError
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConfirmedPackage,
    ConnectionCheck,
    ConnectorError,
    InvalidCredentials,
    InvalidRequest,
    OrderData,
    OrderPage,
    ProductWeight,
    ShipmentConfirmation,
    ShipmentReceipt,
    SubmissionResult,
)
from colis.marketplaces.amazon import mapping, mws, shipment
from colis.marketplaces.amazon.client import AmazonClient, LwaCredentials, MwsCredentials
from colis.marketplaces.amazon.config import (
    MARKETPLACES,
    ORDERS_API_V0,
    AmazonConfig,
    amazon_config,
)

PAGE_SIZE = 100
CATALOG_BATCH = 20  # searchCatalogItems takes up to 20 ASINs per call
INCLUDED_ALWAYS = ("FULFILLMENT", "PROCEEDS", "CANCELLATION")
INCLUDED_PII = ("RECIPIENT", "BUYER")


@dataclass(frozen=True, slots=True)
class AmazonOrderPage(OrderPage):
    """An OrderPage that also carries the orders Amazon sent but colis could not read:
    each error names its order id, so the import shows it instead of stopping."""

    errors: tuple[OrderMappingError, ...] = ()


def _iso(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AmazonConnector:
    """One integration (one seller in one marketplace) talking to Amazon."""

    def __init__(
        self,
        *,
        seller_id: str,
        marketplace_id: str,
        credentials: dict[str, Any],
        region: str = "",
        import_afn: bool = False,
        config: AmazonConfig | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
    ) -> None:
        self.config = config or amazon_config()
        self.seller_id = seller_id
        self.marketplace_id = marketplace_id
        market = MARKETPLACES.get(marketplace_id)
        self.region = region or (market.region if market else "EU")
        self.import_afn = import_afn
        creds = credentials or {}
        lwa: LwaCredentials | None = None
        if creds.get("refresh_token"):
            lwa = LwaCredentials(
                client_id=str(creds.get("lwa_client_id") or self.config.lwa_client_id),
                client_secret=str(creds.get("lwa_client_secret") or self.config.lwa_client_secret),
                refresh_token=str(creds["refresh_token"]),
            )
        mws_creds: MwsCredentials | None = None
        if creds.get("mws_auth_token"):
            mws_creds = MwsCredentials(
                self.config.mws_access_key, self.config.mws_secret_key, str(creds["mws_auth_token"])
            )
        self.pii = bool(creds.get("pii_roles", self.config.app_has_pii_roles))
        self.client = AmazonClient(
            seller_id=seller_id,
            region=self.region,
            credentials=lwa,
            mws_credentials=mws_creds,
            config=self.config,
            limiter=limiter,
            sleep=sleep,
            max_attempts=max_attempts,
        )

    @classmethod
    def from_integration(cls, integration: Any, **kwargs: Any) -> AmazonConnector:
        return cls(
            seller_id=integration.seller_id,
            marketplace_id=integration.marketplace_id,
            credentials=dict(integration.credentials or {}),
            region=integration.region,
            import_afn=integration.import_afn,
            **kwargs,
        )

    @property
    def uses_spapi(self) -> bool:
        return self.client.credentials is not None

    def _require_any(self) -> None:
        if self.client.credentials is None and self.client.mws_credentials is None:
            raise InvalidCredentials("No Amazon credentials are stored for this shop.")

    # --- check ------------------------------------------------------------------------
    def check(self) -> ConnectionCheck:
        """Exchange the token and read where the seller sells (SP-API, else MWS)."""
        self._require_any()
        if self.uses_spapi:
            self.client.access_token(force=True)
            body = self.client.request(
                "GET",
                "/sellers/v1/marketplaceParticipations",
                operation="getMarketplaceParticipations",
            )
            participations = mapping.participations_spapi(body)
        else:
            root = self.client.mws(
                "ListMarketplaceParticipations",
                path=mws.SELLERS_PATH,
                version=mws.SELLERS_VERSION,
                marketplace_id=self.marketplace_id,
            )
            participations = mapping.participations_mws(root)
        return ConnectionCheck(seller_id=self.seller_id, participations=participations)

    # --- orders -----------------------------------------------------------------------
    def fetch_orders_page(
        self, *, updated_after: dt.datetime, page_token: str | None
    ) -> AmazonOrderPage:
        self._require_any()
        if not self.uses_spapi:
            return self._page_mws(updated_after, page_token)
        if self.config.orders_api == ORDERS_API_V0:
            return self._page_v0(updated_after, page_token)
        return self._page_2026(updated_after, page_token)

    def _keep(self, order: OrderData) -> bool:
        return self.import_afn or not order.fulfilled_by_marketplace

    def _finish(
        self,
        orders: list[OrderData],
        errors: list[OrderMappingError],
        token: str | None,
        checkpoint: dt.datetime | None,
    ) -> AmazonOrderPage:
        return AmazonOrderPage(
            orders=tuple(o for o in orders if self._keep(o)),
            next_token=token,
            checkpoint=checkpoint,
            errors=tuple(errors),
        )

    def _page_2026(self, updated_after: dt.datetime, page_token: str | None) -> AmazonOrderPage:
        included = INCLUDED_ALWAYS + (INCLUDED_PII if self.pii else ())
        params: dict[str, str] = {
            "lastUpdatedAfter": _iso(updated_after),
            "marketplaceIds": self.marketplace_id,
            "maxResultsPerPage": str(PAGE_SIZE),
            "includedData": ",".join(included),
        }
        if not self.import_afn:
            params["fulfilledBy"] = "MERCHANT"
        if page_token:
            params["paginationToken"] = page_token  # the other parameters are repeated
        body = self.client.request(
            "GET", "/orders/2026-01-01/orders", operation="searchOrders", params=params
        )
        orders, errors, token, checkpoint = mapping.orders_page_2026(body)
        return self._finish(orders, errors, token, checkpoint)

    def _page_v0(self, updated_after: dt.datetime, page_token: str | None) -> AmazonOrderPage:
        params: dict[str, str] = {"MarketplaceIds": self.marketplace_id}
        if page_token:
            params["NextToken"] = page_token
        else:
            params.update(LastUpdatedAfter=_iso(updated_after), MaxResultsPerPage=str(PAGE_SIZE))
            if not self.import_afn:
                params["FulfillmentChannels"] = "MFN"
        body = self._get_orders_v0(params)
        raw_orders, token, checkpoint = mapping.orders_list_v0(body)
        orders: list[OrderData] = []
        errors: list[OrderMappingError] = []
        for raw in raw_orders:
            order_id = str(raw.get("AmazonOrderId", "")) if isinstance(raw, dict) else ""
            if (
                not self.import_afn
                and isinstance(raw, dict)
                and raw.get("FulfillmentChannel") == "AFN"
            ):
                continue
            try:
                items = self._items_v0(order_id)
                orders.append(mapping.order_from_v0(raw, items))
            except OrderMappingError as exc:
                exc.order_id = exc.order_id or order_id
                errors.append(exc)
        return self._finish(orders, errors, token, checkpoint)

    def _get_orders_v0(self, params: dict[str, str]) -> Any:
        if not self.pii:
            return self.client.request(
                "GET", "/orders/v0/orders", operation="getOrders", params=params
            )
        # One Restricted Data Token for the list: addresses and buyer details come inline.
        resources = [
            {
                "method": "GET",
                "path": "/orders/v0/orders",
                "dataElements": ["buyerInfo", "shippingAddress"],
            }
        ]
        for attempt in range(2):
            rdt = self.client.restricted_data_token(resources)
            try:
                return self.client.request(
                    "GET",
                    "/orders/v0/orders",
                    operation="getOrders",
                    params=params,
                    restricted_token=rdt,
                )
            except (AuthorizationExpired, AuthorizationRevoked, InvalidCredentials):
                if attempt:
                    raise
                # A token Amazon no longer honours (expired early, revoked): mint a new one;
                # a refused exchange then tells the real state of the authorization.
                self.client.forget_restricted_data_token()
        raise AssertionError("unreachable")

    def _items_v0(self, order_id: str) -> list[Any]:
        if not order_id:
            raise OrderMappingError("An Amazon order without an order id.", code="malformed_order")
        items: list[Any] = []
        params: dict[str, str] = {}
        path = f"/orders/v0/orders/{quote(order_id, safe='')}/orderItems"
        while True:
            body = self.client.request(
                "GET", path, operation="getOrderItems", params=params or None
            )
            items.extend(mapping.order_items_v0(body))
            next_token = (
                (body.get("payload") or {}).get("NextToken") if isinstance(body, dict) else None
            )
            if not next_token:
                return items
            params = {"NextToken": str(next_token)}

    def _page_mws(self, updated_after: dt.datetime, page_token: str | None) -> AmazonOrderPage:
        if page_token:
            root = self.client.mws(
                "ListOrdersByNextToken",
                path=mws.ORDERS_PATH,
                version=mws.ORDERS_VERSION,
                marketplace_id=self.marketplace_id,
                params={"NextToken": page_token},
            )
        else:
            params = {
                "LastUpdatedAfter": _iso(updated_after),
                "MaxResultsPerPage": str(PAGE_SIZE),
                **mws.list_params("MarketplaceId.Id", [self.marketplace_id]),
            }
            if not self.import_afn:
                params.update(mws.list_params("FulfillmentChannel.Channel", ["MFN"]))
            root = self.client.mws(
                "ListOrders",
                path=mws.ORDERS_PATH,
                version=mws.ORDERS_VERSION,
                marketplace_id=self.marketplace_id,
                params=params,
            )
        raw_orders, token, checkpoint = mapping.orders_list_mws(root)
        orders: list[OrderData] = []
        errors: list[OrderMappingError] = []
        for raw in raw_orders:
            order_id = str(raw.get("AmazonOrderId", "")) if isinstance(raw, dict) else ""
            try:
                items = self._items_mws(order_id)
                orders.append(mapping.order_from_v0(raw, items))
            except OrderMappingError as exc:
                exc.order_id = exc.order_id or order_id
                errors.append(exc)
        return self._finish(orders, errors, token, checkpoint)

    def _items_mws(self, order_id: str) -> list[Any]:
        if not order_id:
            raise OrderMappingError("An Amazon order without an order id.", code="malformed_order")
        root = self.client.mws(
            "ListOrderItems",
            path=mws.ORDERS_PATH,
            version=mws.ORDERS_VERSION,
            marketplace_id=self.marketplace_id,
            params={"AmazonOrderId": order_id},
        )
        items, token = mapping.order_items_mws(root)
        while token:
            root = self.client.mws(
                "ListOrderItemsByNextToken",
                path=mws.ORDERS_PATH,
                version=mws.ORDERS_VERSION,
                marketplace_id=self.marketplace_id,
                params={"NextToken": token},
            )
            more, token = mapping.order_items_mws(root)
            items.extend(more)
        return items

    # --- weights ----------------------------------------------------------------------
    def fetch_weights(self, *, skus: dict[str, str]) -> dict[str, ProductWeight]:
        """Package weights for `{sku: asin}` from the catalog (20 ASINs a call), else from
        the seller's listing. SKUs without a usable weight are left out."""
        if not self.uses_spapi or not skus:
            return {}
        found: dict[str, ProductWeight] = {}
        by_asin: dict[str, list[str]] = {}
        for sku, asin in skus.items():
            if asin:
                by_asin.setdefault(asin, []).append(sku)
        asins = sorted(by_asin)
        for start in range(0, len(asins), CATALOG_BATCH):
            batch = asins[start : start + CATALOG_BATCH]
            body = self.client.request(
                "GET",
                "/catalog/2022-04-01/items",
                operation="searchCatalogItems",
                params={
                    "identifiers": ",".join(batch),
                    "identifiersType": "ASIN",
                    "marketplaceIds": self.marketplace_id,
                    "includedData": "dimensions",
                    "pageSize": str(CATALOG_BATCH),
                },
            )
            items = body.get("items") if isinstance(body, dict) else None
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, dict):
                    continue
                raw = mapping.weight_from_catalog(item, marketplace_id=self.marketplace_id)
                for sku in by_asin.get(str(item.get("asin", "")), []):
                    weight = self._weight(sku, raw, "amazon_catalog")
                    if weight is not None:
                        found[sku] = weight
        for sku in skus:
            if sku in found:
                continue
            weight = self._listing_weight(sku)
            if weight is not None:
                found[sku] = weight
        return found

    def _listing_weight(self, sku: str) -> ProductWeight | None:
        try:
            body = self.client.request(
                "GET",
                f"/listings/2021-08-01/items/{quote(self.seller_id, safe='')}/{quote(sku, safe='')}",
                operation="getListingsItem",
                params={"marketplaceIds": self.marketplace_id, "includedData": "attributes"},
            )
        except InvalidRequest as exc:
            if exc.status == 404:
                return None
            raise
        raw = mapping.weight_from_listing(body, marketplace_id=self.marketplace_id)
        return self._weight(sku, raw, "amazon_listing")

    @staticmethod
    def _weight(sku: str, raw: tuple[Any, Any] | None, source: str) -> ProductWeight | None:
        if raw is None:
            return None
        value, unit = raw
        try:
            grams: Decimal = mapping.to_grams(value, unit, sku=sku)
        except mapping.WeightError:
            return None  # absurd or unreadable: try the next source, else leave it out
        return ProductWeight(
            sku=sku, grams=grams, source=source, raw_value=str(value)[:30], raw_unit=str(unit)[:20]
        )

    # --- shipment confirmations (feedback outbox; bodies and feed in shipment.py) -------
    def confirm_shipment(self, *, confirmation: ShipmentConfirmation) -> ShipmentReceipt:
        """confirmShipment (SP-API), else the MWS order-fulfillment feed; sent once."""
        self._require_any()
        if self.uses_spapi:
            return shipment.confirm_shipment_spapi(self.client, confirmation)
        return shipment.submit_fulfillment_feed(
            self.client, marketplace_id=self.marketplace_id, c=confirmation
        )

    def fetch_confirmed_packages(
        self, *, order_external_id: str
    ) -> tuple[ConfirmedPackage, ...] | None:
        """2026-01-01 getOrder `packages[]`; None without SP-API (MWS cannot read them)."""
        if not self.uses_spapi:
            return None
        return shipment.confirmed_packages_2026(self.client, order_external_id)

    def fetch_submission_result(self, *, submission_id: str) -> SubmissionResult:
        return shipment.fulfillment_feed_result(
            self.client,
            marketplace_id=self.marketplace_id,
            submission_id=submission_id,
            package_reference_id="",
        )


def connector_for_integration(integration: Any) -> AmazonConnector:
    """The `colis.marketplaces` entry point for channel "amazon"."""
    return AmazonConnector.from_integration(integration)


__all__ = ["AmazonConnector", "AmazonOrderPage", "ConnectorError", "connector_for_integration"]
