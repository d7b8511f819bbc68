"""Panel pages for connected shops: connect Amazon (three ways), pick marketplaces, list,
edit, sync, re-import and disconnect.

Thin: forms check the shape of what the seller typed; colis.integrations.services does the
rest and raises typed errors that are shown next to the field they concern. Every page
that connects a shop sits behind the onboarding gate; every object page answers 404 for
another account's object, exactly as for one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from colis.accounts.selectors import (
    OnboardingIncomplete,
    onboarding_require_ready,
    onboarding_state,
)
from colis.common import clock
from colis.integrations import lifecycle as integration_lifecycle
from colis.integrations import selectors as integration_selectors
from colis.integrations import services as integration_services
from colis.integrations.errors import (
    IntegrationAlreadyConnected,
    IntegrationError,
    IntegrationNotFound,
    OAuthStateInvalid,
    PendingConnectionInvalid,
)
from colis.integrations.models import Integration
from colis.integrations.ports import (
    AuthorizationExpired,
    AuthorizationRevoked,
    ConnectorError,
    InvalidCredentials,
    TemporaryFailure,
)
from colis.marketplaces.amazon.config import MARKETPLACES, amazon_config
from colis.orders import services as order_services
from colis.orders.services import REIMPORT_MAX_DAYS, IntegrationNotActive
from colis.web.request import panel_account, panel_user

View = Callable[..., HttpResponse]


# --- helpers ----------------------------------------------------------------------------------


def _gate(request: HttpRequest) -> HttpResponse | None:
    """None when the account may connect a shop, else the redirect that refuses it."""
    try:
        onboarding_require_ready(account=panel_account(request), user=panel_user(request))
    except OnboardingIncomplete as exc:
        messages.error(request, exc.message())
        return redirect("web:dashboard")
    return None


def onboarding_required(view: View) -> View:
    """Connecting a shop waits for a finished onboarding: GET and POST alike are refused
    server-side, with the missing steps named, exactly as the `web:shop_connect` gate does."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _gate(request) or view(request, *args, **kwargs)

    return wrapped


def _marketplace_label(marketplace_id: str, country_code: str = "") -> str:
    known = MARKETPLACES.get(marketplace_id)
    if known is None:
        return country_code or marketplace_id
    return f"{known.name} ({known.country})"


def _integration_or_404(request: HttpRequest, integration_id: int) -> Integration:
    try:
        return integration_selectors.integration_get(
            account=panel_account(request), integration_id=integration_id
        )
    except (IntegrationNotFound, Integration.DoesNotExist):
        raise Http404 from None


def explain(exc: IntegrationError | ConnectorError) -> str:
    """A service's error in the seller's language. The services word their messages in
    English; the kinds a seller meets most are said here in the panel's words, and Amazon's
    own reason is kept where it tells which value was wrong."""
    if isinstance(exc, OAuthStateInvalid):
        return _(
            "This Amazon authorization cannot be used: it was already used, took more than "
            "10 minutes, or was started in another browser."
        )
    if isinstance(exc, PendingConnectionInvalid):
        return _("This connection has expired or was already used: start connecting again.")
    if isinstance(exc, IntegrationAlreadyConnected):
        return _("This Amazon shop (%(marketplace)s) is already connected in colis.") % {
            "marketplace": _marketplace_label(exc.marketplace_id)
        }
    if isinstance(exc, IntegrationNotActive):
        return _("This shop's authorization is no longer active: reconnect it first.")
    if isinstance(exc, TemporaryFailure):
        return _("Amazon did not answer in time. Nothing was changed: try again in a few minutes.")
    if isinstance(exc, AuthorizationRevoked):
        return _("Amazon says this authorization was revoked or never granted.")
    if isinstance(exc, AuthorizationExpired):
        return _("The authorization has expired: authorize colis again on Seller Central.")
    if isinstance(exc, InvalidCredentials):
        return _("Amazon did not accept these credentials (Amazon's reason: %(reason)s).") % {
            "reason": exc.message
        }
    return exc.message


def _add_service_error(form: forms.Form, exc: IntegrationError | ConnectorError) -> None:
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, explain(exc))


def _posted(request: HttpRequest) -> Any:
    """The POST data for a bound form (even when empty), None on GET."""
    return request.POST if request.method == "POST" else None


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- forms ------------------------------------------------------------------------------------


