"""The registry of tenant object URLs that tests/test_tenancy.py checks.

Every URL that reaches ONE account's object by its id (API or panel) belongs here. The
isolation test makes two accounts, builds account A's objects with `make_objects`, then
proves that account B gets 404 on every URL, exactly like a missing object, and that A's
rows are unchanged; finally A itself must not get 404 (the URL is real).

LATER ISSUES: when you add an object URL (orders, parcels, integrations, labels...),
append an `ObjectUrl` to REGISTRY below (or call `register(...)` from your own module
imported here). One entry per (URL, method). Keep `make_objects` small and build the
objects through your services so they are valid; `body` is what a legitimate request
would send (the owner's request must succeed, or at least not be 404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from colis.accounts.models import Account
from colis.accounts.services import address_create

ObjectIds = dict[str, int]


@dataclass(frozen=True)
class ObjectUrl:
    name: str
    kind: Literal["api", "panel"]
    method: Literal["get", "post", "put", "patch", "delete"]
    url_for: Callable[[ObjectIds], str]
    make_objects: Callable[[Account], ObjectIds]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def test_id(self) -> str:
        return f"{self.kind}:{self.method.upper()}:{self.name}"


REGISTRY: list[ObjectUrl] = []


def register(*entries: ObjectUrl) -> None:
    REGISTRY.extend(entries)


# --- accounts: addresses (onboarding) ---------------------------------------------------

ADDRESS = {
    "name": "Lager Berlin",
    "company": "",
    "street": "Hauptstr. 1",
    "street2": "",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "+49 30 1234567",
    "email": "ops@example.test",
    "vat_number": "",
}


def make_addresses(account: Account) -> ObjectIds:
    default = address_create(account=account, kind="sender", data=ADDRESS)
    other = address_create(account=account, kind="sender", data={**ADDRESS, "name": "Lager 2"})
    billing = address_create(account=account, kind="billing", data=ADDRESS)
    return {"sender": default.pk, "other_sender": other.pk, "billing": billing.pk}


def _api_address(key: str) -> Callable[[ObjectIds], str]:
    return lambda ids: f"/api/v1/addresses/{ids[key]}"


register(
    ObjectUrl("address", "api", "get", _api_address("sender"), make_addresses),
    ObjectUrl("address", "api", "put", _api_address("billing"), make_addresses, body=ADDRESS),
    ObjectUrl(
        "address",
        "api",
        "patch",
        _api_address("billing"),
        make_addresses,
        body={"city": "Köln", "postal_code": "50667"},
    ),
    ObjectUrl("address", "api", "delete", _api_address("billing"), make_addresses),
    ObjectUrl(
        "address default",
        "api",
        "post",
        lambda ids: f"/api/v1/addresses/{ids['other_sender']}/default",
        make_addresses,
    ),
    ObjectUrl(
        "address edit",
        "panel",
        "get",
        lambda ids: f"/settings/addresses/{ids['billing']}/edit/",
        make_addresses,
    ),
    ObjectUrl(
        "address edit",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['billing']}/edit/",
        make_addresses,
        body=ADDRESS,
    ),
    ObjectUrl(
        "address delete",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['sender']}/delete/",
        make_addresses,
    ),
    ObjectUrl(
        "address default",
        "panel",
        "post",
        lambda ids: f"/settings/addresses/{ids['other_sender']}/default/",
        make_addresses,
    ),
)


# --- privacy: the PII access trail of one order ------------------------------------------


def make_privacy_order(account: Account) -> ObjectIds:
    from tests.privacy.conftest import make_order

    return {"order": make_order(account).pk}


register(
    ObjectUrl(
        "privacy pii-access of an order",
        "api",
        "get",
        lambda ids: f"/api/v1/privacy/pii-access?order_id={ids['order']}",
        make_privacy_order,
    ),
)
