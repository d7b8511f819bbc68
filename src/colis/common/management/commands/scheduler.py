"""`colis scheduler`: enqueue due periodic tasks once a minute (the worker runs them)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from huey.contrib.djhuey import HUEY


class Command(BaseCommand):
    help = "Enqueue periodic tasks when they are due; run beside `run_huey --no-periodic`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for task in HUEY.read_periodic(None):
                HUEY.enqueue(task)
            if options["once"]:
                return
            # Wake at the next minute boundary, checking the stop flag meanwhile.
            wake = (int(time.time()) // 60 + 1) * 60
            while not stopping and time.time() < wake:
                time.sleep(min(1.0, wake - time.time()))
            if stopping:
                return
