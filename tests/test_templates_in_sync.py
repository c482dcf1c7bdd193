"""The committed Word templates are exactly what scripts/build_templates.py makes."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_templates.py"
COMMITTED = ROOT / "src" / "plangen" / "templates"
COMPARED = ("word/document.xml", "word/styles.xml")
"""Parts compared besides every header and footer part."""


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The templates the script writes into a fresh folder."""
    out = tmp_path_factory.mktemp("templates")
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True)
    return out


def parts(path: Path) -> dict[str, bytes]:
    """The document, styles, header and footer parts of a .docx, by name."""
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name in COMPARED or name.startswith(("word/header", "word/footer"))
        }


def test_the_script_makes_every_committed_template_and_no_other(rebuilt: Path) -> None:
    assert sorted(p.name for p in rebuilt.glob("*.docx")) == sorted(
        p.name for p in COMMITTED.glob("*.docx")
    )


@pytest.mark.parametrize("name", sorted(p.name for p in COMMITTED.glob("*.docx")))
def test_committed_template_matches_its_script(rebuilt: Path, name: str) -> None:
    committed, fresh = parts(COMMITTED / name), parts(rebuilt / name)
    assert any(n.startswith("word/footer") for n in committed)
    assert sorted(committed) == sorted(fresh)
    for part, data in committed.items():
        assert data == fresh[part], (
            f"{name}:{part} differs from what scripts/build_templates.py makes; "
            "run python3 scripts/build_templates.py and commit the result"
        )
