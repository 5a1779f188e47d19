"""Every user-facing text has its Indonesian translation in the one catalogue.

The message ids are found in the code: the first argument of `_()`, of a
PoskoError (or IdentityError) subclass and of their `super().__init__`, the
message of a FieldError and of a collector's `add(path, message)`, and the
descriptions and tooltips of the kiosk's key bindings (translated when a
screen is built). Typer help is English by design and is not collected.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import string
from collections import Counter
from pathlib import Path

import posko
from posko import i18n

ROOT = Path(posko.__file__).parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "posko.po"
# Exceptions whose message is a msgid: these and every subclass in posko/.
MESSAGE_ERROR_ROOTS = {"PoskoError", "IdentityError"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _trees() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
    }


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """PoskoError, IdentityError and their subclasses, by name, across modules."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    found = set(MESSAGE_ERROR_ROOTS)
    while grown := {cls for cls, parents in bases.items() if parents & found} - found:
        found |= grown
    return found


def _takes_message_second(tree: ast.Module) -> bool:
    """The module defines a collector: `def add(self, where, message, ...)`."""
    return any(
        isinstance(node, ast.FunctionDef)
        and node.name == "add"
        and [a.arg for a in node.args.args[2:3]] == ["message"]
        for node in ast.walk(tree)
    )


def _helpers(tree: ast.Module, errors: set[str], collector: bool) -> dict[str, int]:
    """Functions that pass a parameter on as a msgid unchanged, e.g. roster_check's
    `def error(msgid, ...)`; a helper that builds a msgid (`"prefix: " + message`)
    is not one: its callers' texts are not msgids."""
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or node.name == "add":
            continue
        params = [a.arg for a in node.args.args]
        for call in ast.walk(node):
            if not isinstance(call, ast.Call):
                continue
            argument = _message_argument(call, errors, collector, {})
            if isinstance(argument, ast.Name) and argument.id in params:
                found[node.name] = params.index(argument.id)
    return found


def _message_argument(
    node: ast.Call, errors: set[str], collector: bool, helpers: dict[str, int]
) -> ast.expr | None:
    """The argument of a call that holds a msgid, or None if the call takes none."""
    name = _name(node.func)
    keywords = {k.arg: k.value for k in node.keywords}
    if name == "_" or name in errors:
        position = 0
    elif name == "FieldError" or (name == "add" and collector):
        position = 1
    elif name == "Violation":  # severity, day, desk, officer, msgid
        position = 4
    elif isinstance(node.func, ast.Name) and name in helpers:
        position = helpers[name]
    elif name == "__init__" and isinstance(node.func, ast.Attribute):
        receiver = node.func.value  # super().__init__(...) inside an error class
        if not (isinstance(receiver, ast.Call) and _name(receiver.func) == "super"):
            return None
        position = 0
    else:
        return None
    if len(node.args) > position:
        return node.args[position]
    return keywords.get("message", keywords.get("msgid"))


def _assigned(tree: ast.Module, name: str) -> list[ast.expr]:
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign | ast.AnnAssign)
        and node.value is not None
        and any(
            isinstance(t, ast.Name) and t.id == name
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]


def _table_values(tree: ast.Module, name: str) -> list[ast.expr]:
    """The values of the dict literals assigned to `name` (a table of msgids)."""
    return [v for d in _assigned(tree, name) if isinstance(d, ast.Dict) for v in d.values]


def _texts(argument: ast.expr | None, tree: ast.Module) -> list[str]:
    """The msgids an argument can hold: a literal, either side of `a if c else b`,
    a variable assigned a literal, or an entry of a module's table of msgids
    (`PHASES[phase]`, `PHASES.get(phase, phase)`, `FIELDS[name][1]`)."""
    match argument:
        case ast.Constant(value=str(text)):
            return [text]
        case ast.IfExp(body=body, orelse=orelse):
            return _texts(body, tree) + _texts(orelse, tree)
        case ast.Name(id=name):
            return [t for value in _assigned(tree, name) for t in _texts(value, tree)]
        case (
            ast.Subscript(value=ast.Name(id=name))
            | ast.Call(func=ast.Attribute(value=ast.Name(id=name), attr="get"))
        ):
            return [t for value in _table_values(tree, name) for t in _texts(value, tree)]
        case ast.Subscript(
            value=ast.Subscript(value=ast.Name(id=name)), slice=ast.Constant(value=int(index))
        ):
            rows = [v for v in _table_values(tree, name) if isinstance(v, ast.Tuple)]
            return [t for row in rows for t in _texts(row.elts[index], tree)]
    return []


