"""Convert Word documents to PDF in a running LibreOffice, over UNO.

Run by the Python that ships LibreOffice's `uno` module (Debian: `/usr/bin/python3` with
python3-uno), not imported by plangen: `python3 uno_convert.py PIPE_NAME`. It connects
to the LibreOffice listening on PIPE_NAME, says `{"ready": true}`, then reads one JSON
request a line on stdin, `{"in": "/a.docx", "out": "/a.pdf"}`, and answers each with
`{"ok": true}` or `{"ok": false, "error": "..."}` on stdout.
"""

import json
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

CONNECT_SECONDS = 60
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: never follow links


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
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "writer_pdf_Export"),))
    finally:
        doc.close(True)


def main():
    ctx = connect(sys.argv[1])
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            convert(desktop, request["in"], request["out"])
            reply = {"ok": True}
        except Exception as exc:  # every failure is an answer, never a crash
            message = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
            reply = {"ok": False, "error": message.strip().splitlines()[0][:300]}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
