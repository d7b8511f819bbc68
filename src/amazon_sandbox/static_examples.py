"""Replays Amazon's static sandbox examples for the static-examples seller: the request
that matches an example's parameters gets that example's status and body."""

from __future__ import annotations

from typing import Any

import orjson

from .static_examples_data import EXAMPLES
from .web import Ctx, Result

# The response has no body for these statuses.
NO_CONTENT = frozenset({204})


def _param(ctx: Ctx, name: str, expected: Any) -> bool:
    if name == "body":
        return bool(ctx.body) and ctx.json_body() == expected
    if name in ctx.request.path_params:
        return str(ctx.request.path_params[name]) == str(expected)
    if name not in ctx.request.query_params:
        # An empty path parameter (e.g. getCatalogItem with asin "") is absent from the route.
        return expected == "" and name in ("asin", "orderId", "feedId", "feedDocumentId", "sku")
    if isinstance(expected, list):
        raw = [v for value in ctx.request.query_params.getlist(name) for v in value.split(",")]
        return raw == [str(v) for v in expected]
    value = ctx.query(name)
    return value == (str(expected).lower() if isinstance(expected, bool) else str(expected))


def answer(ctx: Ctx) -> Result | None:
    """The best-matching example's response, or None (then the live handler answers)."""
    best: tuple[int, Any, int] | None = None
    best_score = -1
    for status, params, response in EXAMPLES.get(ctx.operation, []):
        try:
            matched = all(_param(ctx, name, value) for name, value in params.items())
        except Exception:
            matched = False
        if matched and len(params) > best_score:
            best, best_score = (status, response, len(params)), len(params)
    if best is None:
        return None
    status, response, _ = best
    if status in NO_CONTENT:
        return Result(status, None)
    return Result(status, orjson.dumps(response))
