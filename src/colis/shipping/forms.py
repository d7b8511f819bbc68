"""Carrier credential forms, built from each connector's `credential_fields`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from colis.shipping import ports


def credentials_form_class(carrier: ports.Carrier) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    for spec in carrier.credential_fields:
        validators = (
            [RegexValidator(f"^(?:{spec.pattern})$", spec.pattern_message or "Invalid value.")]
            if spec.pattern
            else []
        )
        if spec.kind == "bool":
            fields[spec.name] = forms.BooleanField(label=spec.label, required=False)
        else:
            widget = forms.PasswordInput(render_value=False) if spec.secret else forms.TextInput
            fields[spec.name] = forms.CharField(
                label=spec.label,
                required=spec.required,
                max_length=200,
                validators=validators,
                widget=widget,
                help_text=spec.help_text,
                strip=True,
            )
    return type(f"{carrier.name.title()}CredentialsForm", (forms.Form,), fields)


def credentials_clean(
    carrier: ports.Carrier, data: Mapping[str, Any], *, previous: Mapping[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate credentials. On update (`previous`), a field not given or a secret left
    empty keeps its previous value.

    Returns (clean values, {field: [messages]}).
    """
    merged = dict(data)
    for spec in carrier.credential_fields:
        if previous is not None and (
            spec.name not in merged or (spec.secret and not str(merged[spec.name] or "").strip())
        ):  # an update: what is not given (or a secret left empty) keeps its value
            merged[spec.name] = previous.get(spec.name, "")
        if merged.get(spec.name) in (None, "") and spec.default is not None:
            merged[spec.name] = str(spec.default)
        if spec.kind == "int" and isinstance(merged.get(spec.name), int):
            merged[spec.name] = str(merged[spec.name])
    unknown = sorted(set(merged) - {s.name for s in carrier.credential_fields})
    form = credentials_form_class(carrier)(data=merged)
    errors: dict[str, list[str]] = {}
    if not form.is_valid():
        errors = {field: [str(m) for m in msgs] for field, msgs in form.errors.items()}
    for name in unknown:
        errors.setdefault(name, []).append("Unknown field for this carrier.")
    if errors:
        return {}, errors
    clean: dict[str, Any] = {}
    for spec in carrier.credential_fields:
        value = form.cleaned_data.get(spec.name)
        if spec.kind == "int" and value not in (None, ""):
            value = int(value)
        if value not in (None, ""):
            clean[spec.name] = value
    return clean, errors
