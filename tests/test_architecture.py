"""The architecture stays easy to see: three layers, imports only go downward, and no import circles.

records  : cases (models, selectors, services) and the shared utilities in omic (env, celery, services, ...)
engines  : handover, tiering, keywork, casework
pages    : omic views, urls, navigation, context processors, health; allocation; dashboards; oversight; integration; api
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "omic",
    "cases",
    "handover",
    "tiering",
    "keywork",
    "casework",
    "allocation",
    "dashboards",
    "oversight",
    "integration",
    "api",
)
SHARED_UTILITIES = {
    "omic",
    "omic.env",
    "omic.celery",
    "omic.exports",
    "omic.services",
    "omic.tasks",
    "omic.schedules",
    "omic.locks",
    "omic.db_router",
    "omic.request_id",
    "omic.models",
    "omic.queueing",
    "omic.progress",
}
ENGINES = ("handover", "tiering", "keywork", "casework")


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Project modules imported at module level (imports inside functions are deliberate late binding)."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n in MODULES}


def _layer(module: str) -> int:
    top = module.split(".")[0]
    if top == "cases" or module in SHARED_UTILITIES or module.startswith("omic.settings"):
        return 0
    if top in ENGINES:
        return 1
    return 2


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_go_downward(module):
    upward = [name for name in _imports(MODULES[module]) if _layer(name) > _layer(module)]
    assert not upward, f"{module} (layer {_layer(module)}) imports from a higher layer: {upward}"


def test_records_do_not_import_the_engines():
    for module, path in MODULES.items():
        if module.startswith("cases"):
            assert not {n for n in _imports(path) if n.split(".")[0] in ENGINES}, module


def test_no_import_circles():
    graph = {m: _imports(p) - {m} for m, p in MODULES.items()}
    # A package's __init__ re-exporting its own modules is not a circle.
    for m in graph:
        graph[m] = {
            n for n in graph[m] if not (n.startswith(m + ".") or m.startswith(n + ".") and n == m.split(".")[0])
        }
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)


def test_files_stay_small_enough_to_read():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values() if (n := len(p.read_text().splitlines())) > 450}
    assert not long, f"split these by responsibility: {long}"
