"""A fresh LibreOffice profile that skips the work of a first start.

Each LibreOffice plangen starts gets a profile of its own (two never share one). A new
profile looks to LibreOffice like an upgrade, and on an upgrade it runs its graphics
self-tests before doing anything else: about 30 drawings on 4096 x 4096 pixel canvases,
two thirds of a start's time (0.6 of 0.9 s measured with LibreOffice 7.4, see
docs/design-notes.md). The tests change nothing for a PDF. `new_profile` writes the one
setting that says this version has run before (`ooSetupLastVersion`), read from the
installation itself, so LibreOffice starts straight away.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

# Where an installation keeps its default settings, from the folder holding `soffice`:
# Linux, Windows and the builds of The Document Foundation; macOS.
_SETTINGS = ("../share/registry/main.xcd", "../Resources/registry/main.xcd")
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')
_READ_AT_MOST = 8 * 1024 * 1024


@functools.lru_cache(maxsize=8)
def office_version(soffice: str) -> str | None:
    """The version ("7.4") of the LibreOffice `soffice` belongs to; None when its
    settings cannot be found or read (the profile is then left for LibreOffice to make)."""
    program = Path(os.path.realpath(shutil.which(soffice) or soffice)).parent
    for relative in _SETTINGS:
        try:
            with open(program / relative, "rb") as handle:
                found = _VERSION.search(handle.read(_READ_AT_MOST))
        except OSError:
            continue
        if found:
            return found.group(1).decode()
    return None


def new_profile(folder: Path, soffice: str) -> Path:
    """Make `folder` a LibreOffice profile for `soffice` that skips its first-start
    self-tests, and return it (as `-env:UserInstallation` takes it, a folder)."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    version = office_version(soffice)
    if version is not None:
        (user / "registrymodifications.xcu").write_text(
            _SETTINGS_FILE.format(version), encoding="utf-8"
        )
    return folder


_SETTINGS_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product">\
<prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>{}</value></prop></item>
</oor:items>
"""
