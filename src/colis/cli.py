"""The `colis` command: Django management commands under one name.

`--data DIR` (anywhere on the line) chooses the data folder before settings load;
hyphenated names map to the commands behind them (`rotate-keys` → `rotate_keys`).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"rotate-keys": "rotate_keys"}


def _take_data_option(argv: list[str]) -> list[str]:
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--data":
            value = next(args, None)
            if value is None:
                sys.stderr.write("colis: --data needs a folder\n")
                raise SystemExit(2)
            os.environ["COLIS_DATA_DIR"] = os.path.abspath(value)
        elif arg.startswith("--data="):
            os.environ["COLIS_DATA_DIR"] = os.path.abspath(arg.split("=", 1)[1])
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> None:
    args = _take_data_option(list(sys.argv[1:] if argv is None else argv))
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "colis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["colis", *args])


if __name__ == "__main__":
    main()
