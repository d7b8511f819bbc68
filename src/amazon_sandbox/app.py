"""The Starlette application: Amazon's endpoints plus /_sandbox/ controls."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import control, lwa, spapi_orders
from .state import Sandbox
from .web import Handler, new_request_id, spapi_operation


def _op(
    path: str, operation: str, handler: Handler, method: str = "GET", *, grantless: bool = False
) -> Route:
    from .static_examples import answer

    return Route(
        path,
        spapi_operation(operation, handler, grantless=grantless, static=answer),
        methods=[method],
    )


def spapi_routes() -> list[Route]:
    from . import spapi_catalog, spapi_feeds

    o = spapi_orders
    return [
        _op(
            "/sellers/v1/marketplaceParticipations",
            "getMarketplaceParticipations",
            o.get_marketplace_participations,
        ),
        _op("/orders/2026-01-01/orders", "searchOrders", o.search_orders),
        _op("/orders/2026-01-01/orders/{orderId}", "getOrder2026", o.get_order_2026),
        _op("/orders/v0/orders", "getOrders", o.get_orders),
        _op("/orders/v0/orders/{orderId}", "getOrder", o.get_order_v0),
        _op("/orders/v0/orders/{orderId}/orderItems", "getOrderItems", o.get_order_items),
        _op("/orders/v0/orders/{orderId}/address", "getOrderAddress", o.get_order_address),
        _op("/orders/v0/orders/{orderId}/buyerInfo", "getOrderBuyerInfo", o.get_order_buyer_info),
        _op(
            "/orders/v0/orders/{orderId}/shipmentConfirmation",
            "confirmShipment",
            o.confirm_shipment,
            "POST",
        ),
        _op(
            "/tokens/2021-03-01/restrictedDataToken",
            "createRestrictedDataToken",
            o.create_restricted_data_token,
            "POST",
        ),
        _op("/catalog/2022-04-01/items", "searchCatalogItems", spapi_catalog.search_catalog_items),
        _op("/catalog/2022-04-01/items/{asin}", "getCatalogItem", spapi_catalog.get_catalog_item),
        # An empty ASIN still reaches getCatalogItem (and gets Amazon's 400).
        _op("/catalog/2022-04-01/items/", "getCatalogItem", spapi_catalog.get_catalog_item),
        _op(
            "/listings/2021-08-01/items/{sellerId}/{sku:path}",
            "getListingsItem",
            spapi_catalog.get_listings_item,
        ),
        _op(
            "/feeds/2021-06-30/documents",
            "createFeedDocument",
            spapi_feeds.create_feed_document,
            "POST",
        ),
        _op(
            "/feeds/2021-06-30/documents/{feedDocumentId}",
            "getFeedDocument",
            spapi_feeds.get_feed_document,
        ),
        _op("/feeds/2021-06-30/feeds", "createFeed", spapi_feeds.create_feed, "POST"),
        _op("/feeds/2021-06-30/feeds/{feedId}", "getFeed", spapi_feeds.get_feed),
        _op(
            "/authorization/v1/authorizationCode",
            "getAuthorizationCode",
            spapi_feeds.get_authorization_code,
            grantless=True,
        ),
        Route("/_documents/{document_id}", spapi_feeds.document_content, methods=["GET", "PUT"]),
    ]


async def not_found(request: Request, exc: Exception) -> Response:
    """Unknown paths answer like the SP-API: JSON errors and a request id."""
    body = b'{"errors":[{"code":"NotFound","message":"Resource not found","details":""}]}'
    return Response(body, 404, {"x-amzn-RequestId": new_request_id()}, "application/json")


async def health(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def build_app(sandbox: Sandbox) -> Starlette:
    from . import mws

    routes = [
        *spapi_routes(),  # first: Starlette tries routes in order, and these are the hot ones
        Route("/auth/o2/token", lwa.token, methods=["POST"]),
        Route("/apps/authorize/consent", lwa.consent, methods=["GET"]),
        Route("/apps/authorize/confirm", lwa.confirm, methods=["POST"]),
        Route("/_sandbox/health", health, methods=["GET"]),
        *control.ROUTES,
        *mws.ROUTES,
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found})
    app.state.sandbox = sandbox
    return app
