"""`python -m amazon_sandbox serve ...` (and `colis sandbox serve`)."""

from __future__ import annotations

import argparse
import logging
import sys

from . import defaults
from .faults import FaultSpecError, parse_fault
from .runner import make_sandbox, serve_forever


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amazon-sandbox", description="A local Amazon (SP-API, LWA, MWS) for tests and demos."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the sandbox (blocks)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8100)
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--orders", type=int, default=200)
    serve.add_argument(
        "--time-scale", type=float, default=1.0, help="multiply every rate plan's refill rate"
    )
    serve.add_argument(
        "--no-rate-limits", action="store_true", help="serve without throttling (load tests)"
    )
    serve.add_argument(
        "--redirect-uri",
        default=defaults.REDIRECT_URI,
        help="the default application's redirect URI",
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="OP:KIND:VALUE",
        help="inject a fault, e.g. getOrders:503:0.2, searchOrders:latency:1.5, confirmShipment:silent_drop:1",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        faults = [parse_fault(spec) for spec in args.fault]
    except FaultSpecError as exc:
        sys.stderr.write(f"amazon-sandbox: {exc}\n")
        return 2
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    sb = make_sandbox(
        seed=args.seed,
        orders=args.orders,
        time_scale=args.time_scale,
        rate_limits=not args.no_rate_limits,
        faults=faults,
        redirect_uri=args.redirect_uri,
    )
    sb.base_url = f"http://{args.host}:{args.port}"
    sys.stdout.write(
        f"Amazon sandbox on {sb.base_url} (seed {args.seed}, {args.orders} orders); "
        f"controls under {sb.base_url}/_sandbox/\n"
    )
    sys.stdout.flush()
    serve_forever(sb, args.host, args.port)
    return 0
