"""Reading configuration from the environment, and the data folder's generated secrets."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def resolve_data_dir() -> Path:
    """The folder holding the SQLite database, queue, key files and stored labels."""
    path = Path(os.environ.get("COLIS_DATA_DIR") or Path.cwd() / "data").expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_private_file(path: Path, content: str) -> None:
    """Create a file readable by its owner only (0600) without a window where it is wider."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)


def load_or_create_secret(path: Path, what: str) -> str:
    if path.exists():
        return path.read_text().strip()
    value = secrets.token_urlsafe(50)
    try:
        write_private_file(path, value + "\n")
    except FileExistsError:  # another process won the race: use its value
        return path.read_text().strip()
    sys.stderr.write(f"colis: generated a new {what} in {path} (mode 0600)\n")
    return value
