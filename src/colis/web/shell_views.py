"""The panel shell's own pages: notifications, account, operator outbox.

Views stay thin: they read through selectors and write through services.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.mfa.models import Authenticator
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from colis.accounts.models import ApiKey, User
from colis.accounts.selectors import apikey_list, user_email_verified
from colis.accounts.services import apikey_create, apikey_revoke
from colis.notifications.selectors import notification_list, outbox_list
from colis.notifications.services import (
    NotificationNotFound,
    notification_mark_all_read,
    notification_mark_read,
)
from colis.web.request import panel_account, panel_user

View = Callable[..., HttpResponse]

# Messages from Django itself, shown on the sign-up and sign-in pages, that colis words its
# own way in French ("e-mail" throughout, where Django says "courriel"). Listing them here
# puts them in colis's catalogue, which takes precedence over Django's.
TERMINOLOGY = (gettext_noop("Enter a valid email address."),)


def staff_required(view: View) -> View:
    """Operator pages: sellers get the same 404 as for a page that does not exist."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not panel_user(request).is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    user = panel_user(request)
    unread_only = request.GET.get("unread") == "1"
    rows = notification_list(user=user, unread=unread_only, language=translation.get_language())
    return render(
        request, "web/notifications.html", {"notifications": rows, "unread_only": unread_only}
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        notification_mark_read(user=panel_user(request), notification_id=notification_id)
    except NotificationNotFound:
        raise Http404 from None
    return redirect("web:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_all_read(user=panel_user(request))
    if marked:
        messages.success(request, translation.gettext("All notifications are marked read."))
    return redirect("web:notifications")


class LanguageForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("language",)
        labels = {"language": _("Panel and e-mail language")}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"),
        max_length=100,
        required=False,
        help_text=_("Something to recognise it by, for example the tool that uses it."),
    )


def _account_page(request: HttpRequest, **context: Any) -> HttpResponse:
    user = panel_user(request)
    keys = apikey_list(account=panel_account(request)) if user.account_id else []
    context.setdefault("language_form", LanguageForm(instance=user))
    context.setdefault("apikey_form", ApiKeyForm())
    context["api_keys"] = keys
    context["email_verified"] = user_email_verified(user=user)
    context["totp_active"] = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    status = context.pop("status", 200)
    return render(request, "web/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


@login_required
@require_POST
def account_language(request: HttpRequest) -> HttpResponse:
    user = panel_user(request)
    form = LanguageForm(request.POST, instance=user)
    if not form.is_valid():
        return _account_page(request, language_form=form, status=400)
    form.save()
    language = user.language
    translation.activate(language)
    messages.success(request, translation.gettext("Your language preference is saved."))
    response = redirect("web:account")
    # The language cookie wins over the saved preference (see UserLanguageMiddleware), so
    # bring it in line with what was just chosen.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@login_required
@require_POST
def apikey_new(request: HttpRequest) -> HttpResponse:
    user = panel_user(request)
    panel_account(request)
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _account_page(request, apikey_form=form, status=400)
    new = apikey_create(user=user, name=form.cleaned_data["name"])
    # The raw key is rendered in this one response and never stored: it cannot be shown again.
    response = _account_page(request, new_key=new.raw, new_key_name=new.api_key.name)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def apikey_delete(request: HttpRequest, key_id: int) -> HttpResponse:
    try:
        key = apikey_revoke(account=panel_account(request), key_id=key_id)
    except ApiKey.DoesNotExist:
        raise Http404 from None
    messages.success(
        request,
        translation.gettext("The API key ending in %(last4)s is revoked.") % {"last4": key.last4},
    )
    return redirect("web:account")


@staff_required
def outbox(request: HttpRequest) -> HttpResponse:
    to = request.GET.get("to", "").strip()
    return render(
        request, "web/outbox.html", {"outbox": outbox_list(to=to or None, limit=100), "to": to}
    )
