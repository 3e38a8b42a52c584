"""The package's layout rules: imports run one way, no circles, no room where every change lands.

Command line and serving -> store and scale -> coding pipeline -> stages -> records.
Read from the source with ``ast``, so an import inside a function counts as much as one
at the top of a module (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "eventwire"

LAYER = {
    "data": -1,
    "records": 0,
    "readers": 1, "coding": 1,
    "store": 2,
    "scale": 3,
    "serving": 4, "quality": 4,
    "cli": 5,
}
"""A module may import from its own part and from parts on a lower layer only."""

PIPELINE_RUNNERS = {"eventwire.coding.pipeline", "eventwire.coding.guard"}
"""The coding modules that run stages; a stage never imports them."""

MAX_CLASS_LINES = 250
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The eventwire module that ``name`` (a module or a name inside one) refers to."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("eventwire"):
                target = _resolve(name)
                if target and target != module:
                    yield target


GRAPH = {module: sorted(set(_imports(module, path))) for module, path in MODULES.items()}


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_part() -> None:
    loose = [m for m in MODULES if m != "eventwire" and _part(m) not in LAYER]
    assert loose == [], f"modules outside the parts of the system: {loose}"


def test_imports_run_one_way() -> None:
    wrong = []
    for module, targets in GRAPH.items():
        part = _part(module)
        if part is None:  # the package's facade (eventwire.code, eventwire.open) may use any part
            continue
        for target in targets:
            other = _part(target)
            if other is None:  # eventwire.__version__
                continue
            if other != part and LAYER[other] >= LAYER[part]:
                wrong.append(f"{module} -> {target}")
    assert wrong == [], "imports against the layers:\n" + "\n".join(wrong)


def test_stages_do_not_import_the_pipeline() -> None:
    wrong = [f"{module} -> {target}" for module, targets in GRAPH.items()
             if module.startswith("eventwire.coding.") and module not in PIPELINE_RUNNERS
             for target in targets if target in PIPELINE_RUNNERS]
    assert wrong == [], "\n".join(wrong)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, []):
            if target == "eventwire":
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    return found


def test_no_import_circles() -> None:
    assert _cycles() == []


def _oversized() -> set[str]:
    found = set()
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                limit = MAX_CLASS_LINES
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                limit = MAX_FUNCTION_LINES
            else:
                continue
            if (node.end_lineno or node.lineno) - node.lineno + 1 > limit:
                found.add(f"{module}:{_qualified(tree, node)}")
    return found


def _qualified(tree: ast.Module, target: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and target in node.body:
            return f"{node.name}.{target.name}"  # type: ignore[attr-defined]
    return target.name  # type: ignore[attr-defined]


def test_no_oversized_class_or_function() -> None:
    assert sorted(_oversized()) == [], (
        f"over {MAX_CLASS_LINES} lines a class or {MAX_FUNCTION_LINES} a function: split it")
