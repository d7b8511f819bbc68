"""Panel pages for shipping: the create-label dialog of an order, bulk labels for selected
orders, the parcels list, one parcel's page (labels, history, feedback to the shop, cancel,
the local carrier's control), and Settings › Webhooks & e-mails.

Thin: colis.shipping / colis.feedback / colis.webhooks services write, their selectors read
(always scoped to the account). Refusals of the services are typed errors with plain
words; they are shown next to the field they concern.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from colis.common import clock
from colis.feedback import selectors as feedback_selectors
from colis.feedback import services as feedback_services
from colis.feedback.models import FeedbackDelivery
from colis.integrations import selectors as integration_selectors
from colis.integrations.models import Integration
from colis.notifications import tracking
from colis.orders import selectors as order_selectors
from colis.orders.models import Order
from colis.shipping import errors as shipping_errors
from colis.shipping import panel_selectors, ports
from colis.shipping import selectors as shipping_selectors
from colis.shipping import services as shipping_services
from colis.shipping.models import Parcel
from colis.web.request import panel_account
from colis.webhooks import selectors as webhook_selectors
from colis.webhooks import services as webhook_services
from colis.webhooks.errors import WebhookError

MAX_PARCELS = 10
PAGE_SIZE = 50
LABEL_FORMATS = {
    "pdf": ("application/pdf", "pdf"),
    "a4": ("application/pdf", "pdf"),
    "zpl": ("application/zpl; charset=utf-8", "zpl"),
}
# The services' refusal codes, in the seller's words (the service's message follows).
REFUSALS = {
    "order_cancelled": gettext_lazy("This order was cancelled: it must not be shipped."),
    "buyer_cancel_requested": gettext_lazy(
        "The buyer asked to cancel this order: do not ship it. Cancel it in Seller Central."
    ),
    "afn_order": gettext_lazy("Amazon ships this order itself (FBA)."),
    "order_not_shippable": gettext_lazy("This order cannot be shipped in its current state."),
    "nothing_to_ship": gettext_lazy("Every item of this order is already in a parcel."),
    "weight_out_of_range": gettext_lazy("The weight is outside this shipping method's range."),
    "weight_missing": gettext_lazy("Enter the parcel's weight: colis does not know it."),
    "destination_not_served": gettext_lazy(
        "This shipping method does not deliver to the order's country."
    ),
    "method_required": gettext_lazy("Choose a shipping method."),
    "method_inactive": gettext_lazy("This shipping method is switched off."),
    "sender_address_missing": gettext_lazy("Add a default sender address first."),
    "quantity_exceeded": gettext_lazy("More units than are left to ship."),
    "items_invalid": gettext_lazy("Check the quantities of each parcel."),
    "carrier_error": gettext_lazy("The carrier refused the parcel."),
    "idempotency_key_reused": gettext_lazy("This form was already sent: reload the page."),
}
# Which form field an error belongs to.
FIELD_OF = {
    "weight_out_of_range": "weight",
    "weight_missing": "weight",
    "destination_not_served": "method",
    "method_required": "method",
    "method_inactive": "method",
    "quantity_exceeded": "items",
    "items_invalid": "items",
}
STATUS_BADGE: dict[str, str] = {
    Parcel.Status.ERROR: "badge-danger",
    Parcel.Status.EXCEPTION: "badge-danger",
    Parcel.Status.DELIVERY_FAILED: "badge-warning",
    Parcel.Status.DELAYED: "badge-warning",
    Parcel.Status.RETURNED: "badge-warning",
    Parcel.Status.CANCELLED: "",
    Parcel.Status.DELIVERED: "badge-success",
    Parcel.Status.PENDING: "",
}
FEEDBACK_BADGE: dict[str, str] = {
    FeedbackDelivery.State.CONFIRMED: "badge-success",
    FeedbackDelivery.State.FAILED: "badge-danger",
    FeedbackDelivery.State.DROPPED: "badge-danger",
    FeedbackDelivery.State.WAITING_AUTHORIZATION: "badge-warning",
}


# The history's descriptions written by colis itself (carriers' own words stay as they are).
EVENT_WORDS = {
    "Parcel created": gettext_lazy("Parcel created"),
    "Parcel cancelled": gettext_lazy("Parcel cancelled"),
}
LABEL_CREATED = re.compile(r"^Label created \((?P<tracking>[^)]*)\)$")
SET_BY_CONTROL = re.compile(r"^Set to (?P<status>[a-z_]+) by control$")


def _event_words(description: str) -> str:
    if description in EVENT_WORDS:
        return str(EVENT_WORDS[description])
    if m := LABEL_CREATED.match(description):
        return _("Label created (%(tracking)s)") % {"tracking": m["tracking"]}
    if m := SET_BY_CONTROL.match(description):
        label = dict(Parcel.Status.choices).get(m["status"], m["status"])
        return _("Moved to “%(status)s” with the local carrier's control") % {"status": label}
    return description


def _refusal_words(code: str, message: str) -> str:
    """The seller's words for a refusal, in their language; a carrier's own message (its
    words, not ours) follows; an unknown code shows the service's message."""
    words = REFUSALS.get(code)
    if words is None:
        return message
    if code == "carrier_error" and message:
        return f"{words} {message}"
    return str(words)


