"""The pipeline's layers (issue 13.3): no import cycle, and no module imports from a later stage.

Stages, in order: the base (the model, the registry of findings, formats, the hierarchy, files),
reading (source, grid, xlsx_fast, headers, parse, sheets, read), checks (per workbook, cascade, capaian, a
satker's set read and validated),
outputs that are documents or workbooks (annotate, tree, roll-up, diff, next year's set, Excel
templates, Word/PDF), the facade (api), the shells (cli, addin). Every import counts, also one inside a
function (a late import is still a dependency): the core never reaches up to the facade or a shell.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kinerja_xl"

STAGES: dict[str, tuple[str, ...]] = {  # the top-level modules and packages of each stage
    "base": ("model", "errors", "findings", "fmt", "spec", "levels", "fsutil", "workers"),
    "reading": ("reading",),
    "checks": ("checks",),
    "outputs": ("outputs", "render"),
    "facade": ("api",),
    "shells": ("cli", "addin", "__main__"),
}
ORDER = list(STAGES)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    if not module:
        return "base"  # kinerja_xl/__init__.py: the version, nothing imported
    top = module.split(".")[0]
    for stage, tops in STAGES.items():
        if top in tops:
            return stage
    raise AssertionError(f"kinerja_xl.{module} has no stage: add it to STAGES")


def _exists(module: str) -> bool:
    path = PACKAGE.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imports(path: Path) -> set[str]:
    """The kinerja_xl modules ``path`` imports (relative names resolved; ``from . import x`` is module x)."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").startswith("kinerja_xl"):
                target = node.module.removeprefix("kinerja_xl").lstrip(".")
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}" if target else alias.name
                found.add(sub if _exists(sub) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name.removeprefix("kinerja_xl.") for a in node.names if a.name.startswith("kinerja_xl.")}
    found.discard(module)
    return {m for m in found if m}


GRAPH = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_has_a_stage():
    for module in GRAPH:
        stage_of(module)


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_from_a_later_stage(module):
    mine = ORDER.index(stage_of(module))
    later = sorted(m for m in GRAPH[module] if ORDER.index(stage_of(m)) > mine)
    assert not later, f"kinerja_xl.{module} ({stage_of(module)}) imports {later}"


def test_no_import_cycle():
    """Between packages' own modules too: a package's __init__ may gather its modules, they never import it."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package importing its own submodules (render/__init__ gathering render.*)
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("stage", ORDER[:-1])
def test_importing_a_stage_loads_no_later_stage(stage):
    """What ``python -c "import kinerja_xl.<module>"`` loads, for every module of a stage, checked in a
    fresh interpreter: no module of a later stage (the static walk above, confirmed at run time)."""
    import json
    import subprocess
    import sys

    mine = [m for m in GRAPH if stage_of(m) == stage and m]
    code = ("import importlib, json, sys\n"
            f"for m in {mine!r}: importlib.import_module('kinerja_xl.' + m)\n"
            "print(json.dumps(sorted(n[len('kinerja_xl.'):] for n in sys.modules if n.startswith('kinerja_xl.'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                       cwd=PACKAGE.parent).stdout)
    later = sorted(m for m in loaded if m in GRAPH and ORDER.index(stage_of(m)) > ORDER.index(stage))
    assert not later, f"importing the {stage} stage loads {later}"
