"""Bounds on the web server's heavy work: how many plans are read, built or rendered at
once, how many may wait, and the page shown past that.

Every number here is listed in docs/threat-model.md.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool

T = TypeVar("T")

HEAVY_SLOTS = max(1, min(4, os.cpu_count() or 1))
"""Plans read, built or rendered at the same time (one per CPU, at most 4)."""
HEAVY_WAITING = 16
"""Requests that may wait for a slot; past them the page says "busy, try again"."""
PDF_JOBS = max(2, min(4, os.cpu_count() or 1))
"""LibreOffices converting at the same time: one slow document never holds up
another user's PDF alone."""
LARGE_DOCX = 100_000
"""A .docx over this many bytes (a plan of ~1,000 supports; the example's is 40 KB) is
converted by all LibreOffices but one, which stays free for plans of usual size."""
PDF_QUEUE = 32
"""PDFs that may wait for a LibreOffice; past them the page says the server is busy."""
PDF_BASE_SECONDS = 60.0
PDF_SECONDS_PER_KB = 0.5
PDF_MAX_SECONDS = 600.0
RETRY_SECONDS = 60


def pdf_seconds(size: int) -> float:
    """The time a document of `size` bytes may take to become a PDF: 60 s, plus 0.5 s a
    KB of .docx (a plan of 8,000 supports is ~650 KB), at most 10 minutes."""
    return min(PDF_MAX_SECONDS, PDF_BASE_SECONDS + PDF_SECONDS_PER_KB * size / 1024)


class Busy(Exception):
    """Too much heavy work is under way or waiting; the request is turned away."""


class Gate:
    """Runs blocking work in threads, `slots` at a time; more than `waiting` requests
    waiting for a slot are turned away with Busy (never queued without end)."""

    def __init__(self, slots: int = HEAVY_SLOTS, waiting: int = HEAVY_WAITING) -> None:
        self.slots, self.waiting = slots, waiting
        self._semaphore: asyncio.Semaphore | None = None
        self._inside = 0

    async def run(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(*args, **kwargs)` in a worker thread once a slot is free; Busy when too
        many wait."""
        if self._inside >= self.slots + self.waiting:
            raise Busy
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.slots)
        self._inside += 1
        try:
            async with self._semaphore:
                return await run_in_threadpool(work, *args, **kwargs)
        finally:
            self._inside -= 1
