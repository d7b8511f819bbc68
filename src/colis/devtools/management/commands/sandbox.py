"""`colis sandbox serve ...`: run the local Amazon sandbox (see docs/sandbox.md)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the Amazon sandbox: `colis sandbox serve [--host] [--port] [--seed N] [--orders N] [--time-scale X]`."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", nargs="*")

    def run_from_argv(self, argv: list[str]) -> None:
        # Hand everything after `sandbox` to the sandbox's own argument parser.
        from amazon_sandbox.cli import main

        code = main(argv[2:])
        sys.exit(code)

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError("use: colis sandbox serve [options]")
