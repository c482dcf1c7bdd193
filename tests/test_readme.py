"""The README's commands work as written: every `plangen ...` line and the Python example
of its code blocks is run, in order, in a folder holding a copy of `input_examples/`.

Only what cannot run as typed is adapted, and said here: `[--jobs N]`-style optional
parts are left out; "fill it in Excel" is a copy of the example over the new workbook;
`plangen serve` gets a free port and is stopped once its page answers.
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PLANGEN = shutil.which("plangen")


def code_lines() -> list[str]:
    """The non-comment lines of the README's code blocks, comments after `#` removed."""
    lines = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", README.read_text("utf-8"), re.S):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).rstrip()
            if command and not command.lstrip().startswith("#"):
                lines.append(command)
    return lines


def commands() -> list[list[str]]:
    """Every `plangen` command of the README, optional `[...]` parts left out."""
    found = []
    for line in code_lines():
        if line.startswith("plangen "):
            found.append(shlex.split(re.sub(r"\s*\[[^\]]*\]", "", line)))
    return found


def python_example() -> str:
    """The README's Python example (the block that starts with `import plangen`)."""
    for block in re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S):
        if block.startswith("import plangen"):
            return block
    raise AssertionError("the README has no Python example")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(args: list[str], cwd: Path) -> str:
    """Start `plangen serve ...` on a free port; once it answers, the HTML of its home
    page, or of its dashboard when it was given a folder."""
    port = free_port()
    proc = subprocess.Popen(
        [*args, "--port", str(port)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                page_path = "dashboard" if len(args) > 2 else ""
                url = f"http://127.0.0.1:{port}/{page_path}"
                with urllib.request.urlopen(url, timeout=2) as page:
                    return str(page.read().decode("utf-8"))
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{' '.join(args)} did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Run the README's commands in order; the folder and each command's output."""
    if PLANGEN is None:
        pytest.fail("the plangen command is not installed (pip install -e .)")
    here = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "input_examples", here / "input_examples")
    (here / "workbooks").mkdir()
    for example in (here / "input_examples").glob("*.xlsx"):
        shutil.copy(example, here / "workbooks" / example.name)
    outputs: dict[str, str] = {}
    for command in commands():
        typed = " ".join(command)
        if command[1] == "serve":
            outputs[typed] = serve([PLANGEN, *command[1:]], here)
            continue
        done = subprocess.run(
            [PLANGEN, *command[1:]], cwd=here, capture_output=True, text=True, timeout=300
        )
        outputs[typed] = done.stdout + done.stderr
        assert done.returncode == 0, f"{typed}\n{outputs[typed]}"
        if command[1:3] == ["new", "system"]:  # "...fill it in Excel or LibreOffice..."
            shutil.copy(here / "input_examples" / "super_excited_division.xlsx", here / command[3])
    return here, outputs


def test_the_readme_names_the_commands_a_user_needs() -> None:
    verbs = {command[1] for command in commands()}
    assert {"new", "validate", "build", "status", "pull", "batch", "serve"} <= verbs
    assert {"template", "fields"} <= verbs


def test_every_readme_command_runs_as_written(walked: tuple[Path, dict[str, str]]) -> None:
    here, outputs = walked
    assert len(outputs) == len({" ".join(command) for command in commands()})
    assert (here / "output" / "my_division.docx").is_file()
    assert (here / "plans" / "summary.xlsx").is_file()
    assert (here / "my_template.docx").is_file()
    assert (here / "input_examples" / "super_excited_division.pdf").is_file() or (
        here / "output" / "super_excited_division.pdf"
    ).is_file()


def test_the_readme_walkthrough_builds_the_plan_it_describes(
    walked: tuple[Path, dict[str, str]],
) -> None:
    here, outputs = walked
    text = "\n".join(p.text for p in Document(str(here / "output" / "my_division.docx")).paragraphs)
    assert "Super Excited Division" in text
    status = outputs["plangen status my_division.xlsx"]
    assert "13/26 coaching supports completed (50%)" in status
    assert "<title>" in outputs["plangen serve"]
    dashboard = outputs["plangen serve workbooks/ -o plans/"]
    assert "Super Excited Division" in dashboard and "Maple Grove Public Schools" in dashboard


def test_the_readme_python_example_runs(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "input_examples", tmp_path / "input_examples")
    (tmp_path / "output").mkdir()
    done = subprocess.run(
        [sys.executable, "-c", python_example()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "13/26 coaching supports completed (50%)"
    assert (tmp_path / "output" / "super_excited_division.docx").is_file()
