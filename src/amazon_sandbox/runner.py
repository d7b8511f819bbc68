"""Start the sandbox in a background thread (tests, benchmarks) or in the foreground (CLI)."""

from __future__ import annotations

import importlib.util
import logging
import socket
import threading
import time
from datetime import datetime
from types import TracebackType

import uvicorn

from . import defaults
from .app import build_app
from .faults import Fault
from .state import Sandbox

log = logging.getLogger(__name__)


class _QuietFaults(logging.Filter):
    """The `disconnect` fault aborts responses on purpose: keep that out of uvicorn's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, ConnectionAbortedError) and "sandbox fault" in str(exc))


logging.getLogger("uvicorn.error").addFilter(_QuietFaults())


class RunningSandbox:
    """A sandbox served by uvicorn on a background thread."""

    def __init__(
        self, state: Sandbox, server: uvicorn.Server, thread: threading.Thread, url: str
    ) -> None:
        self.state = state
        self.url = url
        self._server = server
        self._thread = thread

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def make_sandbox(
    *,
    seed: int = 1,
    orders: int = 200,
    time_scale: float = 1.0,
    rate_limits: bool = True,
    faults: list[Fault] | None = None,
    start_time: datetime | None = None,
    redirect_uri: str = defaults.REDIRECT_URI,
) -> Sandbox:
    sb = Sandbox(
        seed=seed,
        orders=orders,
        time_scale=time_scale,
        rate_limits=rate_limits,
        start=start_time.timestamp() if start_time else None,
        redirect_uri=redirect_uri,
    )
    for fault in faults or []:
        sb.faults.add(fault)
    return sb


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _config(sb: Sandbox, host: str, sock: socket.socket | None, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        build_app(sb),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # The C HTTP parser and event loop when present (uvicorn[standard]): a third less
        # CPU per request than h11 and asyncio; neither is a dependency of the sandbox.
        http="httptools" if _installed("httptools") else "h11",
        loop="uvloop" if _installed("uvloop") else "asyncio",
        timeout_keep_alive=30,
    )


def start_sandbox(
    *,
    seed: int = 1,
    orders: int = 200,
    time_scale: float = 1.0,
    rate_limits: bool = True,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: list[Fault] | None = None,
    start_time: datetime | None = None,
    redirect_uri: str = defaults.REDIRECT_URI,
) -> RunningSandbox:
    """Start a sandbox on a free port (port=0) in a background thread and wait until it serves."""
    sb = make_sandbox(
        seed=seed,
        orders=orders,
        time_scale=time_scale,
        rate_limits=rate_limits,
        faults=faults,
        start_time=start_time,
        redirect_uri=redirect_uri,
    )
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound_port = sock.getsockname()[1]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{bound_port}"
    sb.base_url = url
    server = uvicorn.Server(_config(sb, host, sock, bound_port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="amazon-sandbox", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the Amazon sandbox did not start")
        time.sleep(0.01)
    return RunningSandbox(sb, server, thread, url)


def serve_forever(sb: Sandbox, host: str, port: int) -> None:
    sb.base_url = sb.base_url or f"http://{host}:{port}"
    uvicorn.Server(_config(sb, host, None, port)).run()
