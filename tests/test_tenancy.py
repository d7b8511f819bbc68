"""Tenant isolation: account B gets 404 on every one of account A's object URLs.

The URLs come from tests/tenancy_registry.py; later issues append theirs there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from colis.accounts.models import Account, User
from colis.common.models import TenantModel
from tests.conftest import ApiClient
from tests.tenancy_registry import REGISTRY, ObjectUrl


def snapshot(account: Account) -> dict[str, list[dict[str, Any]]]:
    """Every tenant row of the account, to prove a refused request changed nothing."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            rows[model._meta.label] = list(
                model.objects.filter(account=account).order_by("pk").values()
            )
    return rows


def send(entry: ObjectUrl, user: User, url: str) -> Any:
    if entry.kind == "api":
        api = ApiClient(user)
        call = getattr(api, entry.method)
        return call(url) if entry.method in {"get", "delete"} else call(url, entry.body)
    client = Client()
    client.force_login(user)
    if entry.method == "get":
        return client.get(url)
    return client.post(url, entry.body)


def test_registry_is_not_empty() -> None:
    assert REGISTRY
    assert len({e.test_id for e in REGISTRY}) == len(REGISTRY), "duplicate registry entries"


@pytest.mark.parametrize("entry", REGISTRY, ids=[e.test_id for e in REGISTRY])
def test_other_account_gets_404(entry: ObjectUrl, make_user: Callable[..., User]) -> None:
    owner, intruder = make_user(), make_user()
    assert owner.account is not None and owner.account != intruder.account
    ids = entry.make_objects(owner.account)
    url = entry.url_for(ids)
    before = snapshot(owner.account)

    response = send(entry, intruder, url)

    assert response.status_code == 404, (
        f"{entry.test_id} {url} answered {response.status_code} to another account"
    )
    if entry.kind == "api":
        # identical to a missing object
        assert response.json() == {
            "errors": [{"code": "not_found", "message": "Not found.", "field": None}]
        }
    assert snapshot(owner.account) == before, f"{entry.test_id} changed the owner's data"

    # Control: the URL is real; its owner is not refused.
    assert send(entry, owner, url).status_code != 404, (
        f"{entry.test_id} {url} is 404 for its owner too"
    )
