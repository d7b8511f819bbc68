"""Panel pages of an authorization's lifecycle: renew (or reconnect) and revoke a connected
shop, each behind a confirmation page. Thin: colis.integrations.lifecycle does the work."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from colis.integrations import lifecycle
from colis.integrations.errors import IntegrationError, IntegrationNotFound
from colis.integrations.models import Integration
from colis.integrations.ports import ConnectorError, InvalidCredentials
from colis.web.integration_views import _integration_or_404, _marketplace_label, explain
from colis.web.request import panel_account, panel_user


class RenewSelfForm(forms.Form):
    refresh_token = forms.CharField(
        label=gettext_lazy("New refresh token"),
        max_length=2048,
        help_text=gettext_lazy(
            "Authorize your application again in Seller Central (Develop Apps) and paste the "
            "refresh token it shows. Starts with Atzr|"
        ),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


def _renew_error(exc: IntegrationError | ConnectorError) -> str:
    if isinstance(exc, lifecycle.RenewalNotPossible | lifecycle.RenewalNeedsConsent):
        return exc.message
    if isinstance(exc, InvalidCredentials):
        return _(
            "Amazon does not accept this authorization yet: renew it in Seller Central › "
            "Settings › User Permissions first, then try again here."
        )
    return explain(exc)


@login_required
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    if integration.state == Integration.State.DISCONNECTED:
        raise Http404
    account = panel_account(request)
    kind = integration.auth_kind
    raw = integration.credentials
    credentials: dict[str, object] = dict(raw) if isinstance(raw, dict) else {}
    mws_token_kept = bool(credentials.get("mws_auth_token"))
    form = RenewSelfForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        try:
            if kind == Integration.AuthKind.MWS and mws_token_kept:
                lifecycle.integration_renew(account=account, integration_id=integration.pk)
            elif kind == Integration.AuthKind.SPAPI_SELF:
                if not form.is_valid():
                    raise lifecycle.RenewalNotPossible(_("Paste the new refresh token."))
                lifecycle.integration_renew(
                    account=account,
                    integration_id=integration.pk,
                    refresh_token=form.cleaned_data["refresh_token"],
                )
            else:
                if not request.session.session_key:
                    request.session.save()
                url = lifecycle.integration_renew_oauth_start(
                    account=account,
                    user=panel_user(request),
                    session_key=str(request.session.session_key),
                    integration_id=integration.pk,
                )
                return HttpResponseRedirect(url)
        except IntegrationNotFound:
            raise Http404 from None
        except (IntegrationError, ConnectorError) as exc:
            error = _renew_error(exc)
        else:
            integration.refresh_from_db()
            messages.success(
                request,
                _("The authorization of %(name)s is renewed until %(date)s. Imports resume.")
                % {
                    "name": integration.name,
                    "date": formats.date_format(integration.expires_at, "DATE_FORMAT")
                    if integration.expires_at
                    else "",
                },
            )
            return redirect("web:shops")
    context = {
        "integration": integration,
        "marketplace": _marketplace_label(integration.marketplace_id, integration.country_code),
        "form": form,
        "error": error,
        "mws_same_token": kind == Integration.AuthKind.MWS and mws_token_kept,
        "self_authorized": kind == Integration.AuthKind.SPAPI_SELF,
    }
    status = 400 if error else 200
    return render(request, "web/integrations/renew.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, integration_id: int) -> HttpResponse:
    integration = _integration_or_404(request, integration_id)
    if integration.state == Integration.State.DISCONNECTED:
        raise Http404
    if request.method == "POST":
        try:
            lifecycle.integration_revoke(
                account=panel_account(request), integration_id=integration.pk
            )
        except IntegrationNotFound:
            raise Http404 from None
        except IntegrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The authorization of %(name)s is revoked; colis deleted its token.")
                % {"name": integration.name},
            )
        return redirect("web:shops")
    context = {
        "integration": integration,
        "marketplace": _marketplace_label(integration.marketplace_id, integration.country_code),
    }
    return render(request, "web/integrations/revoke.html", context)
