"""Find the service functions that write to the database without recording an AuditEvent (an AST walk).

A module is a "service module" when it is where writes are made: ``*services*.py``, a ``services/`` package, and the
import, ingest, event-handler and recompute modules. In each, a function *writes* when it calls an ORM write
(``.save(``, ``.create(``, ``.update(``, ``.delete(``, ``bulk_create``, ``bulk_update``, ``insert_rows``,
``update_or_create``, ``get_or_create``), directly or through a function of the same module; it *audits* when it
calls an audit helper (``audit_record``, ``audit_for``, or builds or inserts ``AuditEvent`` rows), directly or through a
function of the same module. Every public function that writes must audit, or be allow-listed with a reason.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("omic", "cases", "handover", "tiering", "keywork", "casework", "allocation", "dashboards", "oversight",
        "integration", "api")  # fmt: skip
WRITE_ATTRS = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "update_or_create",
               "get_or_create", "insert_rows", "_raw_delete"}  # fmt: skip
# Receivers whose .update/.delete/.create are not the ORM: dicts, sets, caches, counters.
NOT_ORM_RECEIVERS = {
    "cache", "caches", "counts", "seen", "values", "result", "headers", "data", "kwargs", "context", "changes",
    "totals", "fields", "defaults", "params", "payload", "summary", "by_kind", "session",
}  # fmt: skip
AUDIT_NAMES = {"audit_record", "audit_record_viewed", "audit_for", "AuditEvent"}


def service_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            name = path.name
            if ("services" in name or path.parent.name == "services" or "import" in name or "ingest" in name
                    or "event_handlers" in name or "recompute" in name):  # fmt: skip
                found.append(path)
    return found


def _receiver_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _local_dicts(func: ast.AST) -> set[str]:
    """Names bound to a dict, set or Counter literal/constructor in the function: their .update() is not the ORM."""
    names = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            is_dict = isinstance(value, ast.Dict | ast.Set | ast.DictComp | ast.SetComp) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in {"dict", "set", "Counter", "defaultdict", "OrderedDict"}
            )  # fmt: skip
            if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Subscript | ast.Name):
                text = ast.unparse(node.annotation)
                is_dict = is_dict or text.startswith(("dict", "set", "Counter"))
            if is_dict:
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _facts(func: ast.AST, module_functions: set[str]) -> tuple[bool, bool, set[str]]:
    """(writes directly, audits directly, same-module functions called)."""
    writes = audits = False
    calls = set()
    dicts = _local_dicts(func)
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id in AUDIT_NAMES:
            audits = True
        if isinstance(node, ast.Attribute) and node.attr in AUDIT_NAMES:
            audits = True
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Name):
            if target.id in module_functions:
                calls.add(target.id)
            if target.id in WRITE_ATTRS:  # insert_rows(...), an imported bulk writer
                writes = True
        elif isinstance(target, ast.Attribute):
            if target.attr in module_functions and isinstance(target.value, ast.Name) and target.value.id == "self":
                calls.add(target.attr)
            if target.attr in WRITE_ATTRS:
                receiver = _receiver_name(target.value)
                if receiver in NOT_ORM_RECEIVERS or receiver in dicts:
                    continue
                writes = True
    return writes, audits, calls


def _closure(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(graph.get(name, ()))
    return seen


def unaudited_writers(path: Path) -> list[str]:
    """``module.function`` for each public function of the module that writes but never audits."""
    return unaudited_in_source(path.read_text(), ".".join(path.relative_to(ROOT).with_suffix("").parts))


def unaudited_in_source(source: str, module: str) -> list[str]:
    tree = ast.parse(source)
    functions: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    functions[f"{node.name}.{item.name}"] = item
    short = {name.split(".")[-1] for name in functions}
    facts = {}
    for name, func in functions.items():
        facts[name] = _facts(func, short)
    by_short = {}
    for name in functions:
        by_short.setdefault(name.split(".")[-1], []).append(name)
    graph = {name: {full for s in facts[name][2] for full in by_short.get(s, [])} for name in functions}
    found = []
    for name in functions:
        if name.split(".")[-1].startswith("_"):
            continue
        reach = _closure(name, graph)
        writes = any(facts[n][0] for n in reach)
        audits = any(facts[n][1] for n in reach)
        if writes and not audits:
            found.append(f"{module}.{name}")
    return found
