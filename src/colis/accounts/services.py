"""Writes for accounts: accounts and users, API keys, onboarding (addresses, direct debit)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from colis.accounts.forms import ADDRESS_FIELDS, AddressForm, DirectDebitForm
from colis.accounts.mandate import mandate_text
from colis.accounts.models import Account, Address, ApiKey, DirectDebitMandate, User
from colis.accounts.selectors import direct_debit_mandate_active
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


# --- addresses ------------------------------------------------------------------------


def _lock_account(account: Account) -> Account:
    """Serialise onboarding writes of one account (row lock on PostgreSQL; SQLite's
    IMMEDIATE transactions already take the write lock)."""
    return Account.objects.select_for_update().get(pk=account.pk)


def _invalid(field: str | None, message: str, code: str) -> ValidationError:
    return ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})


def _address_clean(data: Mapping[str, Any]) -> dict[str, Any]:
    form = AddressForm(data={name: data.get(name) for name in ADDRESS_FIELDS})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return {name: form.cleaned_data.get(name) or "" for name in ADDRESS_FIELDS}


def _address_values(address: Address) -> dict[str, Any]:
    values = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    values["country"] = str(address.country or "")  # Country renders as its code
    return values


def _sender_make_default(*, account: Account, address: Address) -> None:
    Address.objects.filter(account=account, kind=Address.Kind.SENDER, is_default=True).exclude(
        pk=address.pk
    ).update(is_default=False)
    if not address.is_default:
        address.is_default = True
        address.save(update_fields=["is_default", "updated_at"])


@transaction.atomic
def address_create(
    *, account: Account, kind: str, data: Mapping[str, Any], make_default: bool = False
) -> Address:
    """Add an address. The first sender address becomes the default; there is at most one
    return and one billing address. Raises ValidationError naming the fields at fault."""
    if kind not in Address.Kind.values:
        raise _invalid("kind", _("Choose sender, return or billing."), "invalid_kind")
    cleaned = _address_clean(data)
    locked = _lock_account(account)
    existing = Address.objects.filter(account=account, kind=kind)
    if kind != Address.Kind.SENDER and existing.exists():
        message = (
            _("You already have a return address: edit it instead.")
            if kind == Address.Kind.RETURN
            else _("You already have a billing address: edit it instead.")
        )
        raise _invalid("kind", message, "already_exists")
    is_default = kind == Address.Kind.SENDER and (make_default or not existing.exists())
    if is_default:
        existing.filter(is_default=True).update(is_default=False)
    address = Address.objects.create(account=account, kind=kind, is_default=is_default, **cleaned)
    if kind == Address.Kind.RETURN and locked.return_same_as_sender:
        # A separate return address replaces "returns go to the sender address".
        locked.return_same_as_sender = False
        locked.save(update_fields=["return_same_as_sender"])
        account.return_same_as_sender = False
    return address


@transaction.atomic
def address_update(
    *,
    account: Account,
    address_id: int,
    data: Mapping[str, Any],
    partial: bool = False,
    make_default: bool | None = None,
) -> Address:
    """Change an address. `partial` keeps the fields `data` leaves out (PATCH).
    Raises Address.DoesNotExist for another account's address."""
    _lock_account(account)
    address = Address.objects.get(account=account, pk=address_id)
    if partial:
        merged = _address_values(address)
        merged.update({name: data.get(name) for name in ADDRESS_FIELDS if name in data})
    else:
        # .get, not dict(): a QueryDict would give lists
        merged = {name: data.get(name) for name in ADDRESS_FIELDS}
    cleaned = _address_clean(merged)
    if make_default is not None and address.kind != Address.Kind.SENDER:
        raise _invalid("is_default", _("Only sender addresses have a default."), "not_sender")
    if make_default is False and address.is_default:
        raise _invalid(
            "is_default",
            _("Make another sender address the default instead."),
            "default_required",
        )
    for name, value in cleaned.items():
        setattr(address, name, value)
    address.save(update_fields=[*ADDRESS_FIELDS, "updated_at"])
    if make_default:
        _sender_make_default(account=account, address=address)
    return address