def _refusal(exc: shipping_errors.ShippingError) -> str:
    return _refusal_words(exc.code, exc.message)


# --- the create-label dialog ----------------------------------------------------------------


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    try:
        return order_selectors.order_get(account=panel_account(request), order_id=order_id)
    except Order.DoesNotExist:
        raise Http404 from None


def _not_shippable_reason(order: Order) -> str:
    if order.status == Order.Status.CANCELLED:
        return str(REFUSALS["order_cancelled"])
    if order.buyer_cancel_requested or any(i.buyer_cancel_requested for i in order.items.all()):
        return str(REFUSALS["buyer_cancel_requested"])
    if order.fulfilled_by_marketplace:
        return str(REFUSALS["afn_order"])
    if order.status not in {Order.Status.UNSHIPPED, Order.Status.PARTIALLY_SHIPPED}:
        return str(REFUSALS["order_not_shippable"])
    return ""


def _grams(raw: str, unit: str) -> int | None:
    """A weight typed by the seller ("450", "0,45" kg) in whole grams; None when blank."""
    raw = (raw or "").strip().replace(" ", "").replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("Enter a number, for example 450 or 0.45.")) from None
    if not value.is_finite() or value <= 0:
        raise ValueError(_("Enter a weight greater than zero."))
    grams = value * 1000 if unit == "kg" else value
    return int(grams.to_integral_value(rounding="ROUND_CEILING"))


def _label_context(
    request: HttpRequest, order: Order, data: Any | None, errors: dict[str, str]
) -> dict[str, Any]:
    account = panel_account(request)
    methods = list(shipping_selectors.shipping_method_list(account=account, active=True))
    default = shipping_selectors.shipping_method_default(
        account=account, integration_id=order.integration_id
    )
    remaining = shipping_selectors.order_item_remaining(account=account, order=order)
    items = [i for i in order.items.all() if remaining.get(i.id, 0) > 0]
    count = 1
    if data is not None:
        try:
            count = max(1, min(MAX_PARCELS, int(data.get("count", 1))))
        except ValueError:
            count = 1
    parcels = []
    for n in range(count):
        rows = []
        for item in items:
            left = remaining[item.id]
            if data is not None and f"qty_{n}_{item.id}" in data:
                value = data.get(f"qty_{n}_{item.id}", "")
            else:
                value = str(left) if n == 0 else "0"
            rows.append({"item": item, "left": left, "name": f"qty_{n}_{item.id}", "value": value})
        if data is not None and f"weight_{n}" in data:
            weight, unit = data.get(f"weight_{n}", ""), data.get(f"unit_{n}", "g")
        elif n == 0 and count == 1 and all(i.weight_grams is not None for i in items) and items:
            weight, unit = str(sum((i.weight_grams or 0) * remaining[i.id] for i in items)), "g"
        else:
            weight, unit = "", "g"
        parcels.append(
            {
                "index": n,
                "number": n + 1,
                "rows": rows,
                "weight": weight,
                "unit": unit,
                "error": errors.get(f"parcel_{n}", ""),
            }
        )
    chosen = data.get("method") if data is not None else None
    selected = str(chosen) if chosen else (str(default.pk) if default else "")
    return {
        "order": order,
        "methods": methods,
        "default_method": default,
        "selected_method": selected,
        "parcels": parcels,
        "count": count,
        "max_parcels": MAX_PARCELS,
        "items": items,
        "errors": errors,
        "refusal": _not_shippable_reason(order),
        "idempotency_key": uuid.uuid4().hex,
        "now": clock.now(),
    }


