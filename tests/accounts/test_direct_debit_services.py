"""Direct-debit services: checked IBAN/BIC, explicit acceptance, one active mandate, revoke."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from colis.accounts.mandate import CREDITOR_NAME, MANDATE_TEXT_VERSION, mandate_text
from colis.accounts.models import Account, DirectDebitMandate, User
from colis.accounts.selectors import (
    OnboardingIncomplete,
    direct_debit_mandate_active,
    onboarding_require_ready,
    onboarding_state,
)
from colis.accounts.services import direct_debit_mandate_create, direct_debit_mandate_revoke

GOOD = {
    "account_holder": "Beispiel GmbH",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "",
    "accept": True,
}


@pytest.fixture
def account(user: User) -> Account:
    assert user.account is not None
    return user.account


def test_create_mandate(account: Account) -> None:
    mandate = direct_debit_mandate_create(account=account, data=GOOD, language="fr")
    assert mandate.state == "active"
    assert re.fullmatch(r"COLIS-[A-Z2-7]{16}", mandate.reference)
    assert mandate.iban == "DE89370400440532013000"
    assert (mandate.iban_last4, mandate.iban_country, mandate.bic) == ("3000", "DE", "COBADEFFXXX")
    assert mandate.signed_on == timezone.localdate()
    assert (mandate.accepted_text_version, mandate.accepted_language) == (
        MANDATE_TEXT_VERSION,
        "fr",
    )


def test_references_are_unique(make_user: Any) -> None:
    refs = {
        direct_debit_mandate_create(account=make_user().account, data=GOOD).reference
        for _ in range(5)
    }
    assert len(refs) == 5


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("malformed IBAN", {"iban": "DE89 3704"}, "iban"),
    ("wrong checksum", {"iban": "DE88370400440532013000"}, "iban"),
    ("IBAN/BIC country mismatch", {"bic": "BNPAFRPPXXX"}, "bic"),
    ("IBAN/BIC bank mismatch", {"bic": "DEUTDEFFXXX"}, "bic"),
    ("malformed BIC", {"bic": "CO BA"}, "bic"),
    ("missing acceptance", {"accept": False}, "accept"),
    ("acceptance absent", {"accept": None}, "accept"),
    ("missing holder", {"account_holder": ""}, "account_holder"),
    ("oversized holder", {"account_holder": "x" * 71}, "account_holder"),
    ("markup in holder", {"account_holder": "<img src=x>"}, "account_holder"),
    ("oversized IBAN", {"iban": "DE" + "1" * 60}, "iban"),
]


@pytest.mark.parametrize(("label", "change", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_a_field_error_and_nothing_saved(
    account: Account, label: str, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        direct_debit_mandate_create(account=account, data={**GOOD, **change})
    assert field in info.value.error_dict
    assert DirectDebitMandate.objects.count() == 0


def test_second_active_mandate_refused(account: Account) -> None:
    direct_debit_mandate_create(account=account, data=GOOD)
    with pytest.raises(ValidationError) as info:
        direct_debit_mandate_create(account=account, data=GOOD)
    assert info.value.error_dict["__all__"][0].code == "mandate_exists"
    assert DirectDebitMandate.objects.filter(account=account).count() == 1


def test_revoke_then_sign_again(account: Account, user: User) -> None:
    first = direct_debit_mandate_create(account=account, data=GOOD)
    assert onboarding_state(account=account, user=user).direct_debit
    revoked = direct_debit_mandate_revoke(account=account)
    assert revoked.pk == first.pk
    assert revoked.state == "revoked"
    assert isinstance(revoked.revoked_at, dt.datetime)
    assert direct_debit_mandate_active(account=account) is None
    assert not onboarding_state(account=account, user=user).direct_debit
    second = direct_debit_mandate_create(account=account, data=GOOD)
    assert second.reference != first.reference


def test_revoke_without_mandate(account: Account) -> None:
    with pytest.raises(DirectDebitMandate.DoesNotExist):
        direct_debit_mandate_revoke(account=account)


def test_mandate_text_versioned_in_both_languages() -> None:
    en, fr = mandate_text(language="en"), mandate_text(language="fr")
    assert en.version == fr.version == MANDATE_TEXT_VERSION
    assert CREDITOR_NAME in en.text and CREDITOR_NAME in fr.text
    assert "creditor identifier" in en.text and "identifiant créancier" in fr.text
    assert mandate_text(language="de").language == "en"


def test_onboarding_require_ready(make_user: Any) -> None:
    user = make_user()
    with pytest.raises(OnboardingIncomplete) as info:
        onboarding_require_ready(account=user.account, user=user)
    assert info.value.missing == [
        "sender_address",
        "return_address",
        "billing_address",
        "direct_debit",
    ]
    assert "Add a sender address" in info.value.message()
    ready = make_user(ready=True)
    assert onboarding_require_ready(account=ready.account, user=ready).ready
    unverified = make_user(verified=False, ready=True)
    with pytest.raises(OnboardingIncomplete) as info:
        onboarding_require_ready(account=unverified.account, user=unverified)
    assert info.value.missing == ["email_verified"]
