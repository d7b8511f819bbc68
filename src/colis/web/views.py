"""The panel's views: thin, they call selectors and services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from colis.accounts.selectors import ONBOARDING_STEPS, onboarding_state
from colis.web.request import panel_account, panel_user

# Where each onboarding step is completed.
STEP_URLS = {
    "email_verified": ("account_email", ""),
    "sender_address": ("web:address_create", "?kind=sender"),
    "return_address": ("web:addresses", "#return-address"),
    "billing_address": ("web:address_create", "?kind=billing"),
    "direct_debit": ("web:direct_debit", ""),
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    state = onboarding_state(account=panel_account(request), user=panel_user(request))
    done = state.as_dict()
    steps = [
        {
            "key": key,
            "label": label,
            "done": bool(done[key]),
            "url": reverse(STEP_URLS[key][0]) + STEP_URLS[key][1],
        }
        for key, label in ONBOARDING_STEPS.items()
    ]
    missing = [ONBOARDING_STEPS[key] for key in state.missing]
    context = {"state": state, "steps": steps, "missing": missing}
    return render(request, "web/dashboard.html", context)
