"""The one set of rules for onboarding input, shared by the panel and the API.

Services run these forms on the data they receive (a POST or a JSON body) and raise a
ValidationError with one entry per field; views render the same form with its errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from colis.accounts.models import Address, DirectDebitMandate
from colis.accounts.validation import (
    validate_bank_account,
    validate_no_markup,
    validate_phone,
    validate_postal_code,
    validate_vat_number,
)

ADDRESS_FIELDS = (
    "name",
    "company",
    "street",
    "street2",
    "postal_code",
    "city",
    "country",
    "phone",
    "email",
    "vat_number",
)
_MARKUP_FREE = ("name", "company", "street", "street2", "city")
_AUTOCOMPLETE = {
    "name": "name",
    "company": "organization",
    "street": "address-line1",
    "street2": "address-line2",
    "postal_code": "postal-code",
    "city": "address-level2",
    "country": "country",
    "phone": "tel",
    "email": "email",
}


def _max(model: type[Any], field: str) -> int:
    return int(model._meta.get_field(field).max_length)


class CountryChoiceField(forms.ChoiceField):
    """An ISO 3166-1 alpha-2 code known to django-countries; accepts lower case."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self._choices, **kwargs)
        self.error_messages["invalid_choice"] = _("Choose a country from the list (ISO code).")

    @staticmethod
    def _choices() -> list[tuple[str, str]]:
        return [("", "—"), *((str(c.code), str(c.name)) for c in countries)]

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()


class AddressForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=_max(Address, "name"))
    company = forms.CharField(
        label=_("Company"), max_length=_max(Address, "company"), required=False
    )
    street = forms.CharField(label=_("Street and number"), max_length=_max(Address, "street"))
    street2 = forms.CharField(
        label=_("Address line 2"), max_length=_max(Address, "street2"), required=False
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=_max(Address, "postal_code"))
    city = forms.CharField(label=_("City"), max_length=_max(Address, "city"))
    country = CountryChoiceField(label=_("Country"))
    phone = forms.CharField(label=_("Phone"), max_length=_max(Address, "phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=_max(Address, "email"), required=False)
    vat_number = forms.CharField(
        label=_("VAT number"), max_length=_max(Address, "vat_number"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in _MARKUP_FREE:
            self.fields[name].validators.append(validate_no_markup)
        for name, hint in _AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = hint

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        if not country:
            return data  # the country's own error is enough; nothing to check against
        for field, check in (
            ("postal_code", validate_postal_code),
            ("phone", validate_phone),
            ("vat_number", validate_vat_number),
        ):
            value = data.get(field)
            if not value:
                continue
            try:
                data[field] = check(value, country)
            except ValidationError as exc:
                self.add_error(field, exc)
        return data


class DirectDebitForm(forms.Form):
    account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=_max(DirectDebitMandate, "account_holder"),
        validators=[validate_no_markup],
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bic = forms.CharField(
        label=_("BIC"),
        max_length=14,
        required=False,
        help_text=_("Leave empty and colis looks it up from the IBAN where it can."),
    )
    accept = forms.BooleanField(
        label=_("I accept the SEPA direct debit mandate above."),
        error_messages={"required": _("Tick the box to accept the mandate.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "iban" not in data:
            return data
        try:
            account = validate_bank_account(iban=data["iban"], bic=data.get("bic") or "")
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(field, errors)
            return data
        data["iban"] = account.iban
        data["bic"] = account.bic
        data["iban_country"] = account.country
        return data
