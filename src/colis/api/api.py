"""The REST API at /api/v1/ (OpenAPI at /api/v1/openapi.json)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from colis.accounts.selectors import onboarding_state
from colis.api.auth import ApiKeyAuth, PanelSessionAuth, current_account, current_user
from colis.api.errors import ErrorResponse, install_error_handlers

api = NinjaAPI(
    title="colis API",
    version="1",
    urls_namespace="api",
    auth=[ApiKeyAuth(), PanelSessionAuth()],
    docs_url="/docs",
)
install_error_handlers(api)

core = Router(tags=["account"])


class MeOut(Schema):
    id: int
    email: str
    language: str
    account_id: int
    account_name: str


class OnboardingOut(Schema):
    email_verified: bool
    sender_address: bool
    return_address: bool
    billing_address: bool
    direct_debit: bool
    ready: bool
    missing: list[str]


@core.get("/me", response={200: MeOut, 401: ErrorResponse})
def me(request: HttpRequest) -> MeOut:
    user = current_user(request)
    account = current_account(request)
    return MeOut(
        id=user.id,
        email=user.email,
        language=user.language,
        account_id=account.id,
        account_name=account.name,
    )


@core.get("/onboarding", response={200: OnboardingOut, 401: ErrorResponse})
def onboarding(request: HttpRequest) -> dict[str, object]:
    return onboarding_state(account=current_account(request), user=current_user(request)).as_dict()


api.add_router("/", core)


def register_routers() -> None:
    """Feature routers live with their apps' API modules; they are mounted here."""
    from colis.api import integrations_routes, onboarding_routes, orders_routes

    onboarding_routes.mount(api)
    orders_routes.mount(api)
    integrations_routes.mount(api)

    from colis.api import privacy_routes

    privacy_routes.mount(api)

    from colis.api import shipping_routes

    shipping_routes.mount(api)

    from colis.api import feedback_routes

    feedback_routes.mount(api)

    from colis.api import lifecycle_routes

    lifecycle_routes.mount(api)

    from colis.api import webhooks_routes

    webhooks_routes.mount(api)


register_routers()
