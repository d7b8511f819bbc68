"""`colis archive decrypt FILE|FOLDER`: the tax archive as JSON lines, for an accountant.

The age private key (AGE-SECRET-KEY-…, or an age key file) is read from standard input, so
it never appears in the process list or the shell history:

    colis archive decrypt /var/lib/colis/archives/12 < key.txt > orders.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from colis.privacy.archive import (
    ArchiveDecryptError,
    archive_files,
    archive_records,
    identity_parse,
)


class Command(BaseCommand):
    help = "Decrypt the offline tax archive (age) with the private key given on standard input."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        decrypt = sub.add_parser("decrypt", help="print an archive file's (or folder's) records")
        decrypt.add_argument("path", help="an archive file (.jsonl.age) or an account's folder")
        decrypt.add_argument(
            "--output", "-o", help="write the JSON lines to this file instead of standard output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        files = archive_files(path)
        if not files:
            raise CommandError(f"{path}: no archive files (*.jsonl.age)")
        try:
            identities = identity_parse(sys.stdin.read())
            records = list(archive_records(files, identities))
        except ArchiveDecryptError as exc:
            raise CommandError(str(exc)) from exc
        lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        if options.get("output"):
            Path(options["output"]).write_text(lines, encoding="utf-8")
            self.stderr.write(f"{len(records)} record(s) from {len(files)} file(s) written")
        else:
            self.stdout.write(lines, ending="")
