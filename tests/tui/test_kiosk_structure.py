"""The kiosk package's shape, read from its source: every import, lazy ones included.

- no import circle inside posko.tui (the app imports screens, never the reverse);
- no import of posko.commands (the CLI) anywhere in the kiosk;
- no screen or widget imports posko/tui/app.py (they see the app as posko.tui.kiosk.Kiosk);
- no store model in the kiosk (issue 12's boundary: tui/data.py asks services for views);
- the desk's screens and widgets reach the services only through posko.tui.data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import posko

TUI = Path(posko.__file__).parent / "tui"


def module_name(path: Path) -> str:
    parts = path.relative_to(TUI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, type_hints: bool = True) -> set[str]:
    """Every module `path` imports: at the top, in functions and (unless
    `type_hints` is False) under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text())
    if not type_hints:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
                node.body = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # `from posko.tui import data` imports the module posko.tui.data
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


MODULES = {module_name(p): imports(p) for p in TUI.rglob("*.py")}
RUNTIME_IMPORTS = {module_name(p): imports(p, type_hints=False) for p in TUI.rglob("*.py")}


def test_the_kiosk_imports_neither_the_cli_nor_store_models() -> None:
    for name, imported in MODULES.items():
        assert not {i for i in imported if i.startswith("posko.commands")}, name
        assert not {i for i in imported if i.startswith("posko.store")}, name


def test_no_screen_or_widget_imports_the_app() -> None:
    for name, imported in MODULES.items():
        if name.startswith(("posko.tui.screens", "posko.tui.widgets")):
            assert "posko.tui.app" not in imported, name


def test_screens_and_widgets_call_services_only_through_the_data_module() -> None:
    for name, imported in RUNTIME_IMPORTS.items():
        if name.startswith(("posko.tui.screens", "posko.tui.widgets")):
            services = {
                i
                for i in imported
                if i.startswith("posko.services") and not i.startswith("posko.services.views")
            }
            # The views are plain frozen dataclasses, named for type hints only.
            assert not services, (name, services)


def test_the_kiosk_has_no_import_circle() -> None:
    graph = {
        name: {i for i in imported if i in MODULES and i != name}
        for name, imported in MODULES.items()
    }
    # Packages' __init__ files import nothing here; a circle is a path back to oneself.
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in graph[node]:
            if state.get(target) == "open":
                raise AssertionError(" -> ".join([*path, node, target]))
            if target not in state:
                visit(target, [*path, node])
        state[node] = "done"

    for name in graph:
        if name not in state:
            visit(name, [])
