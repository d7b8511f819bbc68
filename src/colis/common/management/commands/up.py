"""`colis up`: migrate, then run the web server, the worker and the scheduler as one group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from colis.common.crypto import EncryptionKeyError
from colis.common.keycheck import encryption_keys_check

RESTART_LIMIT = 5  # restarts of one child within RESTART_WINDOW before the group gives up
RESTART_WINDOW = 60.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(self.argv, env=env)  # noqa: S603 - our own interpreter and modules


class Command(BaseCommand):
    help = "Migrate, then run the web server, the worker and the scheduler (Ctrl-C stops them all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--demo", action="store_true", help="seed a demo seller whose onboarding is complete"
        )
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument(
            "--sandbox-port", type=int, default=8100, help="with --demo: the Amazon sandbox's port"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            call_command("migrate", interactive=False, verbosity=0)
            encryption_keys_check()
        except EncryptionKeyError as exc:
            raise CommandError(f"colis refuses to start: {exc}") from exc
        env = {**os.environ, "COLIS_DATA_DIR": str(settings.DATA_DIR), "PYTHONUNBUFFERED": "1"}
        children = self._children(options)
        if options["demo"]:
            from colis.devtools.demo import demo_sandbox_env

            # The demo talks to the local Amazon sandbox, started as a fourth member of the group.
            sandbox_env = demo_sandbox_env(
                colis_port=options["port"], sandbox_port=options["sandbox_port"]
            )
            env.update(sandbox_env)
            os.environ.update(sandbox_env)
            children.append(self._sandbox_child(options, sandbox_env["COLIS_AMAZON_REDIRECT_URI"]))
            call_command("demo")
            self.stdout.write(
                f"colis: Amazon sandbox on http://127.0.0.1:{options['sandbox_port']}/_sandbox/"
            )
        self.stdout.write(f"colis: data folder {settings.DATA_DIR}")
        self.stdout.write(
            f"colis: open http://{options['host']}:{options['port']}/  (Ctrl-C stops)"
        )
        self._supervise(children, env)

    def _children(self, options: dict[str, Any]) -> list[Child]:
        py = sys.executable
        bind = f"{options['host']}:{options['port']}"
        return [
            Child(
                "web",
                [
                    py,
                    "-m",
                    "gunicorn",
                    "colis.wsgi:application",
                    "--bind",
                    bind,
                    "--workers",
                    str(options["web_workers"]),
                    "--threads",
                    "4",
                    "--graceful-timeout",
                    "10",
                    "--access-logfile",
                    "-",
                ],
            ),
            Child("worker", [py, "-m", "colis", "run_huey", "--no-periodic"]),
            Child("scheduler", [py, "-m", "colis", "scheduler"]),
        ]

    def _sandbox_child(self, options: dict[str, Any], redirect_uri: str) -> Child:
        return Child(
            "sandbox",
            [
                sys.executable,
                "-m",
                "colis",
                "sandbox",
                "serve",
                "--port",
                str(options["sandbox_port"]),
                "--redirect-uri",
                redirect_uri,
            ],
        )

    def _supervise(self, children: list[Child], env: dict[str, str]) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for child in children:
            child.start(env)
        try:
            while not stopping:
                time.sleep(0.5)
                for child in children:
                    assert child.process is not None
                    code = child.process.poll()
                    if code is None or stopping:
                        continue
                    now = time.monotonic()
                    child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW] + [now]
                    if len(child.restarts) > RESTART_LIMIT:
                        self.stderr.write(
                            f"colis: {child.name} keeps exiting (code {code}); stopping."
                        )
                        stopping = True
                        break
                    self.stderr.write(
                        f"colis: {child.name} exited with code {code}; restarting it."
                    )
                    child.start(env)
        finally:
            self._stop_all(children)

    def _stop_all(self, children: list[Child]) -> None:
        for child in children:
            if child.process and child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        self.stdout.write("colis: stopped.")