class ConnectSettingsForm(forms.Form):
    """What every way of connecting asks: a name, the feedback type and weight import."""

    name = forms.CharField(
        label=gettext_lazy("Shop name"),
        max_length=80,
        help_text=gettext_lazy("How colis names this shop in lists, for example “Bottega”."),
    )
    feedback_type = forms.ChoiceField(
        label=gettext_lazy("Report shipments to Amazon"),
        choices=Integration.FeedbackType.choices,
        initial=Integration.FeedbackType.EAGER,
        widget=forms.RadioSelect,
    )
    import_weight = forms.BooleanField(
        label=gettext_lazy("Import package weights from Amazon"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "colis reads each product's package weight from your Amazon listing, so labels "
            "have the right weight without typing it."
        ),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the shop."))
        return name

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "feedback_type": data["feedback_type"],
            "import_weight": data["import_weight"],
        }


def _secret(label: Any, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        strip=True,
        help_text=help_text,
        # Never sent back to the browser, not even after a rejected POST.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class SelfAuthorizedForm(ConnectSettingsForm):
    field_order = ["lwa_client_id", "lwa_client_secret", "refresh_token"]

    lwa_client_id = _secret(
        gettext_lazy("LWA client ID"), gettext_lazy("Starts with amzn1.application-oa2-client.")
    )
    lwa_client_secret = _secret(
        gettext_lazy("LWA client secret"), gettext_lazy("Starts with amzn1.oa2-cs.")
    )
    refresh_token = _secret(gettext_lazy("Refresh token"), gettext_lazy("Starts with Atzr|"))
    # SP-API cannot tell colis who the seller is: with the Seller ID, colis can read weights
    # from the seller's listings and recognise a shop that is already connected.
    seller_id = forms.RegexField(
        label=gettext_lazy("Seller ID"),
        regex=r"^A[A-Z0-9]{12,14}$",
        max_length=15,
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "A Seller ID is A followed by 12 to 14 capital letters and digits, like A1B2C3D4E5F6G7."
            )
        },
        help_text=gettext_lazy(
            "Seller Central › Settings › Account Info › Merchant Token. Recommended: without it colis "
            "cannot read weights from your listings."
        ),
    )

    def clean_seller_id(self) -> str:
        return str(self.cleaned_data.get("seller_id") or "").strip().upper()


def _marketplace_choices() -> list[tuple[str, str]]:
    rows = sorted(
        (m for m in MARKETPLACES.values() if m.mws_host), key=lambda m: (m.region, m.name)
    )
    return [("", _("Choose a marketplace"))] + [
        (m.id, f"{m.name} ({m.country}) · {m.id}") for m in rows
    ]


class MwsForm(ConnectSettingsForm):
    field_order = ["name", "seller_id", "marketplace_id", "mws_auth_token"]

    seller_id = forms.RegexField(
        label=gettext_lazy("Seller ID"),
        regex=r"^[A-Z0-9]{8,20}$",
        max_length=20,
        error_messages={
            "invalid": gettext_lazy(
                "A Seller ID is 8 to 20 capital letters and digits, like A1B2C3D4E5F6G7."
            )
        },
        help_text=gettext_lazy("Also called Merchant Token, for example A1B2C3D4E5F6G7."),
    )
    marketplace_id = forms.ChoiceField(label=gettext_lazy("Marketplace"), choices=())
    mws_auth_token = forms.RegexField(
        label=gettext_lazy("MWS Auth Token"),
        regex=r"^amzn\.mws\.[0-9a-fA-F-]{36}$",
        max_length=60,
        error_messages={
            "invalid": gettext_lazy(
                "An MWS Auth Token looks like amzn.mws.1a2b3c4d-… (36 characters after amzn.mws.)."
            )
        },
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Starts with amzn.mws."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marketplace_id"].choices = _marketplace_choices()  # type: ignore[attr-defined]

    def clean_seller_id(self) -> str:
        return str(self.cleaned_data["seller_id"]).strip().upper()


