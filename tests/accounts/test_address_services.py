"""Address services: validation, one default sender, one return/billing, atomic writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from colis.accounts.models import Account, Address, User
from colis.accounts.selectors import onboarding_state
from colis.accounts.services import (
    account_set_return_same_as_sender,
    address_create,
    address_delete,
    address_set_default,
    address_update,
)

GOOD = {
    "name": "Lager Berlin",
    "company": "Beispiel GmbH",
    "street": "Hauptstr. 1",
    "postal_code": "10115",
    "city": "Berlin",
    "country": "DE",
    "phone": "030 1234567",
    "email": "lager@example.test",
}


@pytest.fixture
def account(user: User) -> Account:
    assert user.account is not None
    return user.account


def fields_of(exc: ValidationError) -> set[str]:
    return set(exc.error_dict)


def test_create_normalises_and_first_sender_is_default(account: Account) -> None:
    first = address_create(account=account, kind="sender", data=GOOD)
    assert first.is_default
    assert first.phone == "+49301234567"
    second = address_create(account=account, kind="sender", data={**GOOD, "name": "Lager 2"})
    assert not second.is_default


def test_setting_another_default_unsets_the_old(account: Account) -> None:
    first = address_create(account=account, kind="sender", data=GOOD)
    second = address_create(account=account, kind="sender", data=GOOD)
    address_set_default(account=account, address_id=second.pk)
    defaults = list(
        Address.objects.filter(account=account, is_default=True).values_list("pk", flat=True)
    )
    assert defaults == [second.pk]
    first.refresh_from_db()
    assert not first.is_default


def test_create_with_make_default(account: Account) -> None:
    address_create(account=account, kind="sender", data=GOOD)
    new = address_create(account=account, kind="sender", data=GOOD, make_default=True)
    assert list(Address.objects.filter(account=account, is_default=True)) == [new]


def test_deleting_the_default_promotes_another(account: Account) -> None:
    first = address_create(account=account, kind="sender", data=GOOD)
    second = address_create(account=account, kind="sender", data=GOOD)
    address_create(account=account, kind="sender", data=GOOD)
    address_delete(account=account, address_id=first.pk)
    second.refresh_from_db()
    assert second.is_default
    assert Address.objects.filter(account=account, is_default=True).count() == 1


def test_only_sender_can_be_default(account: Account) -> None:
    billing = address_create(account=account, kind="billing", data=GOOD)
    with pytest.raises(ValidationError):
        address_set_default(account=account, address_id=billing.pk)


def test_one_return_and_one_billing(account: Account) -> None:
    address_create(account=account, kind="return", data=GOOD)
    address_create(account=account, kind="billing", data=GOOD)
    for kind in ("return", "billing"):
        with pytest.raises(ValidationError) as info:
            address_create(account=account, kind=kind, data=GOOD)
        assert fields_of(info.value) == {"kind"}
    assert Address.objects.filter(account=account).count() == 2


def test_unknown_kind_refused(account: Account) -> None:
    with pytest.raises(ValidationError) as info:
        address_create(account=account, kind="warehouse", data=GOOD)
    assert fields_of(info.value) == {"kind"}


BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("unknown country", {"country": "XX"}, "country"),
    ("invalid postal code", {"postal_code": "ABCDE"}, "postal_code"),
    ("invalid phone", {"phone": "12"}, "phone"),
    ("invalid e-mail", {"email": "not-an-email"}, "email"),
    ("oversized name", {"name": "x" * 101}, "name"),
    ("oversized street", {"street": "x" * 151}, "street"),
    ("oversized postal code", {"postal_code": "1" * 17}, "postal_code"),
    ("markup in name", {"name": "<script>alert(1)</script>"}, "name"),
    ("markup in street", {"street": "Hauptstr. 1 <b>"}, "street"),
    ("markup in company", {"company": "A > B"}, "company"),
    ("bad VAT", {"vat_number": "FR123"}, "vat_number"),
    ("missing name", {"name": ""}, "name"),
    ("NUL byte", {"city": "Ber\x00lin"}, "city"),
]


@pytest.mark.parametrize(("label", "change", "field"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_a_field_error_and_nothing_is_saved(
    account: Account, label: str, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        address_create(account=account, kind="billing", data={**GOOD, **change})
    assert field in fields_of(info.value)
    assert Address.objects.count() == 0


def test_update_is_all_or_nothing(account: Account) -> None:
    address = address_create(account=account, kind="sender", data=GOOD)
    with pytest.raises(ValidationError):
        address_update(
            account=account, address_id=address.pk, data={**GOOD, "city": "Köln", "phone": "1"}
        )
    address.refresh_from_db()
    assert address.city == "Berlin"


def test_partial_update_keeps_other_fields(account: Account) -> None:
    address = address_create(account=account, kind="sender", data=GOOD)
    address_update(
        account=account,
        address_id=address.pk,
        data={"city": "Potsdam", "postal_code": "14467"},
        partial=True,
    )
    address.refresh_from_db()
    assert (address.city, address.postal_code, address.name) == ("Potsdam", "14467", "Lager Berlin")


def test_update_cannot_undefault_the_default(account: Account) -> None:
    address = address_create(account=account, kind="sender", data=GOOD)
    with pytest.raises(ValidationError) as info:
        address_update(
            account=account, address_id=address.pk, data={}, partial=True, make_default=False
        )
    assert fields_of(info.value) == {"is_default"}


def test_another_accounts_address_does_not_exist(
    account: Account, make_user: Callable[..., User]
) -> None:
    other = make_user().account
    theirs = address_create(account=other, kind="sender", data=GOOD)
    for call in (
        lambda: address_update(account=account, address_id=theirs.pk, data=GOOD),
        lambda: address_delete(account=account, address_id=theirs.pk),
        lambda: address_set_default(account=account, address_id=theirs.pk),
    ):
        with pytest.raises(Address.DoesNotExist):
            call()
    theirs.refresh_from_db()
    assert theirs.name == GOOD["name"]


def test_return_same_as_sender_replaces_the_return_address(account: Account, user: User) -> None:
    address_create(account=account, kind="sender", data=GOOD)
    address_create(account=account, kind="return", data=GOOD)
    account_set_return_same_as_sender(account=account, enabled=True)
    account.refresh_from_db()
    assert account.return_same_as_sender
    assert not Address.objects.filter(account=account, kind="return").exists()
    assert onboarding_state(account=account, user=user).return_address
    # adding a return address again switches the flag off
    address_create(account=account, kind="return", data=GOOD)
    account.refresh_from_db()
    assert not account.return_same_as_sender


def test_same_as_sender_needs_a_sender_to_count(account: Account, user: User) -> None:
    account_set_return_same_as_sender(account=account, enabled=True)
    assert not onboarding_state(account=account, user=user).return_address
