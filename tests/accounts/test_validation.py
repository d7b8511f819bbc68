"""The onboarding validators: postal codes, phones, VAT numbers, IBAN and BIC."""

from __future__ import annotations

import contextlib
import re

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schwifty import IBAN

from colis.accounts.validation import (
    POSTAL_CODE_RULES,
    VAT_RULES,
    validate_bank_account,
    validate_iban,
    validate_no_markup,
    validate_phone,
    validate_postal_code,
    validate_vat_number,
)

REQUIRED_POSTAL_RULES = {
    "FR",
    "DE",
    "IT",
    "ES",
    "GB",
    "NL",
    "BE",
    "AT",
    "PL",
    "PT",
    "IE",
    "US",
    "CH",
    "SE",
    "DK",
    "LU",
}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_postal_rules_cover_the_required_countries() -> None:
    assert set(POSTAL_CODE_RULES) >= REQUIRED_POSTAL_RULES


@pytest.mark.parametrize(
    ("country", "raw", "stored"),
    [
        ("FR", "75001", "75001"),
        ("DE", " 10115 ", "10115"),
        ("GB", "sw1a1aa", "SW1A 1AA"),
        ("GB", "EC1A 1BB", "EC1A 1BB"),
        ("NL", "1012ab", "1012 AB"),
        ("PL", "00001", "00-001"),
        ("PT", "1000-001", "1000-001"),
        ("SE", "11122", "111 22"),
        ("IE", "d02x285", "D02 X285"),
        ("US", "10001-1234", "10001-1234"),
        ("LU", "L-1111", "1111"),
        ("CH", "8001", "8001"),
        ("JP", "100-0001", "100-0001"),  # no rule: letters, digits, blanks, hyphens
    ],
)
def test_postal_codes_accepted_and_normalised(country: str, raw: str, stored: str) -> None:
    assert validate_postal_code(raw, country) == stored


@pytest.mark.parametrize(
    ("country", "raw"),
    [
        ("FR", "7500"),
        ("DE", "1011A"),
        ("ES", "53001"),
        ("GB", "12345"),
        ("NL", "0123 AB"),
        ("NL", "1012 SA"),
        ("BE", "0999"),
        ("AT", "123"),
        ("US", "1234"),
        ("JP", "<script>"),
    ],
)
def test_postal_codes_refused(country: str, raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_postal_code(raw, country)
    assert info.value.code == "invalid_postal_code"


@FAST
@given(data=st.data(), country=st.sampled_from(sorted(POSTAL_CODE_RULES)))
def test_every_code_a_rule_accepts_normalises_to_a_stable_accepted_form(
    data: st.DataObject, country: str
) -> None:
    pattern = POSTAL_CODE_RULES[country][0]
    raw = data.draw(st.from_regex(re.compile(pattern), fullmatch=True))
    stored = validate_postal_code(raw, country)
    assert len(stored) <= 16
    assert validate_postal_code(stored, country) == stored  # idempotent


@FAST
@given(raw=st.text(max_size=40), country=st.sampled_from([*sorted(POSTAL_CODE_RULES), "JP", "BR"]))
def test_postal_code_never_crashes_and_never_overflows(raw: str, country: str) -> None:
    try:
        stored = validate_postal_code(raw, country)
    except ValidationError:
        return
    assert len(stored) <= 16
    assert "<" not in stored and ">" not in stored


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("030 1234567", "DE", "+49301234567"),
        ("01 42 68 53 00", "FR", "+33142685300"),
        ("+44 20 7946 0958", "FR", "+442079460958"),
        ("(212) 555-0123", "US", "+12125550123"),
    ],
)
def test_phone_stored_e164(raw: str, country: str, e164: str) -> None:
    assert validate_phone(raw, country) == e164


@pytest.mark.parametrize("raw", ["12", "abc", "+49 1", "0000000000000000000000"])
def test_phone_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        validate_phone(raw, "DE")


@FAST
@given(
    region=st.sampled_from(sorted(REQUIRED_POSTAL_RULES)), kind=st.sampled_from(["fixed", "mobile"])
)
def test_example_numbers_round_trip(region: str, kind: str) -> None:
    number_type = (
        phonenumbers.PhoneNumberType.FIXED_LINE
        if kind == "fixed"
        else phonenumbers.PhoneNumberType.MOBILE
    )
    example = phonenumbers.example_number_for_type(region, number_type)
    assume(example is not None)
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = validate_phone(national, region)
    assert e164 == phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert validate_phone(e164, region) == e164


