"""The HTTP server around the app: uvicorn with time limits on slow clients, a cap on
connections and logs that stay small under attack.

uvicorn has no time limit on a request's headers or body: a client dripping one byte a
second holds its connection for ever, and enough of them use up the process's file
descriptors. `GuardedH11Protocol` cuts a connection whose headers are not complete
within HEADER_SECONDS or whose body is not complete within BODY_SECONDS, and closes new
connections at once past MAX_CONNECTIONS. This runs before the access-code check, so
it holds with `--host` too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import resource
import time
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from plangen.web.guard import is_local

HEADER_SECONDS = 10.0
"""A request's headers must arrive within this time of the connection (or of the end of
the previous response on a kept-alive connection)."""
BODY_SECONDS = 120.0
"""A request's body (an upload of up to 10 MB) must arrive within this time."""
KEEP_ALIVE_SECONDS = 5
"""An idle kept-alive connection is closed after this."""
MAX_CONNECTIONS = 200
"""Open connections; one more is closed at once."""
MAX_PER_CLIENT = 32
"""Open connections from one address other than this computer's (a browser opens 6);
one more from it is closed at once, so one client cannot take every connection."""
LIMIT_CONCURRENCY = 100
"""Requests and connections served at once; past them uvicorn answers 503."""
MAX_HEADER_BYTES = 16 * 1024
"""h11's cap on a request's headers (and on any incomplete event)."""
GRACEFUL_SECONDS = 5
"""Ctrl-C waits at most this long for requests under way."""
LOG_REPEAT_SECONDS = 10.0


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with header and body deadlines and a connection cap."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._phase = ""
        self._timer: asyncio.TimerHandle | None = None
        if len(self.connections) > MAX_CONNECTIONS or self._too_many_from_client():
            transport.abort()
            return
        self._arm("headers", HEADER_SECONDS)

    def _too_many_from_client(self) -> bool:
        """True when this connection's address, not a loopback one, has more than
        MAX_PER_CLIENT open."""
        address = self.client[0] if self.client else ""
        if not address or is_local(address):
            return False
        peers = [getattr(c, "client", None) for c in self.connections]  # any protocol
        same = sum(1 for peer in peers if peer and peer[0] == address)
        return same > MAX_PER_CLIENT

    def _arm(self, phase: str, seconds: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._phase = phase
        self._timer = self.loop.call_later(seconds, self._too_slow) if seconds else None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY and self._phase == "headers":
            self._arm("body", BODY_SECONDS)
        elif state is h11.DONE and self._phase in ("headers", "body"):
            self._arm("app", 0)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm("headers", HEADER_SECONDS + KEEP_ALIVE_SECONDS)

    def connection_lost(self, exc: Exception | None) -> None:
        if getattr(self, "_timer", None) is not None:
            self._timer.cancel()  # type: ignore[union-attr]
            self._timer = None
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._timer = None
        if self._phase in ("headers", "body") and not self.transport.is_closing():
            logging.getLogger("plangen.web").warning(
                "closed a connection whose request %s did not arrive in time", self._phase
            )
            self.transport.abort()


class QuietLog(logging.Filter):
    """Drops tracebacks (kept with PLANGEN_DEBUG=1) and repeats: one line per kind of
    message every 10 s at most, so an attack cannot fill the disk with log lines."""

    def __init__(self) -> None:
        super().__init__()
        self._last: dict[tuple[str, Any], float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.msg)
        now = time.monotonic()
        if now - self._last.get(key, -LOG_REPEAT_SECONDS) < LOG_REPEAT_SECONDS:
            return False
        if len(self._last) > 1000:
            self._last.clear()
        self._last[key] = now
        if record.exc_info and not os.environ.get("PLANGEN_DEBUG"):
            error = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


_QUIET = QuietLog()


def quiet_logs() -> None:
    """Put QuietLog on the loggers a network attack reaches (once)."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "asyncio", "plangen.web"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


def more_file_descriptors() -> None:
    """Raise the soft limit of open files to the hard one (connections need them)."""
    with contextlib.suppress(ValueError, OSError):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def server_config(app: Any, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    """uvicorn's configuration for `app` with every limit above."""
    quiet_logs()
    more_file_descriptors()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        http=GuardedH11Protocol,
        ws="none",
        lifespan="on",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
        limit_concurrency=LIMIT_CONCURRENCY,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        server_header=False,
        proxy_headers=False,
    )
