"""Typed access to the signed-in user and their account in panel views."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from colis.accounts.models import Account, User


def panel_user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    return user


def panel_account(request: HttpRequest) -> Account:
    account = panel_user(request).account
    if account is None:  # operators without an account have no seller pages
        raise Http404
    return account
