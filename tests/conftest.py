from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from colis.accounts.models import Account, Address, DirectDebitMandate, User
from colis.accounts.services import apikey_create, user_create

# CI explores the same examples every run (no flaky reds) and never fails on a slow,
# loaded machine; locally hypothesis keeps exploring new examples.
hypothesis_settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        *,
        email: str | None = None,
        verified: bool = True,
        account: Account | None = None,
        ready: bool = False,
        **extra: Any,
    ) -> User:
        user = user_create(
            email=email or f"seller{next(counter)}@example.test",
            password=PASSWORD,
            verified=verified,
            account=account,
            **extra,
        )
        if ready:
            make_ready(user.account)  # type: ignore[arg-type]
        return user

    return make


def make_ready(account: Account) -> None:
    """Complete an account's onboarding directly in the database (tests of later steps)."""
    common = {
        "account": account,
        "country": "DE",
        "phone": "+49 30 1234567",
        "email": "ops@example.test",
    }
    Address.objects.create(
        kind="sender",
        is_default=True,
        name="Lager Berlin",
        street="Hauptstr. 1",
        postal_code="10115",
        city="Berlin",
        **common,
    )
    Address.objects.create(
        kind="return",
        name="Retouren",
        street="Hauptstr. 1",
        postal_code="10115",
        city="Berlin",
        **common,
    )
    Address.objects.create(
        kind="billing",
        name="Beispiel GmbH",
        street="Hauptstr. 1",
        postal_code="10115",
        city="Berlin",
        **common,
    )
    DirectDebitMandate.objects.create(
        account=account,
        reference=f"COLIS-T-{account.pk:06d}",
        account_holder="Beispiel GmbH",
        iban="DE89370400440532013000",
        iban_last4="3000",
        iban_country="DE",
        bic="COBADEFFXXX",
        signed_on="2026-01-01",
        accepted_text_version="2026-01",
        accepted_language="en",
    )


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user()


@pytest.fixture
def panel(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ApiClient:
    """The API over Django's test client, with a real Bearer key."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.key = apikey_create(user=user).raw
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.key}")

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self.client.post(path, data or {}, content_type="application/json", **kw)

    def put(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self.client.put(path, data or {}, content_type="application/json", **kw)

    def patch(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self.client.patch(path, data or {}, content_type="application/json", **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.client.delete(path, **kw)


@pytest.fixture
def api(user: User) -> ApiClient:
    return ApiClient(user)


@pytest.fixture
def make_api() -> Callable[[User], ApiClient]:
    return ApiClient
