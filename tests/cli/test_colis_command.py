"""The `colis` command as an operator runs it: real processes, a real data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.timeout(180)


def colis(
    *args: str, data: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLIS_DATA_DIR": str(data), **(env or {})}
    # The tests' DATABASE_URL points at the test runner's database: use the data folder's SQLite.
    full_env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "colis", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_up_serves_the_panel_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port, sandbox_port = free_port(), free_port()
    env = {**os.environ, "COLIS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "colis",
            "up",
            "--port",
            str(port),
            "--demo",
            "--sandbox-port",
            str(sandbox_port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ).status_code
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert status == 200
        # --demo also runs the Amazon sandbox beside colis.
        sandbox = None
        while time.monotonic() < deadline and sandbox is None:
            try:
                sandbox = httpx.get(
                    f"http://127.0.0.1:{sandbox_port}/_sandbox/authorizations", timeout=2
                )
            except httpx.TransportError:
                time.sleep(0.5)
        assert sandbox is not None
        assert sandbox.status_code == 200
        # The demo seller can log in through the API-free path: the login page renders in French too.
        fr = httpx.get(
            f"http://127.0.0.1:{port}/accounts/login/", headers={"Accept-Language": "fr"}, timeout=5
        )
        assert fr.status_code == 200
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=40)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 0, out
    assert "colis: stopped." in out
    assert (tmp_path / "encryption.key").stat().st_mode & 0o777 == 0o600
    assert "generated a field-encryption key" in out
    # Nothing of the group is left running.
    leftover = subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""


def test_wrong_encryption_key_refuses_to_start(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    assert colis("migrate", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": key}).returncode == 0
    assert colis("check", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": key}).returncode == 0
    other = Fernet.generate_key().decode()
    result = colis(
        "up", "--port", str(free_port()), data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": other}
    )
    assert result.returncode != 0
    assert "refuses to start" in result.stderr
    assert "cannot be decrypted" in result.stderr
    check = colis("check", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": other})
    assert check.returncode != 0
    assert "encryption keys" in check.stderr


def test_createuser_apikey_and_outbox(tmp_path: Path) -> None:
    assert colis("migrate", data=tmp_path).returncode == 0
    short = colis("createuser", "--email", "a@example.test", "--password", "short", data=tmp_path)
    assert short.returncode != 0
    assert "12" in short.stderr
    made = colis(
        "createuser",
        "--email",
        "a@example.test",
        "--password",
        "a long enough secret",
        data=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    created = colis("apikey", "create", "--email", "a@example.test", data=tmp_path)
    assert created.returncode == 0
    key = created.stdout.strip()
    assert key.startswith("colis_")
    listed = colis("apikey", "list", "--email", "a@example.test", data=tmp_path)
    assert key[-4:] in listed.stdout
    assert key not in listed.stdout
    assert "empty" in colis("outbox", data=tmp_path).stdout
    assert "keys: ok" in colis("check", data=tmp_path).stdout


def test_rotate_keys_command_name(tmp_path: Path) -> None:
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    assert colis("migrate", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": old}).returncode == 0
    assert colis("check", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": old}).returncode == 0
    rotated = colis("rotate-keys", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": f"{new},{old}"})
    assert rotated.returncode == 0, rotated.stderr
    assert colis("check", data=tmp_path, env={"COLIS_ENCRYPTION_KEYS": new}).returncode == 0
