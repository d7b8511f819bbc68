"""The panel's views: thin, they call selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from colis.accounts.selectors import ONBOARDING_STEPS, onboarding_state


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    state = onboarding_state(account=request.user.account, user=request.user)  # type: ignore[union-attr]
    return render(request, "web/dashboard.html", {"state": state, "steps": ONBOARDING_STEPS})
