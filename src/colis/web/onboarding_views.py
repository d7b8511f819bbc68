"""Panel pages for onboarding: addresses, SEPA direct debit, connected shops.

Thin: every write goes through colis.accounts.services, which run the same forms as the
API; a rejected POST re-renders the form with each error next to its field.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from colis.accounts import services
from colis.accounts.forms import ADDRESS_FIELDS, AddressForm, DirectDebitForm
from colis.accounts.mandate import mandate_text
from colis.accounts.models import Address, DirectDebitMandate
from colis.accounts.selectors import (
    OnboardingIncomplete,
    address_get,
    address_list,
    direct_debit_mandate_active,
    onboarding_require_ready,
)
from colis.web.request import panel_account, panel_user

FormT = TypeVar("FormT", bound=forms.Form)


def _bind_errors(form: FormT, exc: ValidationError) -> FormT:
    """The bound form with its own errors plus those only the service could find."""
    form.is_valid()
    items = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    for field, errors in items.items():
        target = field if field in form.fields else None
        shown = list(form.errors.get(target or NON_FIELD_ERRORS, []))
        for error in errors:
            for message in error.messages:
                if message not in shown:
                    form.add_error(target, ValidationError(message, code=error.code))
    return form


def _address_or_404(request: HttpRequest, pk: int) -> Address:
    try:
        return address_get(account=panel_account(request), address_id=pk)
    except Address.DoesNotExist as exc:
        raise Http404 from exc


def _kind_title(kind: str, *, editing: bool) -> str:
    titles = {
        Address.Kind.SENDER: (_("Add a sender address"), _("Edit sender address")),
        Address.Kind.RETURN: (_("Add a return address"), _("Edit return address")),
        Address.Kind.BILLING: (_("Add a billing address"), _("Edit billing address")),
    }
    return titles[Address.Kind(kind)][1 if editing else 0]


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    all_addresses = address_list(account=account)
    context = {
        "senders": [a for a in all_addresses if a.kind == Address.Kind.SENDER],
        "return_address": next((a for a in all_addresses if a.kind == Address.Kind.RETURN), None),
        "billing_address": next((a for a in all_addresses if a.kind == Address.Kind.BILLING), None),
        "return_same_as_sender": account.return_same_as_sender,
    }
    return render(request, "web/addresses.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def address_create(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    kind = request.GET.get("kind", Address.Kind.SENDER)
    if kind not in Address.Kind.values:
        raise Http404
    if kind != Address.Kind.SENDER:
        existing = address_list(account=account, kind=kind)
        if existing:  # one return and one billing address: edit the one there is
            return redirect("web:address_edit", pk=existing[0].pk)
    form = AddressForm()
    if request.method == "POST":
        try:
            services.address_create(account=account, kind=kind, data=request.POST)
        except ValidationError as exc:
            form = _bind_errors(AddressForm(data=request.POST), exc)
        else:
            messages.success(request, _("Address saved."))
            return redirect("web:addresses")
    context = {"form": form, "kind": kind, "title": _kind_title(kind, editing=False)}
    return render(request, "web/address_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def address_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = panel_account(request)
    address = _address_or_404(request, pk)
    initial: dict[str, Any] = {name: getattr(address, name) for name in ADDRESS_FIELDS}
    initial["country"] = str(address.country or "")
    form = AddressForm(initial=initial)
    if request.method == "POST":
        try:
            services.address_update(account=account, address_id=address.pk, data=request.POST)
        except ValidationError as exc:
            form = _bind_errors(AddressForm(data=request.POST), exc)
        else:
            messages.success(request, _("Address saved."))
            return redirect("web:addresses")
    context = {
        "form": form,
        "kind": address.kind,
        "address": address,
        "title": _kind_title(address.kind, editing=True),
    }
    return render(request, "web/address_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def address_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.address_delete(account=panel_account(request), address_id=pk)
    except Address.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Address deleted."))
    return redirect("web:addresses")


@login_required
@require_POST
def address_default(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.address_set_default(account=panel_account(request), address_id=pk)
    except Address.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Default sender address changed."))
    return redirect("web:addresses")


@login_required
@require_POST
def return_same_as_sender(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("enabled", "") in {"1", "on", "true", "yes"}
    services.account_set_return_same_as_sender(account=panel_account(request), enabled=enabled)
    if enabled:
        messages.success(request, _("Returns now go to your default sender address."))
    else:
        messages.success(request, _("Returns need a separate return address."))
    return redirect("web:addresses")


@login_required
@require_http_methods(["GET", "POST"])
def direct_debit(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    language = get_language() or "en"
    mandate: DirectDebitMandate | None = direct_debit_mandate_active(account=account)
    form = DirectDebitForm()
    if request.method == "POST" and mandate is None:
        try:
            services.direct_debit_mandate_create(
                account=account, data=request.POST, language=language
            )
        except ValidationError as exc:
            form = _bind_errors(DirectDebitForm(data=request.POST), exc)
        else:
            messages.success(request, _("Direct debit mandate signed."))
            return redirect("web:direct_debit")
    elif request.method == "POST":
        messages.error(
            request,
            _("This account already has an active mandate: revoke it before signing a new one."),
        )
        return redirect("web:direct_debit")
    context = {"mandate": mandate, "form": form, "text": mandate_text(language=language)}
    return render(request, "web/direct_debit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def direct_debit_revoke(request: HttpRequest) -> HttpResponse:
    try:
        services.direct_debit_mandate_revoke(account=panel_account(request))
    except DirectDebitMandate.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Direct debit mandate revoked."))
    return redirect("web:direct_debit")


@login_required
@require_http_methods(["GET", "POST"])
def shop_connect(request: HttpRequest) -> HttpResponse:
    """Refused (GET and POST) until onboarding is complete, naming what is missing."""
    try:
        onboarding_require_ready(account=panel_account(request), user=panel_user(request))
    except OnboardingIncomplete as exc:
        messages.error(request, exc.message())
        return redirect(reverse("web:dashboard"))
    return render(request, "web/shops_connect.html")
