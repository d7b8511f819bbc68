"""The panel's views: thin, they call selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from colis.accounts.selectors import ONBOARDING_STEPS, onboarding_state
from colis.web.request import panel_account, panel_user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    state = onboarding_state(account=panel_account(request), user=panel_user(request))
    return render(request, "web/dashboard.html", {"state": state, "steps": ONBOARDING_STEPS})
