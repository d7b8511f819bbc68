"""Panel pages for imported orders: the filtered list (keyset pages) and one order's page,
where a missing weight can be entered for its SKU.

Thin: colis.orders.selectors reads (always scoped to the account), colis.orders.services
writes. The recipient's address (PII) is decrypted for the order page only.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from colis.common import clock
from colis.integrations import selectors as integration_selectors
from colis.orders import selectors as order_selectors
from colis.orders import services as order_services
from colis.orders.models import Order, Product
from colis.orders.panel_selectors import order_item_counts
from colis.orders.selectors import InvalidCursor
from colis.orders.weights import MAX_GRAMS, MIN_GRAMS, WEIGHT_MISSING, InvalidWeight
from colis.privacy.services import pii_access_record
from colis.web.request import panel_account, panel_user

PAGE_SIZE = 50

# The import's error codes in the seller's words (the stored message is the fallback).
ERROR_LABELS = {
    WEIGHT_MISSING: gettext_lazy("Weight missing"),
    "buyer_cancel_requested": gettext_lazy("Cancellation requested"),
    "order_cancelled": gettext_lazy("Cancelled after import"),
    "mapping_error": gettext_lazy("Could not be read"),
}
ERROR_HELP = {
    "buyer_cancel_requested": gettext_lazy(
        "The buyer asked to cancel this order: do not ship it. Cancel it in Seller Central."
    ),
    "order_cancelled": gettext_lazy(
        "The order was cancelled on Amazon after colis imported it: do not ship it."
    ),
    "mapping_error": gettext_lazy(
        "colis could not read this order from Amazon. It tries again at the next import."
    ),
}


# --- forms ------------------------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Order ID or SKU")}
        ),
    )
    integration = forms.TypedChoiceField(
        label=gettext_lazy("Shop"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    error = forms.ChoiceField(
        label=gettext_lazy("Errors"),
        required=False,
        choices=[
            ("", gettext_lazy("All orders")),
            ("yes", gettext_lazy("With an error")),
            ("no", gettext_lazy("Without errors")),
        ],
    )
    ship_by = forms.ChoiceField(
        label=gettext_lazy("Ship by"),
        required=False,
        choices=[
            ("", gettext_lazy("Any date")),
            ("today", gettext_lazy("Today")),
            ("overdue", gettext_lazy("Overdue")),
        ],
    )
    prime = forms.BooleanField(label=gettext_lazy("Prime only"), required=False)

    def __init__(self, *args: Any, integrations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["integration"].choices = [("", _("All shops"))] + [  # type: ignore[attr-defined]
            (i.pk, str(i.name)) for i in integrations
        ]
        self.fields["status"].choices = [("", _("Any status")), *Order.Status.choices]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "integration_id": data.get("integration"),
            "status": data.get("status") or None,
            "has_error": {"yes": True, "no": False}.get(data.get("error") or ""),
            "ship_by": data.get("ship_by") or None,
            "prime": True if data.get("prime") else None,
            "q": (data.get("q") or "").strip() or None,
        }


class WeightForm(forms.Form):
    UNITS = [("g", gettext_lazy("grams (g)")), ("kg", gettext_lazy("kilograms (kg)"))]

    sku = forms.CharField(widget=forms.HiddenInput, max_length=100)
    weight = forms.CharField(label=gettext_lazy("Package weight per item"), max_length=12)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=UNITS, initial="g")

    def __init__(self, *args: Any, skus: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skus = skus

    def clean_sku(self) -> str:
        sku = self.cleaned_data["sku"]
        if sku not in self.skus:
            raise forms.ValidationError(_("This SKU is not in the order."))
        return sku

    def clean_weight(self) -> Decimal:
        raw = self.cleaned_data["weight"].strip().replace(" ", "").replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise forms.ValidationError(_("Enter a number, for example 450 or 0.45.")) from None
        if not value.is_finite() or value <= 0:
            raise forms.ValidationError(_("Enter a weight greater than zero."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value, unit = data.get("weight"), data.get("unit")
        if value is not None and unit:
            grams = value * 1000 if unit == "kg" else value
            whole = int(grams.to_integral_value(rounding="ROUND_CEILING"))
            if whole < MIN_GRAMS or whole > MAX_GRAMS:
                self.add_error(
                    "weight",
                    _("Enter a weight between %(min)s g and %(max)s kg.")
                    % {"min": MIN_GRAMS, "max": MAX_GRAMS // 1000},
                )
            else:
                data["grams"] = whole
        return data


# --- views ------------------------------------------------------------------------------------


def _error_badges(order: Order) -> list[dict[str, str]]:
    """One badge per error code (several missing SKUs make one "Weight missing")."""
    seen: dict[str, dict[str, str]] = {}
    for error in order.errors or []:
        code = str(error.get("code", "")) if isinstance(error, dict) else ""
        if code not in seen:
            seen[code] = {"code": code, "label": str(ERROR_LABELS.get(code, _("Error")))}
    return list(seen.values())


def _querystring(params: dict[str, Any]) -> str:
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


@login_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    integrations = integration_selectors.integration_list(account=account)
    form = OrderFilterForm(request.GET or None, integrations=integrations)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = form.filters()
    after = request.GET.get("after") or None
    try:
        page = order_selectors.order_list(account=account, after=after, limit=PAGE_SIZE, **filters)
    except InvalidCursor:
        messages.error(request, _("That page link is no longer valid: here is the first page."))
        after = None
        page = order_selectors.order_list(account=account, limit=PAGE_SIZE, **filters)
    counts = order_item_counts(account=account, order_ids=[o.pk for o in page.orders])
    names = {i.pk: i.name for i in integrations}
    for order in page.orders:
        order.item_count = counts.get(order.pk, 0)  # type: ignore[attr-defined]
        order.shop_name = names.get(order.integration_id, "")  # type: ignore[attr-defined]
        order.error_badges = _error_badges(order)  # type: ignore[attr-defined]
    params = {k: v for k, v in request.GET.items() if k != "after"}
    next_url = f"?{_querystring({**params, 'after': page.next})}" if page.next else ""
    query = _querystring(params)
    first_url = reverse("web:orders") + (f"?{query}" if query else "") if after else ""
    context = {
        "form": form,
        "page": page,
        "orders": page.orders,
        "next_url": next_url,
        "first_url": first_url,
        "filtered": any(v is not None for v in filters.values()),
        "has_integrations": bool(integrations),
        "now": clock.now(),
        "today": clock.now().date(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/orders/list.html", context, status=status)


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    try:
        return order_selectors.order_get(account=panel_account(request), order_id=order_id)
    except Order.DoesNotExist:
        raise Http404 from None


def _missing_skus(order: Order) -> list[str]:
    return [
        str(e.get("sku"))
        for e in (order.errors or [])
        if e.get("code") == WEIGHT_MISSING and e.get("sku")
    ]


def _order_page(
    request: HttpRequest, order: Order, *, weight_form: WeightForm | None = None, status: int = 200
) -> HttpResponse:
    # The page shows the buyer's address: record who opened it (never the data).
    pii_access_record(
        account=panel_account(request),
        user=panel_user(request),
        order_id=order.pk,
        channel="panel",
        order_external_id=order.external_id,
    )
    sources = dict(Product.Source.choices)
    items = list(order.items.all())
    for item in items:
        item.source_label = sources.get(item.weight_source, item.weight_source)  # type: ignore[attr-defined]
    missing = _missing_skus(order)
    forms_by_sku = {
        sku: (
            weight_form
            if weight_form is not None and weight_form.data.get("sku") == sku
            else WeightForm(initial={"sku": sku, "unit": "g"}, skus=set(missing), prefix=None)
        )
        for sku in missing
    }
    errors = [
        {
            **e,
            "label": ERROR_LABELS.get(str(e.get("code")), _("Error")),
            "help": ERROR_HELP.get(str(e.get("code")), ""),
            "form": forms_by_sku.get(str(e.get("sku"))),
        }
        for e in (order.errors or [])
        if isinstance(e, dict)
    ]
    weight_errors = [e for e in errors if e.get("code") == WEIGHT_MISSING and e.get("form")]
    placed = weight_form is not None and weight_form.data.get("sku") in forms_by_sku
    context = {
        "order": order,
        "items": items,
        # A rejected form that has no place on the page (unknown SKU): its errors on top.
        "stray_errors": (
            [e for errors in weight_form.errors.values() for e in errors]
            if weight_form is not None and not placed
            else []
        ),
        "errors": errors,
        "weight_errors": weight_errors,
        "other_errors": [e for e in errors if e not in weight_errors],
        "address_lines": [line for line in (order.recipient_lines or "").splitlines() if line],
        "now": clock.now(),
    }
    response = render(request, "web/orders/detail.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the recipient's address is on this page
    return response


@login_required
@require_GET
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_page(request, _order_or_404(request, order_id))


@login_required
@require_POST
def order_weight(request: HttpRequest, order_id: int) -> HttpResponse:
    order = _order_or_404(request, order_id)
    skus = {item.sku for item in order.items.all()}
    form = WeightForm(request.POST, skus=skus)
    if form.is_valid():
        try:
            order_services.product_set_weight(
                account=panel_account(request),
                sku=form.cleaned_data["sku"],
                grams=form.cleaned_data["grams"],
            )
        except InvalidWeight as exc:
            form.add_error("weight", exc.message)
        else:
            messages.success(
                request,
                _("Weight saved for SKU %(sku)s: colis uses it for this and every future order.")
                % {"sku": form.cleaned_data["sku"]},
            )
            return redirect("web:order_detail", order_id=order.pk)
    return _order_page(request, order, weight_form=form, status=400)