@FAST
@given(raw=st.text(max_size=40), country=st.sampled_from(["DE", "FR", "GB", "US"]))
def test_phone_never_crashes_and_returns_e164(raw: str, country: str) -> None:
    try:
        stored = validate_phone(raw, country)
    except ValidationError:
        return
    assert re.fullmatch(r"\+[1-9]\d{5,14}", stored)


@pytest.mark.parametrize(
    ("raw", "country", "stored"),
    [
        ("DE 123 456 789", "DE", "DE123456789"),
        ("EL123456789", "GR", "EL123456789"),
        ("ATU12345678", "AT", "ATU12345678"),
        ("FR12345678901", "FR", "FR12345678901"),
        ("NL123456789B01", "NL", "NL123456789B01"),
        ("it12345678901", "IT", "IT12345678901"),
        ("", "DE", ""),
    ],
)
def test_vat_accepted(raw: str, country: str, stored: str) -> None:
    assert validate_vat_number(raw, country) == stored


@pytest.mark.parametrize(
    ("raw", "country"),
    [
        ("FR12345678901", "DE"),
        ("GR123456789", "GR"),
        ("DE12345678", "DE"),
        ("AT12345678", "AT"),
        ("US123", "US"),
    ],
)
def test_vat_refused(raw: str, country: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_vat_number(raw, country)
    assert info.value.code == "invalid_vat_number"


def test_vat_rules_use_el_for_greece() -> None:
    assert VAT_RULES["GR"].startswith("EL")


def test_markup_refused() -> None:
    with pytest.raises(ValidationError):
        validate_no_markup("<b>Shop</b>")
    validate_no_markup("Müller & Söhne")


# --- IBAN / BIC -----------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=10)


@FAST
@given(account=digits)
def test_generated_ibans_pass_and_any_single_digit_change_fails(account: str) -> None:
    iban = str(IBAN.generate("DE", bank_code="37040044", account_code=account))
    assert validate_iban(iban).compact == iban
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    assert validate_iban(spaced.lower()).compact == iban
    # mod-97 catches every single-character substitution in the digits
    for position in range(4, len(iban)):
        for replacement in "0123456789":
            if replacement == iban[position]:
                continue
            broken = iban[:position] + replacement + iban[position + 1 :]
            with pytest.raises(ValidationError):
                validate_iban(broken)
            break


@FAST
@given(raw=st.text(max_size=40))
def test_iban_never_crashes(raw: str) -> None:
    with contextlib.suppress(ValidationError):
        validate_iban(raw)


def test_bic_derived_from_iban_when_blank() -> None:
    account = validate_bank_account(iban="DE89 3704 0044 0532 0130 00")
    assert (account.iban, account.bic, account.country) == (
        "DE89370400440532013000",
        "COBADEFFXXX",
        "DE",
    )


@pytest.mark.parametrize(
    ("iban", "bic", "field", "code"),
    [
        ("DE89370400440532013001", "", "iban", "invalid_iban"),
        ("XX89370400440532013000", "", "iban", "invalid_iban"),
        ("BR1800360305000010009795493C1", "", "iban", "iban_not_sepa"),
        ("DE89370400440532013000", "BNPAFRPP", "bic", "bic_mismatch"),  # other country
        ("DE89370400440532013000", "DEUTDEFF", "bic", "bic_mismatch"),  # other bank
        ("DE89370400440532013000", "COBA", "bic", "invalid_bic"),
    ],
)
def test_bank_account_refused_on_the_right_field(
    iban: str, bic: str, field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        validate_bank_account(iban=iban, bic=bic)
    errors = info.value.error_dict
    assert list(errors) == [field]
    assert errors[field][0].code == code


def test_matching_bic_accepted_in_8_or_11_characters() -> None:
    assert validate_bank_account(iban="DE89370400440532013000", bic="COBADEFF").bic == "COBADEFF"
    assert (
        validate_bank_account(iban="DE89370400440532013000", bic="cobadeffxxx").bic == "COBADEFFXXX"
    )
