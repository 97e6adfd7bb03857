"""The shape of the code: no import cycles in app/ and bench/, and app.scope knows no feature.

The import graph is read from the source with `ast`: every `import` and `from … import`,
at module level and inside functions alike (an import deferred into a function to
dodge a cycle is still a cycle). `from package import name` counts as an import of
`package.name` where that is a module, else of `package`; a module's parent packages,
which Python imports first, are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_files(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    """Dotted module name → file, for every .py file under `packages` (relative to root)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_modules(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of `modules` that `module` imports (relative imports resolved)."""
    found: set[str] = set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[:len(package) - (node.level - 1)]
                base = ".".join([*parent, *([base] if base else [])])
            for alias in node.names:
                name = f"{base}.{alias.name}"
                found.add(name if name in modules else base)
    return (found & modules.keys()) - {module}


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Module → the modules of `packages` it imports."""
    modules = module_files(root, packages)
    return {module: imported_modules(module, path, modules) for module, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, …, a], or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph.get(module, ())):
            if target in on_path:
                return [*path[path.index(target):], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def test_app_and_bench_have_no_import_cycle():
    cycle = find_cycle(import_graph(ROOT, ("app", "bench")))
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def _package(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path):
    _package(tmp_path, {
        "shop/__init__.py": "",
        "shop/orders.py": "from shop.stock import reserve\n\n\ndef order():\n    reserve()\n",
        "shop/stock.py": "def reserve():\n    from shop import orders\n\n    return orders\n",
    })
    assert find_cycle(import_graph(tmp_path, ("shop",))) == [
        "shop.orders", "shop.stock", "shop.orders"]


def test_a_cycle_through_a_relative_import_is_found(tmp_path):
    _package(tmp_path, {
        "shop/__init__.py": "",
        "shop/a.py": "from . import b\n",
        "shop/sub/__init__.py": "",
        "shop/b.py": "from .sub.c import x\n",
        "shop/sub/c.py": "from ..a import y\nx = 1\n",
    })
    assert find_cycle(import_graph(tmp_path, ("shop",))) == [
        "shop.a", "shop.b", "shop.sub.c", "shop.a"]


def test_a_package_importing_its_modules_in_one_direction_has_no_cycle(tmp_path):
    _package(tmp_path, {
        "shop/__init__.py": "def init_app():\n    from shop import routes\n",
        "shop/routes.py": "from shop.service import order\nfrom shop import models\n",
        "shop/service.py": "import shop.models\n",
        "shop/models.py": "import os\n",
    })
    graph = import_graph(tmp_path, ("shop",))
    assert graph["shop.routes"] == {"shop.service", "shop.models"}
    assert find_cycle(graph) is None


def test_the_scope_module_imports_no_feature():
    """Features register their rules with app.scope from their own access modules
    (app/leads/access.py, app/sites/access.py); app.scope itself knows no feature."""
    graph = import_graph(ROOT, ("app",))
    assert graph["app.scope"] <= {"app.extensions", "app.viewer"}, graph["app.scope"]


# --- one clock ---------------------------------------------------------------------------

CLOCK_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"),
               ("datetime", "today")}


def clock_reads(source: str) -> list[str]:
    """Calls that read the clock or build a time zone: date's and datetime's today() and
    now(), utcnow(), ZoneInfo(…) and the time module's time()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            if (function.value.id, function.attr) in CLOCK_CALLS | {("time", "time")}:
                found.append(f"{function.value.id}.{function.attr}() on line {node.lineno}")
        elif isinstance(function, ast.Name) and function.id == "ZoneInfo":
            found.append(f"ZoneInfo() on line {node.lineno}")
    return found


def test_only_the_clock_module_reads_the_clock_or_builds_a_time_zone():
    """'Today' and the time zone come from app/clock.py (utcnow, local_today, local_now,
    local_zone): a second way of computing them drifts (UTC 'today' after 23:00)."""
    offenders = {}
    for module, path in module_files(ROOT, ("app",)).items():
        if module == "app.clock":
            continue
        reads = clock_reads(path.read_text(encoding="utf-8"))
        if reads:
            offenders[module] = reads
    assert offenders == {}


def test_the_clock_check_finds_each_way_of_reading_the_clock():
    calls = [("date", "today()"), ("datetime", "now(UTC)"), ("datetime", "utcnow()"),
             ("", "ZoneInfo('Europe/Stockholm')"), ("time", "time()"), ("clock", "utcnow()")]
    source = "\n".join(f"{owner}.{call}" if owner else call for owner, call in calls)
    assert len(clock_reads(source)) == 5
