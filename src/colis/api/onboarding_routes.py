"""Addresses and direct debit endpoints (filled in by the onboarding work)."""

from __future__ import annotations

from ninja import NinjaAPI


def mount(api: NinjaAPI) -> None:
    return None
