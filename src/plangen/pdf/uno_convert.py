"""Convert Word documents to PDF in a running LibreOffice, over UNO.

Run by the Python that ships LibreOffice's `uno` module (Debian: `/usr/bin/python3` with
python3-uno), not imported by plangen: `python3 uno_convert.py PIPE_NAME [GROUP WORK]`.
It connects to the LibreOffice listening on PIPE_NAME, says `{"ready": true}`, then
reads one JSON request a line on stdin, `{"in": "/a.docx", "out": "/a.pdf"}`, and
answers each with `{"ok": true}` or `{"ok": false, "error": "..."}` on stdout.

When stdin ends, plangen is gone (even killed with `kill -9`): the client then stops the
LibreOffice (process group GROUP) and removes its folder WORK, so nothing is left behind.
stdin is read only between documents, so a thread also watches the parent process: when
plangen goes in the middle of a long document, LibreOffice is stopped within a moment.
"""

import contextlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60
WATCH_SECONDS = 0.2
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: never follow links
# A tagged PDF that declares PDF/UA-1: the same options as plangen.pdf.accessible's
# EXPORT_OPTIONS (this script runs in LibreOffice's Python and cannot import plangen).
EXPORT_OPTIONS = (("UseTaggedPDF", True), ("PDFUACompliance", True))


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def convert(desktop, source, target):
    load = (
        prop("Hidden", True),
        prop("ReadOnly", True),
        prop("FilterName", "MS Word 2007 XML"),
        prop("UpdateDocMode", NO_UPDATE),
        prop("MacroExecutionMode", 0),
    )
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, load)
    if doc is None:
        raise RuntimeError("not a readable Word document")
    try:
        options = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(prop(name, value) for name, value in EXPORT_OPTIONS),
        )
        store = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", options))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(target), store))
    finally:
        doc.close(True)


def left_alone(group, work):
    """plangen has gone without stopping LibreOffice: stop it and remove its folder (only
    a `plangen-office-*` folder in the temporary directory, never anything else)."""
    if group and still_office(group):
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    folder = os.path.realpath(work) if work else ""
    in_temp = os.path.dirname(folder) == os.path.realpath(tempfile.gettempdir())
    if in_temp and os.path.basename(folder).startswith("plangen-office-"):
        shutil.rmtree(folder, ignore_errors=True)


def still_office(group):
    """False when the number `group` now names another program (LibreOffice died long ago
    and its process number was reused): that group is never killed."""
    try:
        with open(f"/proc/{group}/cmdline", "rb") as handle:
            command = handle.read()
    except OSError:  # gone (its group may live on), or no /proc: LibreOffice's to stop
        return True
    return b"office" in command or b"oosplash" in command


def watch_parent(group, work):
    """Stop LibreOffice and end this client as soon as plangen (the parent) is gone."""
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    left_alone(group, work)
    os._exit(0)


def main():
    group = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    work = sys.argv[3] if len(sys.argv) > 3 else ""
    threading.Thread(target=watch_parent, args=(group, work), daemon=True).start()
    try:
        serve(sys.argv[1])
    finally:
        left_alone(group, work)


def serve(pipe):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            convert(desktop, request["in"], request["out"])
            reply: dict[str, object] = {"ok": True}
        except Exception as exc:  # every failure is an answer, never a crash
            message = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
            reply = {"ok": False, "error": message.strip().splitlines()[0][:300]}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
