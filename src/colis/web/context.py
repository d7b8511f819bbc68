from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def panel(request: HttpRequest) -> dict[str, Any]:
    """Navigation state shared by every panel page."""
    match = getattr(request, "resolver_match", None)
    return {"nav_active": match.url_name if match else ""}
