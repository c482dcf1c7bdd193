"""A LibreOffice kept running between conversions, restarted when it dies.

Starting LibreOffice (with the process, its own Python client and the first document's
libraries) costs about as much as converting two plans in a running one. `WarmOffice`
starts `soffice` listening on a private pipe (its own temporary profile) and a small UNO
client (`uno_convert.py`) run by the Python that has LibreOffice's `uno` module, which
is usually not the Python plangen runs on. Both are started in their own process groups
and killed as a whole. `uno_python()` says whether this machine can do it at all;
without it `pdf.py` falls back to one LibreOffice start per batch of documents.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from plangen.errors import ConversionError
from plangen.pdf.profile import new_profile

UNO_PYTHON_VAR = "PLANGEN_UNO_PYTHON"
CLIENT = Path(__file__).with_name("uno_convert.py")
START_SECONDS = 60.0
_CANDIDATES = ("/usr/lib/libreoffice/program/python", "/usr/bin/python3")


class DocumentRefused(ConversionError):
    """A running LibreOffice could not open or convert this one document."""


class OfficeTimeout(ConversionError):
    """LibreOffice took longer than allowed; it was stopped."""


@functools.lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python that can `import uno` (`$PLANGEN_UNO_PYTHON` first); None when none can.

    Set PLANGEN_UNO_PYTHON to an empty value to never keep LibreOffice warm.
    """
    wanted = os.environ.get(UNO_PYTHON_VAR)
    candidates = (wanted,) if wanted is not None else _CANDIDATES
    for candidate in candidates:
        program = shutil.which(candidate) if candidate else None
        if program is None:
            continue
        try:
            probe = subprocess.run(
                [program, "-I", "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return program
    return None


class WarmOffice:
    """One running LibreOffice converting one document at a time (thread-safe).

    Started on first use; when it has died (or hangs past `timeout`) it is killed and
    started again for the next document. `close()` stops it and removes its profile.
    """

    def __init__(self, soffice: str, python: str, timeout: float = 120.0) -> None:
        self.soffice, self.python, self.timeout = soffice, python, timeout
        self._lock = threading.Lock()
        self._office: subprocess.Popen[bytes] | None = None
        self._client: subprocess.Popen[bytes] | None = None
        self._work: Path | None = None
        self._buffer = b""
        self._closed = False
        self.starts = 0

    def __enter__(self) -> WarmOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """True while both LibreOffice and its UNO client are alive."""
        return all(p is not None and p.poll() is None for p in (self._office, self._client))

    def start(self) -> None:
        """Start LibreOffice now (otherwise the first conversion does)."""
        with self._lock:
            self._ensure_started()

    def convert(self, docx: Path, pdf: Path, timeout: float | None = None) -> None:
        """Write `pdf` from `docx`; raise ConversionError when LibreOffice cannot
        (OfficeTimeout past `timeout` seconds, this office's own when None).

        A LibreOffice found dead is restarted first; one that dies during the
        conversion is restarted and the document tried once more.
        """
        request = json.dumps({"in": str(Path(docx).resolve()), "out": str(Path(pdf).resolve())})
        with self._lock:
            for attempt in (1, 2):
                self._ensure_started()
                try:
                    reply = self._ask(request, self.timeout if timeout is None else timeout)
                except OfficeTimeout:
                    self._stop()
                    raise
                except ConversionError:
                    self._stop()
                    if attempt == 2:
                        raise
                    continue
                if reply.get("ok"):
                    return
                if self.running:
                    why = reply.get("error")
                    raise DocumentRefused(f"{docx}: LibreOffice could not convert it ({why})")
                self._stop()
        raise ConversionError(f"{docx}: LibreOffice stopped while converting it")

    def close(self) -> None:
        """Stop LibreOffice and its client; remove the profile."""
        with self._lock:
            self._stop()

    def abort(self) -> None:
        """Kill LibreOffice now, even mid-document (from any thread), and never start it
        again: a conversion under way fails at once instead of running to its end."""
        self._closed = True
        for proc in (self._client, self._office):
            if proc is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)

    def _ensure_started(self) -> None:
        if self._closed:
            raise ConversionError("LibreOffice was stopped (plangen is stopping)")
        if self.running:
            return
        self._stop()
        self._work = Path(tempfile.mkdtemp(prefix="plangen-office-"))
        pipe = f"plangen-{os.getpid()}-{secrets.token_hex(8)}"
        profile = new_profile(self._work / "profile", self.soffice)
        command = [
            self.soffice,
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        try:
            self._office = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self._client = subprocess.Popen(
                [self.python, "-I", str(CLIENT), pipe, str(self._office.pid), str(self._work)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            self._stop()
            raise ConversionError(f"LibreOffice could not be started: {exc}") from None
        self._buffer = b""
        try:
            ready = self._read_line(START_SECONDS)
        except ConversionError:
            self._stop()
            raise
        if not json.loads(ready).get("ready"):
            self._stop()
            raise ConversionError("LibreOffice started but did not answer")
        self.starts += 1

    def _ask(self, request: str, seconds: float) -> dict[str, object]:
        assert self._client is not None and self._client.stdin is not None
        try:
            self._client.stdin.write(request.encode() + b"\n")
            self._client.stdin.flush()
        except OSError:
            raise ConversionError("LibreOffice stopped") from None
        return json.loads(self._read_line(seconds))

    def _read_line(self, seconds: float) -> bytes:
        """The client's next line; ConversionError when it ends or is silent for `seconds`."""
        import selectors

        assert self._client is not None and self._client.stdout is not None
        fd = self._client.stdout.fileno()
        deadline = time.monotonic() + seconds
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OfficeTimeout(
                        f"LibreOffice did not finish within {seconds:g} s; no PDF was written",
                        "try again with a longer time-out",
                    )
                if not selector.select(left):
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise ConversionError("LibreOffice stopped")
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _stop(self) -> None:
        for proc in (self._client, self._office):
            if proc is None:
                continue
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                proc.communicate(timeout=10)
        self._office = self._client = None
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None
