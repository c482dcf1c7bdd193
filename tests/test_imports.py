"""The package's modules import each other one way: no import cycle anywhere.

Every `import` counts, also those inside functions and under `TYPE_CHECKING`: a cycle
hidden in a function is still two modules that cannot be understood one without the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import plangen

PACKAGE = Path(plangen.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package modules `path` imports (`from plangen import x` names module x when
    there is one, else the package itself)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module in known:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(path, set(mods)) - {name} for name, path in mods.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of `graph` as a list of module names, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_flow_runs_one_way() -> None:
    graph = import_graph()
    assert "plangen.document.template_check" not in graph["plangen.document.render"]
    assert "plangen.model" not in graph["plangen.schema"]
    library = [m for m in graph if m not in ("plangen.cli", "plangen.__main__")]
    assert "plangen.cli" not in set().union(*(graph[m] for m in library))


LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry points", ("plangen", "plangen.__main__", "plangen.cli", "plangen.web")),
    ("many plans", ("plangen.batch",)),
    ("operations", ("plangen.pipeline", "plangen.starters", "plangen.next_year")),
    ("document, round trip, PDF", ("plangen.document", "plangen.roundtrip", "plangen.pdf")),
    ("figures, workbooks", ("plangen.figures", "plangen.workbook")),
    ("kinds", ("plangen.kinds",)),
    (
        "declarations and helpers",
        (
            "plangen.schema",
            "plangen.model",
            "plangen.errors",
            "plangen.files",
            "plangen.safetext",
            "plangen.package_safety",
            "plangen.version",
        ),
    ),
)
"""The package's layers, top first (docs/architecture.md). A module may import its own
layer and those below it, never one above: `plangen` (the public names) and the command
and web page sit on the operations, which sit on the parts that make a plan."""


def layer_of(module: str) -> int | None:
    """The index in LAYERS of `module` (its longest matching prefix), None if unplaced."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            hit = module == prefix or (prefix != "plangen" and module.startswith(prefix + "."))
            if hit and (best is None or len(prefix) > best[1]):
                best = (index, len(prefix))
    return None if best is None else best[0]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module above the importer's layer, as `a -> b (layer)`."""
    found = []
    for module in sorted(graph):
        here = layer_of(module)
        for target in sorted(graph[module]):
            there = layer_of(target)
            if here is not None and there is not None and there < here:
                found.append(f"{module} -> {target} ({LAYERS[there][0]})")
    return found


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in import_graph() if layer_of(m) is None]
    assert unplaced == [], f"add these modules to LAYERS: {unplaced}"


def test_imports_run_down_the_layers_also_inside_functions() -> None:
    assert upward_imports(import_graph()) == []


def test_the_layer_check_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from plangen.pipeline import load\n", encoding="utf-8")
    known = set(modules())
    graph = {"plangen.document.template_fields": imports_of(module, known)}
    assert upward_imports(graph) == [
        "plangen.document.template_fields -> plangen.pipeline (operations)"
    ]
    graph = {"plangen.batch.run": imports_of(module, known) | {"plangen"}}
    assert "plangen.batch.run -> plangen (entry points)" in upward_imports(graph)
