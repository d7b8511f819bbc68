"""Writes for accounts: creating accounts and users, API keys."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction

from colis.accounts.models import Account, ApiKey, User
from colis.common import clock

API_KEY_PREFIX = "colis_"


@transaction.atomic
def account_create_for_user(*, user: User, name: str | None = None) -> Account:
    """Give a new user their own account (tenant), unless they already belong to one."""
    if user.account_id is not None:
        return user.account  # type: ignore[return-value]
    account = Account.objects.create(name=name or user.email)
    user.account = account
    user.save(update_fields=["account"])
    return account


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    account: Account | None = None,
    verified: bool = False,
    is_staff: bool = False,
    language: str = "en",
) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(
        email=email, password=password, is_staff=is_staff, is_superuser=is_staff, language=language
    )
    if account is None:
        account_create_for_user(user=user)
    else:
        user.account = account
        user.save(update_fields=["account"])
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewApiKey:
    api_key: ApiKey
    raw: str  # shown once, never stored


def apikey_create(*, user: User, name: str = "") -> NewApiKey:
    if user.account is None:
        raise ValueError("the user belongs to no account")
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        account=user.account,
        user=user,
        name=name[:100],
        prefix=raw[:12],
        key_hash=_hash_key(raw),
        last4=raw[-4:],
    )
    return NewApiKey(api_key=key, raw=raw)


def apikey_authenticate(*, raw: str) -> User | None:
    """The active user behind a raw key, or None. Constant-time by construction (hash lookup)."""
    if not raw or len(raw) > 200:
        return None
    key = (
        ApiKey.objects.select_related("user")
        .filter(key_hash=_hash_key(raw), revoked_at__isnull=True)
        .first()
    )
    if key is None or not key.user.is_active:
        return None
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=clock.now())
    return key.user


def apikey_revoke(*, account: Account, key_id: int) -> ApiKey:
    key = ApiKey.objects.get(account=account, pk=key_id)
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=clock.now())
    key.refresh_from_db()
    return key