class PendingForm(forms.Form):
    marketplace_ids = forms.MultipleChoiceField(
        label=gettext_lazy("Marketplaces"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one marketplace.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["marketplace_ids"].choices = choices  # type: ignore[attr-defined]


class IntegrationEditForm(forms.Form):
    name = ConnectSettingsForm.base_fields["name"]
    feedback_type = ConnectSettingsForm.base_fields["feedback_type"]
    import_weight = ConnectSettingsForm.base_fields["import_weight"]
    use_default_weight = forms.BooleanField(
        label=gettext_lazy("Use a default weight when no weight is known"),
        required=False,
        help_text=gettext_lazy(
            "Off by default: an order without a known weight is held with an error instead "
            "of shipping with a guessed weight."
        ),
    )
    default_weight_grams = forms.IntegerField(
        label=gettext_lazy("Default weight per item (grams)"),
        required=False,
        min_value=1,
        max_value=70_000,
    )
    first_import_days = forms.IntegerField(
        label=gettext_lazy("First import window (days)"),
        min_value=1,
        max_value=90,
        help_text=gettext_lazy("How far back the first import reads orders."),
    )
    import_interval_minutes = forms.IntegerField(
        label=gettext_lazy("Import interval (minutes)"),
        min_value=1,
        max_value=1440,
        help_text=gettext_lazy("How often colis asks Amazon for new and changed orders."),
    )
    import_afn = forms.BooleanField(
        label=gettext_lazy("Import Amazon-fulfilled (FBA) orders, read-only"),
        required=False,
        help_text=gettext_lazy("Amazon ships them: colis lists them but never creates labels."),
    )
    hold_prime = forms.BooleanField(
        label=gettext_lazy("Hold Prime orders"),
        required=False,
        help_text=gettext_lazy(
            "Prime orders wait for you to release them, for example to ship them with a "
            "faster service."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("use_default_weight") and not data.get("default_weight_grams"):
            self.add_error(
                "default_weight_grams", _("Enter the default weight, or untick the option.")
            )
        return data

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "feedback_type": data["feedback_type"],
            "import_weight": data["import_weight"],
            "default_weight_grams": (
                data["default_weight_grams"] if data["use_default_weight"] else None
            ),
            "first_import_days": data["first_import_days"],
            "import_interval_minutes": data["import_interval_minutes"],
            "import_afn": data["import_afn"],
            "hold_prime": data["hold_prime"],
        }

    @classmethod
    def initial_for(cls, integration: Integration) -> dict[str, Any]:
        return {
            "name": integration.name,
            "feedback_type": integration.feedback_type,
            "import_weight": integration.import_weight,
            "use_default_weight": integration.default_weight_grams is not None,
            "default_weight_grams": integration.default_weight_grams,
            "first_import_days": integration.first_import_days,
            "import_interval_minutes": integration.import_interval_minutes,
            "import_afn": integration.import_afn,
            "hold_prime": integration.hold_prime,
        }


class ReimportForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("Re-import orders changed since"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].help_text = _("At most %(days)d days back.") % {
            "days": REIMPORT_MAX_DAYS
        }

    def clean_since(self) -> dt.date:
        since: dt.date = self.cleaned_data["since"]
        today = clock.now().date()
        if since > today:
            raise forms.ValidationError(_("Choose a date that is not in the future."))
        if since < today - dt.timedelta(days=REIMPORT_MAX_DAYS):
            raise forms.ValidationError(
                _("Choose a date at most %(days)d days back.") % {"days": REIMPORT_MAX_DAYS}
            )
        return since


# --- connect ----------------------------------------------------------------------------------


@onboarding_required
@require_GET
def connect(request: HttpRequest) -> HttpResponse:
    config = amazon_config()
    context = {"has_app": config.has_spapi_app, "has_mws": config.has_mws}
    return render(request, "web/integrations/connect.html", context)


@onboarding_required
@require_http_methods(["GET", "POST"])
def connect_oauth(request: HttpRequest) -> HttpResponse:
    form = ConnectSettingsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if not request.session.session_key:
            request.session.save()
        try:
            consent_url = integration_services.integration_oauth_start(
                account=panel_account(request),
                user=panel_user(request),
                session_key=str(request.session.session_key),
                **form.settings(),
            )
        except (IntegrationError, ConnectorError) as exc:
            _add_service_error(form, exc)
        else:
            return HttpResponseRedirect(consent_url)
    return render(
        request, "web/integrations/connect_oauth.html", {"form": form}, status=_status(form)
    )


def _connect_error(
    request: HttpRequest, *, reason: str, advice: str = "", retry: str = "web:shop_connect_oauth"
) -> HttpResponse:
    context = {
        "reason": reason,
        "advice": advice
        or _("Nothing was connected. Start again: Amazon asks you to confirm once more."),
        "retry_url": reverse(retry),
    }
    return render(request, "web/integrations/connect_error.html", context, status=400)


# Amazon's error codes on the redirect, in plain words.
_AMAZON_ERRORS = {
    "access_denied": gettext_lazy("You declined the authorization on Amazon."),
    "invalid_request": gettext_lazy("Amazon could not read colis' authorization request."),
    "server_error": gettext_lazy("Amazon had a problem and could not finish the authorization."),
    "temporarily_unavailable": gettext_lazy(
        "Amazon was busy and could not finish the authorization."
    ),
}


@onboarding_required
@require_GET
@never_cache
def oauth_callback(request: HttpRequest) -> HttpResponse:
    params = request.GET
    if params.get("error") or params.get("error_description"):
        code = params.get("error", "")
        reason = _AMAZON_ERRORS.get(code)
        return _connect_error(
            request,
            reason=str(reason)
            if reason
            else _("Amazon did not authorize colis (%(code)s).")
            % {"code": code or _("no reason given")},
        )
    state = params.get("state", "")
    selling_partner_id = params.get("selling_partner_id", "")
    code = params.get("spapi_oauth_code", "")
    if not (state and selling_partner_id and code):
        return _connect_error(
            request, reason=_("The answer from Amazon is incomplete: it lacks a value colis needs.")
        )
    if not request.session.session_key:
        request.session.save()
    try:
        # A renewal (started from Connected shops › Renew) comes back here too.
        pending = integration_lifecycle.integration_oauth_finish(
            account=panel_account(request),
            user=panel_user(request),
            session_key=str(request.session.session_key),
            state=state,
            selling_partner_id=selling_partner_id,
            spapi_oauth_code=code,
        )
    except OAuthStateInvalid as exc:
        return _connect_error(
            request,
            reason=explain(exc),
            advice=_(
                "This link from Amazon was already used, has expired, or was started in "
                "another browser. Start again from colis."
            ),
        )
    except (IntegrationError, ConnectorError) as exc:
        return _connect_error(request, reason=explain(exc))
    if isinstance(pending, Integration):
        messages.success(request, _("%(name)s is authorized again.") % {"name": pending.name})
        return redirect("web:shops")
    return redirect("web:shop_pending", pending_id=pending.pk)


@onboarding_required
@require_http_methods(["GET", "POST"])
def connect_self(request: HttpRequest) -> HttpResponse:
    form = SelfAuthorizedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pending = integration_services.integration_self_authorized_check(
                account=panel_account(request),
                user=panel_user(request),
                lwa_client_id=data["lwa_client_id"],
                lwa_client_secret=data["lwa_client_secret"],
                refresh_token=data["refresh_token"],
                seller_id=data["seller_id"],
                **form.settings(),
            )
        except (IntegrationError, ConnectorError) as exc:
            _add_service_error(form, exc)
        else:
            return redirect("web:shop_pending", pending_id=pending.pk)
    response = render(
        request, "web/integrations/connect_self.html", {"form": form}, status=_status(form)
    )
    response["Cache-Control"] = "no-store"
    return response


@onboarding_required
@require_http_methods(["GET", "POST"])
def connect_mws(request: HttpRequest) -> HttpResponse:
    form = MwsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            integration = integration_services.integration_create_mws(
                account=panel_account(request),
                user=panel_user(request),
                seller_id=data["seller_id"],
                marketplace_id=data["marketplace_id"],
                mws_auth_token=data["mws_auth_token"],
                **form.settings(),
            )
        except (IntegrationError, ConnectorError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is connected. colis imports its orders now.")
                % {"name": integration.name},
            )
            return redirect("web:shops")
    config = amazon_config()
    context = {
        "form": form,
        "developer_name": config.developer_name or _("(not configured)"),
        "developer_id": config.developer_id or _("(not configured)"),
    }
    response = render(request, "web/integrations/connect_mws.html", context, status=_status(form))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def pending(request: HttpRequest, pending_id: int) -> HttpResponse:
    account = panel_account(request)
    try:
        view = integration_selectors.pending_connection_get(account=account, pending_id=pending_id)
    except IntegrationNotFound:
        raise Http404 from None
    except PendingConnectionInvalid as exc:
        return _connect_error(request, reason=explain(exc), retry="web:shop_connect_amazon")
    # Another account's pending connection is a 404 (above); the gate comes second.
    gate = _gate(request)
    if gate is not None:
        return gate
    choices = [
        (p.marketplace_id, _marketplace_label(p.marketplace_id, p.country_code))
        for p in view.participations
    ]
    form = PendingForm(
        _posted(request), choices=choices, initial={"marketplace_ids": [c[0] for c in choices]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = integration_services.integration_create_from_pending(
                account=account,
                user=panel_user(request),
                pending_id=pending_id,
                marketplace_ids=form.cleaned_data["marketplace_ids"],
            )
        except IntegrationAlreadyConnected as exc:
            form.add_error("marketplace_ids", explain(exc))
        except (IntegrationError, ConnectorError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d shop connected. colis imports its orders now.",
                    "%(count)d shops connected. colis imports their orders now.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("web:shops")
    context = {"form": form, "pending": view, "shop_name": view.settings.get("name") or "Amazon"}
    return render(request, "web/integrations/pending.html", context, status=_status(form))


# --- the list and each shop ---------------------------------------------------------------


@login_required
@require_GET
def shops(request: HttpRequest) -> HttpResponse:
    account = panel_account(request)
    state = onboarding_state(account=account, user=panel_user(request))
    integrations = integration_selectors.integration_list(account=account)
    context = {
        "integrations": [
            {
                "integration": integration,
                "marketplace": _marketplace_label(
                    integration.marketplace_id, integration.country_code
                ),
            }
            for integration in integrations
        ],
        "ready": state.ready,
        "onboarding_message": "" if state.ready else OnboardingIncomplete(state.missing).message(),
        "connect_url": reverse("web:shop_connect_amazon"),
    }
    return render(request, "web/integrations/shops.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    if integration.state == Integration.State.DISCONNECTED:
        raise Http404
    form = IntegrationEditForm(
        _posted(request), initial=IntegrationEditForm.initial_for(integration)
    )
    if request.method == "POST" and form.is_valid():
        try:
            integration_services.integration_update(
                account=panel_account(request), integration_id=integration.pk, **form.settings()
            )
        except IntegrationNotFound:
            raise Http404 from None
        except IntegrationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("web:shops")
    context = {
        "form": form,
        "integration": integration,
        "marketplace": _marketplace_label(integration.marketplace_id, integration.country_code),
    }
    return render(request, "web/integrations/edit.html", context, status=_status(form))


@login_required
@require_POST
def sync(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    try:
        order_services.integration_sync_now(
            account=panel_account(request), integration_id=integration.pk
        )
    except IntegrationNotFound:
        raise Http404 from None
    except (IntegrationError, ConnectorError) as exc:
        messages.error(request, explain(exc))
    else:
        messages.success(request, _("Import of %(name)s started.") % {"name": integration.name})
    return redirect("web:shops")


@login_required
@require_http_methods(["GET", "POST"])
def reimport(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    if integration.state == Integration.State.DISCONNECTED:
        raise Http404
    form = ReimportForm(
        _posted(request),
        initial={"since": clock.now().date() - dt.timedelta(days=integration.first_import_days)},
    )
    if request.method == "POST" and form.is_valid():
        since = form.cleaned_data["since"]
        try:
            order_services.integration_reimport_from(
                account=panel_account(request), integration_id=integration.pk, since=since
            )
        except IntegrationNotFound:
            raise Http404 from None
        except (IntegrationError, ConnectorError) as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("colis re-imports the orders of %(name)s changed since %(date)s.")
                % {"name": integration.name, "date": form.cleaned_data["since"].isoformat()},
            )
            return redirect("web:shops")
    context = {"form": form, "integration": integration}
    return render(request, "web/integrations/reimport.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def disconnect(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    if integration.state == Integration.State.DISCONNECTED:
        raise Http404
    if request.method == "POST":
        try:
            integration_services.integration_disconnect(
                account=panel_account(request), integration_id=integration.pk
            )
        except IntegrationNotFound:
            raise Http404 from None
        messages.success(request, _("%(name)s is disconnected.") % {"name": integration.name})
        return redirect("web:shops")
    context = {
        "integration": integration,
        "marketplace": _marketplace_label(integration.marketplace_id, integration.country_code),
    }
    return render(request, "web/integrations/disconnect.html", context)