def _label_render(
    request: HttpRequest,
    order: Order,
    data: Any | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _label_context(request, order, data, errors or {})
    template = (
        "web/shipping/_label_form.html"
        if getattr(request, "htmx", False)
        else "web/shipping/label_create.html"
    )
    # htmx swaps only 2xx answers: the dialog's refusals come back as 200 fragments.
    htmx = getattr(request, "htmx", False)
    response = render(request, template, context, status=200 if htmx else status)
    response["Cache-Control"] = "no-store"
    return response


def _parse_label_form(
    data: Any, order: Order, remaining: dict[int, int]
) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    try:
        count = max(1, min(MAX_PARCELS, int(data.get("count", 1))))
    except ValueError:
        count = 1
    method_id: int | None = None
    if data.get("method"):
        try:
            method_id = int(data["method"])
        except ValueError:
            errors["method"] = _("Choose a shipping method.")
    split: list[list[dict[str, int]]] = []
    weights: list[int | None] = []
    for n in range(count):
        lines = []
        for item in order.items.all():
            raw = (data.get(f"qty_{n}_{item.id}") or "0").strip()
            try:
                qty = int(raw)
                if qty < 0:
                    raise ValueError
            except ValueError:
                errors[f"parcel_{n}"] = _("Quantities are whole numbers, 0 or more.")
                continue
            if qty:
                lines.append({"order_item_id": item.id, "quantity": qty})
        if not lines and f"parcel_{n}" not in errors:
            errors[f"parcel_{n}"] = _("Put at least one item in this parcel.")
        split.append(lines)
        try:
            weights.append(_grams(data.get(f"weight_{n}", ""), data.get(f"unit_{n}", "g")))
        except ValueError as exc:
            errors[f"parcel_{n}"] = str(exc)
    given = [w for w in weights if w is not None]
    weight: int | list[int] | None = None
    if given and len(given) != len(weights):
        errors["weight"] = _("Enter a weight for every parcel, or for none.")
    elif given:
        weight = given[0] if len(given) == 1 else [int(w) for w in given]
    for item in order.items.all():
        total = sum(
            line["quantity"]
            for lines in split
            for line in lines
            if line["order_item_id"] == item.id
        )
        if total > remaining.get(item.id, 0):
            errors["items"] = _(
                "%(sku)s: %(total)s units in the parcels, only %(left)s left to ship."
            ) % {"sku": item.sku, "total": total, "left": remaining.get(item.id, 0)}
    return {"method_id": method_id, "weight_grams": weight, "items": split}, errors


@login_required
@require_http_methods(["GET", "POST"])
def label_create(request: HttpRequest, order_id: int) -> HttpResponse:
    """GET: the dialog (a fragment for htmx, a page otherwise). POST: `parcel_create`.
    "Add parcel" posts with `add_parcel` and gets the form back with one more parcel."""
    account = panel_account(request)
    order = _order_or_404(request, order_id)
    if request.method == "GET":
        return _label_render(request, order)
    data = request.POST.copy()
    if "add_parcel" in data or "remove_parcel" in data:
        try:
            count = int(data.get("count", 1))
        except ValueError:
            count = 1
        count += 1 if "add_parcel" in data else -1
        data["count"] = str(max(1, min(MAX_PARCELS, count)))
        return _label_render(request, order, data)
    remaining = shipping_selectors.order_item_remaining(account=account, order=order)
    spec, errors = _parse_label_form(data, order, remaining)
    if errors:
        return _label_render(request, order, data, errors, status=400)
    try:
        parcels = shipping_services.parcel_create(
            account=account,
            order_id=order.pk,
            method_id=spec["method_id"],
            weight_grams=spec["weight_grams"],
            items=spec["items"],
            idempotency_key=f"panel:{data.get('idempotency_key', '')}"[:100]
            if data.get("idempotency_key")
            else None,
        )
    except shipping_errors.CarrierRefused as exc:
        messages.error(request, _refusal(exc))
        target = reverse("web:parcel_detail", args=[exc.parcel_ids[0]])
        return _redirect(request, target)
    except shipping_errors.ShippingError as exc:
        field = FIELD_OF.get(exc.code, "form")
        return _label_render(request, order, data, {field: _refusal(exc)}, status=400)
    messages.success(
        request,
        gettext_lazy("Label created: %(tracking)s.")
        % {"tracking": ", ".join(p.tracking_number for p in parcels)},
    )
    target = (
        reverse("web:parcel_detail", args=[parcels[0].pk])
        if len(parcels) == 1
        else f"{reverse('web:parcels')}?order={order.pk}"
    )
    return _redirect(request, target)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- bulk labels ------------------------------------------------------------------------------


@login_required
@require_POST
def labels_bulk(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    try:
        order_ids = [int(x) for x in request.POST.getlist("order")]
    except ValueError:
        order_ids = []
    if not order_ids:
        messages.error(request, _("Select at least one order to create labels."))
        return redirect("web:orders")
    key = (request.POST.get("idempotency_key") or "").strip()[:60] or None
    result = shipping_services.parcel_create_bulk(
        account=account, order_ids=order_ids, idempotency_key=f"bulk:{key}" if key else None
    )
    orders = {
        o.pk: o for o in Order.objects.filter(account=account, pk__in=order_ids).only("external_id")
    }
    failures = [
        {
            "order": orders.get(f.order_id),
            "code": f.code,
            "message": _refusal_words(f.code, f.message),
            "parcel_ids": f.parcel_ids,
        }
        for f in result.failures
    ]
    context = {
        "parcels": [{"parcel": p, "order": orders.get(p.order_id)} for p in result.parcels],
        "failures": failures,
        "batch_id": result.batch_id,
        "pages": result.pages,
        "asked": len(set(order_ids)),
    }
    response = render(request, "web/shipping/bulk_result.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def label_batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    fmt = request.GET.get("format", "pdf")
    fmt = fmt if fmt in {"pdf", "a4"} else "pdf"
    try:
        data = shipping_selectors.label_batch_get(
            account=panel_account(request), batch_id=batch_id, fmt=fmt
        )
    except shipping_errors.NotFound:
        raise Http404 from None
    except shipping_errors.LabelNotAvailable as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    suffix = "-a4" if fmt == "a4" else ""
    response["Content-Disposition"] = f'inline; filename="labels-{batch_id}{suffix}.pdf"'
    return response


# --- parcels list -------------------------------------------------------------------------------


@login_required
@require_GET
def parcels(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    integrations = integration_selectors.integration_list(account=account)
    status = request.GET.get("status") or ""
    status = status if status in Parcel.Status.values else ""
    feedback = request.GET.get("feedback") or ""
    feedback = (
        feedback
        if feedback in FeedbackDelivery.State.values or feedback == panel_selectors.NO_FEEDBACK
        else ""
    )
    integration_id: int | None = None
    try:
        integration_id = int(request.GET["integration"]) if request.GET.get("integration") else None
    except ValueError:
        integration_id = None
    order_filter = request.GET.get("order") or ""
    qs = panel_selectors.parcel_panel_list(
        account=account,
        status=status or None,
        integration_id=integration_id,
        feedback_state=feedback or None,
        order_id=int(order_filter) if order_filter.isdigit() else None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    states = panel_selectors.parcel_feedback_states(
        account=account, parcel_ids=[p.pk for p in rows]
    )
    for parcel in rows:
        parcel.badge = STATUS_BADGE.get(parcel.status, "badge-info")  # type: ignore[attr-defined]
        delivery = states.get(parcel.pk)
        parcel.feedback = delivery  # type: ignore[attr-defined]
        parcel.feedback_badge = FEEDBACK_BADGE.get(delivery.state, "") if delivery else ""  # type: ignore[attr-defined]
    params = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "page": page,
        "parcels": rows,
        "integrations": integrations,
        "statuses": Parcel.Status.choices,
        "feedback_states": [
            *FeedbackDelivery.State.choices,
            (panel_selectors.NO_FEEDBACK, _("None owed")),
        ],
        "selected": {"status": status, "feedback": feedback, "integration": integration_id},
        "filtered": bool(status or feedback or integration_id or order_filter),
        "query": "&".join(f"{k}={v}" for k, v in params.items()),
    }
    return render(request, "web/shipping/parcels.html", context)


# --- one parcel ---------------------------------------------------------------------------------


def _parcel_or_404(request: HttpRequest, parcel_id: int) -> Parcel:
    try:
        return shipping_selectors.parcel_get(account=panel_account(request), parcel_id=parcel_id)
    except shipping_errors.NotFound:
        raise Http404 from None


@login_required
@require_GET
def parcel_detail(request: HttpRequest, parcel_id: int) -> HttpResponse:
    account = panel_account(request)
    parcel = _parcel_or_404(request, parcel_id)
    deliveries = list(feedback_selectors.parcel_feedback_list(account=account, parcel_id=parcel.pk))
    for d in deliveries:
        d.badge = FEEDBACK_BADGE.get(d.state, "")  # type: ignore[attr-defined]
        d.can_retry = d.state in (FeedbackDelivery.State.FAILED, FeedbackDelivery.State.DROPPED)  # type: ignore[attr-defined]
    S = Parcel.Status
    try:
        local = bool(ports.carrier_get(parcel.carrier).clock_driven)
    except ports.UnknownCarrier:
        local = False
    has_label = bool(parcel.label_created_at) and parcel.status != S.CANCELLED
    statuses = dict(S.choices)
    context = {
        "parcel": parcel,
        "order": parcel.order,
        "integration": parcel.order.integration,
        "badge": STATUS_BADGE.get(parcel.status, "badge-info"),
        "events": [{"event": e, "label": statuses.get(e.status, "")} for e in parcel.events.all()],
        "items": list(parcel.items.all()),
        "deliveries": deliveries,
        "has_label": has_label,
        "has_zpl": has_label and bool(parcel.label_zpl),
        "has_pdf": has_label and bool(parcel.label_pdf),
        "cancellable": parcel.first_scan_at is None
        and parcel.status in {S.PENDING, S.ERROR, S.READY_TO_SEND, S.ANNOUNCED},
        "retryable": parcel.status in {S.ERROR},
        "local": local,
        "advance_to": [
            (s, statuses[s])
            for s in shipping_services.ADVANCE_TO
            if shipping_services.RANK[s] > shipping_services.RANK[S(parcel.status)]
        ]
        if local and parcel.status not in {S.PENDING, S.ERROR, S.CANCELLED, S.DELIVERED, S.RETURNED}
        else [],
        "now": clock.now(),
    }
    response = render(request, "web/shipping/parcel_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def parcel_label(request: HttpRequest, parcel_id: int, fmt: str) -> HttpResponse:
    if fmt not in LABEL_FORMATS:
        raise Http404
    try:
        data = shipping_selectors.label_get(
            account=panel_account(request), parcel_id=parcel_id, fmt=fmt
        )
    except shipping_errors.NotFound:
        raise Http404 from None
    except shipping_errors.LabelNotAvailable as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    content_type, ext = LABEL_FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    name = f"label-{parcel_id}{'-a4' if fmt == 'a4' else ''}.{ext}"
    disposition = "attachment" if fmt == "zpl" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def parcel_cancel(request: HttpRequest, parcel_id: int) -> HttpResponse:
    """GET: the confirmation. POST: `parcel_cancel`."""
    parcel = _parcel_or_404(request, parcel_id)
    if request.method == "GET":
        return render(request, "web/shipping/parcel_cancel.html", {"parcel": parcel})
    try:
        shipping_services.parcel_cancel(account=panel_account(request), parcel_id=parcel.pk)
    except shipping_errors.ShippingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Label cancelled: its items can be shipped again."))
    return redirect("web:parcel_detail", parcel_id=parcel.pk)


@login_required
@require_POST
def parcel_retry(request: HttpRequest, parcel_id: int) -> HttpResponse:
    parcel = _parcel_or_404(request, parcel_id)
    try:
        shipping_services.parcel_retry(account=panel_account(request), parcel_id=parcel.pk)
    except shipping_errors.ShippingError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Label created."))
    return redirect("web:parcel_detail", parcel_id=parcel.pk)


@login_required
@require_POST
def parcel_advance(request: HttpRequest, parcel_id: int) -> HttpResponse:
    """The local carrier's control (demo and sandbox): move the parcel on now."""
    parcel = _parcel_or_404(request, parcel_id)
    try:
        shipping_services.parcel_local_advance(
            account=panel_account(request), parcel_id=parcel.pk, to=request.POST.get("to", "")
        )
    except shipping_errors.ShippingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status changed."))
    return redirect("web:parcel_detail", parcel_id=parcel.pk)


@login_required
@require_POST
def feedback_retry(request: HttpRequest, parcel_id: int, delivery_id: int) -> HttpResponse:
    parcel = _parcel_or_404(request, parcel_id)
    try:
        feedback_services.feedback_retry(account=panel_account(request), delivery_id=delivery_id)
    except feedback_services.DeliveryNotFound:
        raise Http404 from None
    except feedback_services.DeliveryStateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The shipment confirmation is being sent again."))
    return redirect("web:parcel_detail", parcel_id=parcel.pk)


# --- Settings › Webhooks & e-mails --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def webhooks(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    errors: dict[str, str] = {}
    form: dict[str, Any] = {"url": "", "events": list(webhook_services.EVENTS)}
    new_secret = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "tracking":
            tracking.tracking_email_settings_set(
                account=account,
                enabled=request.POST.get("enabled") == "on",
                language=request.POST.get("language")
                if request.POST.get("language") in {"en", "fr"}
                else "en",
            )
            messages.success(request, _("Tracking e-mail settings saved."))
            return redirect("web:webhooks")
        if action == "delete":
            try:
                webhook_services.webhook_endpoint_delete(
                    account=account, endpoint_id=int(request.POST.get("endpoint", "0"))
                )
            except (WebhookError, ValueError):
                raise Http404 from None
            messages.success(request, _("Webhook deleted."))
            return redirect("web:webhooks")
        form = {"url": request.POST.get("url", ""), "events": request.POST.getlist("events")}
        try:
            row = webhook_services.webhook_endpoint_create(
                account=account, url=form["url"], events=form["events"]
            )
        except WebhookError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            new_secret = row.secret
            form = {"url": "", "events": list(webhook_services.EVENTS)}
            messages.success(request, _("Webhook added. Copy its secret now: it is shown once."))
    endpoints = list(webhook_selectors.webhook_endpoint_list(account=account))
    for e in endpoints:
        e.recent = webhook_selectors.webhook_delivery_list(  # type: ignore[attr-defined]
            account=account, endpoint_id=e.pk, limit=5
        )
    context = {
        "endpoints": endpoints,
        "events": webhook_services.EVENTS,
        "form": form,
        "errors": errors,
        "new_secret": new_secret,
        "tracking_setting": webhook_selectors.tracking_email_setting_get(account=account),
        "has_amazon": any(
            i.channel == Integration.Channel.AMAZON
            for i in integration_selectors.integration_list(account=account)
        ),
    }
    return render(request, "web/shipping/webhooks.html", context, status=400 if errors else 200)
