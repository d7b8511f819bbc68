"""Validators for onboarding data: postal codes, phones, VAT numbers, IBAN and BIC.

Pure functions: each takes a raw value and returns the normalised value or raises
django's ValidationError with a translated message and a code. The address and
direct-debit forms (colis.accounts.forms) call them; the services call the forms; so
the panel and the API share exactly one set of rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

MARKUP_CHARS = ("<", ">")

# Postal-code rules, after normalisation (upper case, surrounding blanks removed).
# Each: (pattern that accepts the common spellings, normaliser, example shown in errors).
_GB_POSTCODE = (
    r"(?:GIR ?0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|"
    r"[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})"
)
POSTAL_CODE_RULES: dict[str, tuple[str, str]] = {
    # country: (regex, example)
    "AT": (r"[1-9]\d{3}", "1010"),
    "BE": (r"[1-9]\d{3}", "1000"),
    "CH": (r"[1-9]\d{3}", "8001"),
    "CZ": (r"\d{3} ?\d{2}", "110 00"),
    "DE": (r"\d{5}", "10115"),
    "DK": (r"(?:DK-)?[1-9]\d{3}", "1050"),
    "ES": (r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}", "28001"),
    "FI": (r"\d{5}", "00100"),
    "FR": (r"\d{5}", "75001"),
    "GB": (_GB_POSTCODE, "SW1A 1AA"),
    "IE": (r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}", "D02 X285"),
    "IT": (r"\d{5}", "00184"),
    "LU": (r"(?:L-)?\d{4}", "1111"),
    "NL": (r"[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}", "1012 AB"),
    "NO": (r"\d{4}", "0150"),
    "PL": (r"\d{2}-?\d{3}", "00-001"),
    "PT": (r"\d{4}-?\d{3}", "1000-001"),
    "SE": (r"\d{3} ?\d{2}", "111 22"),
    "US": (r"\d{5}(?:-?\d{4})?", "10001"),
}


def _normalise_postal_code(country: str, value: str) -> str:
    """The canonical spelling of a postal code already known to match its country's rule."""
    compact = value.replace(" ", "").replace("-", "")
    if country == "GB":
        return f"{compact[:-3]} {compact[-3:]}"
    if country == "IE":
        return f"{compact[:3]} {compact[3:]}"
    if country == "NL":
        return f"{compact[:4]} {compact[4:]}"
    if country in {"SE", "CZ"}:
        return f"{compact[:3]} {compact[3:]}"
    if country == "PL":
        return f"{compact[:2]}-{compact[2:]}"
    if country == "PT":
        return f"{compact[:4]}-{compact[4:]}"
    if country == "US":
        return compact if len(compact) == 5 else f"{compact[:5]}-{compact[5:]}"
    if country in {"LU", "DK"}:
        return compact.removeprefix("L").removeprefix("DK")
    return compact


def validate_postal_code(value: str, country: str) -> str:
    """Check a postal code against its country's rule, where colis knows one; normalise it."""
    cleaned = " ".join(value.upper().split())
    if not cleaned:
        raise ValidationError(_("Enter a postal code."), code="required")
    rule = POSTAL_CODE_RULES.get(country)
    if rule is None:
        # No rule for this country: accept letters, digits, blanks and hyphens only.
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]{0,15}", cleaned):
            raise ValidationError(_("Enter a valid postal code."), code="invalid_postal_code")
        return cleaned
    pattern, example = rule
    if not re.fullmatch(pattern, cleaned):
        raise ValidationError(
            _("Enter a valid postal code for this country (for example %(example)s).")
            % {"example": example},
            code="invalid_postal_code",
        )
    return _normalise_postal_code(country, cleaned)


def validate_phone(value: str, country: str) -> str:
    """Parse a phone number (national for the country, or international) and return E.164."""
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid phone number for this country, or an international number (+…)."),
            code="invalid_phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_no_markup(value: str) -> None:
    if any(char in value for char in MARKUP_CHARS):
        raise ValidationError(_("The characters < and > are not allowed."), code="markup")


# EU VAT identification numbers: the prefix is the country code (EL for Greece, XI for
# Northern Ireland), the rest follows each member state's format.
VAT_RULES: dict[str, str] = {
    "AT": r"ATU\d{8}",
    "BE": r"BE[01]\d{9}",
    "BG": r"BG\d{9,10}",
    "CY": r"CY\d{8}[A-Z]",
    "CZ": r"CZ\d{8,10}",
    "DE": r"DE\d{9}",
    "DK": r"DK\d{8}",
    "EE": r"EE\d{9}",
    "GR": r"EL\d{9}",
    "ES": r"ES[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"FI\d{8}",
    "FR": r"FR[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"HR\d{11}",
    "HU": r"HU\d{8}",
    "IE": r"IE\d{7}[A-W][A-I]?|IE\d[A-Z+*]\d{5}[A-W]",
    "IT": r"IT\d{11}",
    "LT": r"LT(?:\d{9}|\d{12})",
    "LU": r"LU\d{8}",
    "LV": r"LV\d{11}",
    "MT": r"MT\d{8}",
    "NL": r"NL\d{9}B\d{2}",
    "PL": r"PL\d{10}",
    "PT": r"PT\d{9}",
    "RO": r"RO[1-9]\d{1,9}",
    "SE": r"SE\d{10}01",
    "SI": r"SI\d{8}",
    "SK": r"SK\d{10}",
    # Northern Ireland keeps EU VAT numbers with the XI prefix; Great Britain uses GB.
    "GB": r"(?:GB|XI)(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})",
}


def vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def validate_vat_number(value: str, country: str) -> str:
    """Check an EU VAT number against its country's format; return it compact and upper case."""
    compact = re.sub(r"[\s.\-]", "", value.upper())
    if not compact:
        return ""
    rule = VAT_RULES.get(country)
    if rule is None:
        raise ValidationError(
            _("colis checks EU VAT numbers only; leave this empty for an address outside the EU."),
            code="invalid_vat_number",
        )
    if not re.fullmatch(rule, compact):
        expected = "GB / XI" if country == "GB" else vat_prefix(country)
        raise ValidationError(
            _(
                "Enter a valid VAT number for this country: it starts with %(prefix)s, "
                "followed by the national number."
            )
            % {"prefix": expected},
            code="invalid_vat_number",
        )
    return compact


@dataclass(frozen=True)
class BankAccount:
    iban: str  # compact, upper case
    bic: str  # compact, upper case, 8 or 11 characters
    country: str


def validate_iban(value: str) -> IBAN:
    try:
        iban = IBAN(value)
    except (SchwiftyException, ValueError) as exc:
        raise ValidationError(
            _("Enter a valid IBAN (check the country code, length and check digits)."),
            code="invalid_iban",
        ) from exc
    if not iban.in_sepa_zone:
        raise ValidationError(
            _("SEPA direct debit needs an account in the SEPA zone."), code="iban_not_sepa"
        )
    return iban


def validate_bic(value: str) -> BIC:
    try:
        return BIC(value)
    except (SchwiftyException, ValueError) as exc:
        raise ValidationError(
            _("Enter a valid BIC (8 or 11 letters and digits)."), code="invalid_bic"
        ) from exc


def _bank_bics(iban: IBAN) -> list[str]:
    """The BICs schwifty's bank registry knows for the IBAN's bank; empty when unknown."""
    try:
        return [str(b) for b in BIC.candidates_from_bank_code(iban.country_code, iban.bank_code)]
    except (SchwiftyException, ValueError, KeyError):
        return []


def validate_bank_account(*, iban: str, bic: str = "") -> BankAccount:
    """Check an IBAN and BIC together: the BIC is derived when blank, refused when it does not fit.

    Raises ValidationError with an error dict naming the field ("iban" or "bic").
    """
    try:
        parsed = validate_iban(iban)
    except ValidationError as exc:
        raise ValidationError({"iban": exc}) from exc
    bic = "".join(bic.split()).upper()
    if not bic:
        candidates = _bank_bics(parsed)
        derived = parsed.bic
        if derived is None and len(candidates) == 1:
            derived = BIC(candidates[0])
        if derived is None:
            raise ValidationError(
                {
                    "bic": ValidationError(
                        _("colis cannot find the BIC of this bank: please enter it."),
                        code="bic_required",
                    )
                }
            )
        return BankAccount(
            iban=parsed.compact, bic=str(derived.compact), country=parsed.country_code
        )
    try:
        parsed_bic = validate_bic(bic)
    except ValidationError as exc:
        raise ValidationError({"bic": exc}) from exc
    if parsed_bic.country_code != parsed.country_code and not _same_sepa_banking_area(
        parsed_bic.country_code, parsed.country_code
    ):
        raise ValidationError(
            {
                "bic": ValidationError(
                    _("This BIC belongs to another country than the IBAN."), code="bic_mismatch"
                )
            }
        )
    candidates = _bank_bics(parsed)
    if candidates and parsed_bic.compact[:6] not in {c[:6] for c in candidates}:
        raise ValidationError(
            {
                "bic": ValidationError(
                    _("This BIC belongs to another bank than the IBAN."), code="bic_mismatch"
                )
            }
        )
    return BankAccount(iban=parsed.compact, bic=parsed_bic.compact, country=parsed.country_code)


# IBAN countries whose banks may carry another country's BIC (French overseas departments
# and Monaco bank with French BICs; the Channel Islands and the Isle of Man with British ones).
_SHARED_BANKING = [
    {"FR", "MC", "GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF"},
    {"GB", "GG", "JE", "IM"},
]


def _same_sepa_banking_area(a: str, b: str) -> bool:
    return any(a in group and b in group for group in _SHARED_BANKING)