def _calls_in_error_classes(tree: ast.Module, errors: set[str]) -> set[int]:
    """ids of super().__init__ calls made inside an error class."""
    return {
        id(call)
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef) and cls.name in errors
        for call in ast.walk(cls)
        if isinstance(call, ast.Call) and _name(call.func) == "__init__"
    }


def _binding_texts() -> dict[str, str]:
    """Descriptions and tooltips of the kiosk's bindings, as the screens hold them."""
    from textual.binding import Binding

    import posko.tui

    found: dict[str, str] = {}
    for module_info in pkgutil.walk_packages(posko.tui.__path__, "posko.tui."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for binding in vars(cls).get("BINDINGS", []):
                if isinstance(binding, Binding):
                    for text in (binding.description, binding.tooltip):
                        if text:
                            found.setdefault(text, f"{module.__name__}.{cls.__name__}")
    return found


def message_ids() -> dict[str, str]:
    """Every msgid the code can show, with where it was first seen."""
    trees = _trees()
    errors = _error_classes(trees)
    found: dict[str, str] = {}
    for path, tree in trees.items():
        collector = _takes_message_second(tree)
        helpers = _helpers(tree, errors, collector)
        in_error_classes = _calls_in_error_classes(tree, errors)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if _name(node.func) == "__init__" and id(node) not in in_error_classes:
                continue
            argument = _message_argument(node, errors, collector, helpers)
            for text in _texts(argument, tree):
                found.setdefault(text, f"{path.relative_to(ROOT)}:{node.lineno}")
    for text, where in _binding_texts().items():
        found.setdefault(text, where)
    return found


def test_the_scan_finds_each_kind_of_message():
    found = message_ids()
    assert "No complaints." in found  # _()
    assert "NIK must have exactly 16 digits" in found  # IdentityError
    assert "is not a known field" in found  # _Collector.add
    assert "the roster was not changed: {problems}" in found  # super().__init__
    assert "Save and print the slip" in found  # a binding's tooltip
    assert "Reprint" in found  # a binding built from the home screen's table
    assert "not yet open" in found  # a table of msgids: _(PHASES[phase])
    assert "the desk does not sit on this weekday" in found  # roster_check's error(msgid)
    # icalendar's calendar.add(name, value) is not a message
    assert "-//Posko Pengaduan//posko//ID" not in found
    # roster_toml's _bad(text) builds "the roster file: " + text: not a msgid itself
    assert "{where} must be text" not in found


def test_every_message_has_an_indonesian_translation():
    catalogue = i18n._catalogue("id")
    missing = {m: where for m, where in message_ids().items() if m and m not in catalogue}
    assert not missing, "untranslated:\n" + "\n".join(f"{w}: {m!r}" for m, w in missing.items())


def _catalogue_msgids() -> list[str]:
    """The msgids of the .po in file order, continuation lines joined."""
    entries: list[list[str]] = []
    current: list[str] | None = None
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [ast.literal_eval(line[len("msgid ") :])]
            entries.append(current)
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            current = None
    return ["".join(parts) for parts in entries]


def test_each_message_is_translated_once():
    """Of two equal msgids Babel keeps one: the other translation is silently lost."""
    duplicates = [m for m, n in Counter(_catalogue_msgids()).items() if n > 1]
    assert not duplicates, duplicates


def test_placeholders_survive_translation():
    catalogue = i18n._catalogue("id")

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    broken = {m: t for m, t in catalogue.items() if fields(m) != fields(t)}
    assert not broken, broken