@transaction.atomic
def address_delete(*, account: Account, address_id: int) -> None:
    """Delete an address; deleting the default sender address promotes the oldest other one."""
    _lock_account(account)
    address = Address.objects.get(account=account, pk=address_id)
    was_default = address.is_default and address.kind == Address.Kind.SENDER
    address.delete()
    if was_default:
        successor = (
            Address.objects.filter(account=account, kind=Address.Kind.SENDER).order_by("id").first()
        )
        if successor is not None:
            _sender_make_default(account=account, address=successor)


@transaction.atomic
def address_set_default(*, account: Account, address_id: int) -> Address:
    """Make a sender address the default, unsetting the previous default in the same transaction."""
    _lock_account(account)
    address = Address.objects.get(account=account, pk=address_id)
    if address.kind != Address.Kind.SENDER:
        raise _invalid(None, _("Only a sender address can be the default."), "not_sender")
    _sender_make_default(account=account, address=address)
    return address


@transaction.atomic
def account_set_return_same_as_sender(*, account: Account, enabled: bool) -> Account:
    """Send returns to the default sender address (enabled) or to a separate return address.

    Enabling removes the separate return address: an account has one or the other.
    """
    locked = _lock_account(account)
    if enabled:
        Address.objects.filter(account=account, kind=Address.Kind.RETURN).delete()
    locked.return_same_as_sender = enabled
    locked.save(update_fields=["return_same_as_sender"])
    account.return_same_as_sender = enabled
    return locked


# --- direct debit ---------------------------------------------------------------------


def _mandate_reference() -> str:
    # 80 random bits in base32: A-Z and 2-7 only, all inside the SEPA reference alphabet.
    return "COLIS-" + base64.b32encode(secrets.token_bytes(10)).decode("ascii")


@transaction.atomic
def direct_debit_mandate_create(
    *, account: Account, data: Mapping[str, Any], language: str = "en"
) -> DirectDebitMandate:
    """Sign a SEPA Core mandate: IBAN and BIC checked (BIC derived when left blank), the
    mandate text accepted explicitly, a unique reference generated, signed today.

    Refuses a second active mandate: revoke the current one first.
    """
    form = DirectDebitForm(data={name: data.get(name) for name in DirectDebitForm.base_fields})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    _lock_account(account)
    already_active = _(
        "This account already has an active mandate: revoke it before signing a new one."
    )
    if direct_debit_mandate_active(account=account) is not None:
        raise _invalid(None, already_active, "mandate_exists")
    text = mandate_text(language=language)
    cleaned = form.cleaned_data
    iban: str = cleaned["iban"]
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return DirectDebitMandate.objects.create(
                    account=account,
                    state=DirectDebitMandate.State.ACTIVE,
                    reference=_mandate_reference(),
                    account_holder=" ".join(cleaned["account_holder"].split()),
                    iban=iban,
                    iban_last4=iban[-4:],
                    iban_country=cleaned["iban_country"],
                    bic=cleaned["bic"],
                    signed_on=timezone.localdate(clock.now()),
                    accepted_text_version=text.version,
                    accepted_language=text.language,
                )
        except IntegrityError:
            # A concurrent signature won the one-active-mandate constraint...
            if direct_debit_mandate_active(account=account) is not None:
                raise _invalid(None, already_active, "mandate_exists") from None
            # ...or a reference collision (80 random bits: practically never): try another.
            continue
    raise RuntimeError("could not generate a unique mandate reference")


@transaction.atomic
def direct_debit_mandate_revoke(*, account: Account) -> DirectDebitMandate:
    """Revoke the account's active mandate. Raises DirectDebitMandate.DoesNotExist without one."""
    _lock_account(account)
    mandate = DirectDebitMandate.objects.get(account=account, state=DirectDebitMandate.State.ACTIVE)
    DirectDebitMandate.objects.filter(pk=mandate.pk, state=DirectDebitMandate.State.ACTIVE).update(
        state=DirectDebitMandate.State.REVOKED, revoked_at=clock.now(), updated_at=clock.now()
    )
    mandate.refresh_from_db()
    return mandate
